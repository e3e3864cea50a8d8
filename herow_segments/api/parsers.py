"""Request body parsing that turns every malformed body into a 400."""

from rest_framework.exceptions import ParseError, UnsupportedMediaType
from rest_framework.parsers import JSONParser


class StrictJsonParser(JSONParser):
    """Parse JSON, refusing deep nesting and unknown character sets."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("The JSON body is nested too deeply.") from None
        except LookupError:
            raise UnsupportedMediaType(media_type) from None
