"""The API answers JSON (and the exports their own format) whatever the Accept header asks:
an error is better read as JSON than refused as 406."""

from rest_framework.negotiation import BaseContentNegotiation


class JsonAlways(BaseContentNegotiation):
    def select_parser(self, request, parsers):
        for parser in parsers:
            if parser.media_type == request.content_type.split(";")[0].strip():
                return parser
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
