"""The API's documentation page: a reference of its operations written on the server (light
enough for a slow connection), and Swagger UI from drf-spectacular-sidecar's static files
(never a CDN) loaded only when the reader asks for the console, by
tracker/static/tracker/api_docs.js, so that the Content-Security-Policy needs no exception."""

from functools import cache

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator

# What the console downloads (Swagger UI's script and stylesheet, brotli-compressed), said on
# its button so that nobody on a slow connection starts it by surprise.
CONSOLE_KB = 370


@cache
def operations():
    """[(tag, [(method, path, first paragraph of its description)])], in the schema's order:
    the schema is the code's, the same for every request of a process."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    by_tag = {}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            text = (operation.get("description") or "").split("\n\n")[0]
            tag = (operation.get("tags") or [""])[0]
            by_tag.setdefault(tag, []).append((method.upper(), path, text))
    return list(by_tag.items())


@login_not_required
def api_docs(request):
    return render(
        request,
        "tracker/api_docs.html",
        {"operations": operations(), "console_kb": CONSOLE_KB},
    )
