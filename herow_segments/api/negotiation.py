"""Content negotiation that always answers JSON."""

from rest_framework.negotiation import DefaultContentNegotiation


class JsonOnlyNegotiation(DefaultContentNegotiation):
    """Pick the view's first renderer whatever the Accept header says.

    The API has one representation, so an unusual Accept header gets JSON
    rather than a 406.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
