"""What every page's navigation bar needs beyond the page's own context."""

from tracker.inbox import waiting_count


def inbox(request):
    """`inbox_count`: how many things wait for the signed-in user, for the badge on the inbox
    link. Counted only if a template asks for it, and once per request (the inbox page itself
    sets it from what it has already read)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        if not hasattr(request, "inbox_count"):
            request.inbox_count = waiting_count(request.user)
        return request.inbox_count

    return {"inbox_count": count}
