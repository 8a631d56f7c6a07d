"""Request parsers of the API."""

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

TOO_DEEP = _("JSON parse error: the document is nested too deeply.")


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, answering 400 for a document nested deeper than Python can parse.

    `json.loads` raises RecursionError (not ValueError) at about a thousand levels, which DRF's parser
    does not catch: `[[[[…]]]]` of 2 KB answered a 500.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type=media_type, parser_context=parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP)
