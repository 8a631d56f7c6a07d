"""Checks a web server runs once before it answers its first request (see kzai/wsgi.py)."""

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages


def require_collected_static() -> None:
    """Refuse to start with DEBUG off when the static files were never collected.

    With a manifest storage every page looks its stylesheet up in the manifest written by
    `collectstatic`; without it every page answered 500. Tests and management commands do not go
    through here, only the WSGI application (gunicorn, runserver).
    """
    storage = storages["staticfiles"]
    if settings.DEBUG or not isinstance(storage, ManifestFilesMixin):
        return
    if not storage.exists(storage.manifest_name):
        raise ImproperlyConfigured(
            f"The static files have not been collected: {storage.path(storage.manifest_name)} is missing. "
            "Run `python manage.py collectstatic --noinput` (the Docker image does it at build time), "
            "or set DEBUG=1 for a development server."
        )
