"""What every page's navigation bar needs beyond the page's own context."""

from tracker import inbox as inbox_reads


def inbox(request):
    """`inbox_count`: how many things wait for the signed-in user, for the badge on the inbox
    link. Counted only if a template asks for it, and once per request (the inbox page itself
    sets it from what it has already read). Past `inbox_limit` the badge reads "99+"."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        if not hasattr(request, "inbox_count"):
            request.inbox_count = inbox_reads.waiting_count(request.user)
        return request.inbox_count

    return {"inbox_count": count, "inbox_limit": inbox_reads.BADGE_LIMIT}
