"""Permissions of API views outside the tenant viewsets."""

from django.conf import settings
from rest_framework import permissions


class ApiDocsAccess(permissions.BasePermission):
    """Everyone when the docs are public; otherwise signed-in users and API tokens."""

    def has_permission(self, request, view):
        return settings.KZAI_API_DOCS_PUBLIC or bool(request.user and request.user.is_authenticated)
