"""Celery tasks of the documents app: thin wrappers around services."""

from celery import shared_task

from documents import services


@shared_task(name="documents.expire_sweep")
def expire_sweep() -> int:
    """Daily: store the expired state of approved documents past their expiry date."""
    return services.documents_expire()
