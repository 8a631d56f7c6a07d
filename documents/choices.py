"""Choice sets of the documents app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Superseded")
    EXPIRED = "expired", _("Expired")


class ItemState(models.TextChoices):
    """Where one documentation item of one system stands."""

    MISSING = "missing", _("Missing")
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    EXPIRED = "expired", _("Expired")
