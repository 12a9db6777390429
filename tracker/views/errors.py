from django.shortcuts import render


def csrf_failure(request, reason=""):
    # Django's default page is a technical English text; members need to know what to do.
    return render(request, "csrf_failure.html", status=403)
