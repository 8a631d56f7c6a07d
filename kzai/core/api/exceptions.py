"""Consistent error bodies: `{"detail": "...", "<field>": ["..."]}`."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from kzai.core.api.parsers import TOO_DEEP


def exception_handler(exc, context):
    if isinstance(exc, RecursionError):
        # Input nested deeper than a serializer or JSON field can walk: the request's fault.
        exc = exceptions.ParseError(TOO_DEEP)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        data = response.data
        body = {"detail": _("The request has invalid fields; see the errors by field name.")}
        if isinstance(data, dict):
            body.update(data)
        else:
            body["non_field_errors"] = data
        response.data = body
        response.status_code = status.HTTP_400_BAD_REQUEST
    elif isinstance(response.data, dict) and "detail" not in response.data:
        response.data = {"detail": response.data}
    return Response(response.data, status=response.status_code, headers=dict(response.items()))
