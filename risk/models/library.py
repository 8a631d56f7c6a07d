"""The requirements library in the database: immutable versions and their requirements.

A version is loaded once from a YAML file (`risk/library/requirements/<version>.yaml`) and never
changed afterwards: its content hash is kept, and every classification, screening and obligation
points at the version it was made under. Organizations adopt versions on their own schedule
(`LibraryAdoption`) after previewing which of their systems gain or lose which obligations.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kzai.core.models import RestrictedQuerySet, TenantModel
from risk.choices import ReferenceLevel
from risk.library import articles
from risk.library.texts import localised


def translated(texts: dict) -> str:
    """The text in the active language; Kazakh falls back to Russian, then English."""
    return localised(texts)


def cited(references: list, article: str, reference_level: str) -> str:
    """The article in the reader's language with its reference level, e.g. "п. 1 ст. 17 [P]"."""
    language = (get_language() or "en").split("-")[0]
    text = articles.render(references, language) if references else article
    return f"{text} [{reference_level}]"


class ImmutableVersionError(ValidationError):
    """A stored library version (or one of its requirements) was about to be changed or deleted."""


class _Immutable(models.Model):
    """Rows written once when a library version is loaded and never changed afterwards.

    Every classification, screening and obligation points at the version it was made under, so a
    stored version is a legal record: a correction is a new version. On PostgreSQL a trigger
    (migration 0004) refuses UPDATE and DELETE as well, for writes that bypass the model.
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableVersionError(
                _("A stored requirements library version cannot be changed; load a new version instead.")
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableVersionError(_("A stored requirements library version cannot be deleted."))


def practice_citation(practice: dict) -> str:
    """A prohibited practice's article in the reader's language with its reference level."""
    return cited(
        practice.get("references") or [], practice.get("article", ""), practice.get("reference_level", "U")
    )


class SharedQuerySet(models.QuerySet):
    """Law data shared by every organization: any member whose role may view reads it."""

    def restrict(self, membership, action: str = "view"):
        if membership is None or not membership.allows(action):
            return self.none()
        return self


class RequirementLibraryVersion(_Immutable):
    """One immutable version of the requirements library, as loaded from its YAML file."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    title = models.JSONField(_("title"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    source_file = models.CharField(_("file"), max_length=300, blank=True)
    content_hash = models.CharField(_("content SHA-256"), max_length=64, unique=True)
    prohibited_practices = models.JSONField(_("prohibited practices"), default=list, blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    # Not tenant data: the law is the same for every organization, and any member may read it.
    system_path = None
    visible_to_object_scoped_roles = True

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["-loaded_at", "-id"]
        verbose_name = _("requirements library version")
        verbose_name_plural = _("requirements library versions")

    def __str__(self):
        return f"{self.version}"

    @property
    def title_text(self) -> str:
        return translated(self.title)

    def practice(self, code: str) -> dict | None:
        return next((p for p in self.prohibited_practices if p["code"] == code), None)

    @property
    def practices_display(self) -> list[dict]:
        """The prohibited practices with question and citation in the reader's language."""
        return [
            {"code": p["code"], "question": translated(p["question"]), "citation": practice_citation(p)}
            for p in self.prohibited_practices
        ]


class Requirement(_Immutable):
    """One requirement of the law in one library version, with its applicability rule."""

    library_version = models.ForeignKey(
        RequirementLibraryVersion,
        on_delete=models.PROTECT,
        related_name="requirements",
        verbose_name=_("library version"),
    )
    code = models.CharField(_("id"), max_length=40, help_text=_("Stable id, e.g. KZ-AI-TR-02."))
    order = models.PositiveIntegerField(_("order"), default=0)
    article = models.CharField(_("article"), max_length=200)
    references = models.JSONField(
        _("article references"),
        default=list,
        blank=True,
        help_text=_("The article, paragraph and subparagraph, rendered in the reader's language."),
    )
    reference_level = models.CharField(_("reference level"), max_length=4, choices=ReferenceLevel.choices)
    title = models.JSONField(_("title"), default=dict, blank=True)
    text = models.JSONField(_("text"), default=dict)
    evidence = models.JSONField(_("evidence expected"), default=dict, blank=True)
    binds = models.JSONField(_("binds"), default=list)
    rule = models.JSONField(_("applicability rule"))
    recurrence = models.CharField(
        _("recurrence"), max_length=10, blank=True, help_text=_("ISO 8601, e.g. P12M.")
    )
    due_within = models.CharField(_("due within"), max_length=10, blank=True)

    system_path = None
    visible_to_object_scoped_roles = True

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["library_version_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["library_version", "code"], name="unique_requirement_per_version"
            ),
        ]
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")

    def __str__(self):
        return f"{self.code} — {self.title_text}"

    @property
    def title_text(self) -> str:
        return translated(self.title)

    @property
    def text_text(self) -> str:
        return translated(self.text)

    @property
    def evidence_text(self) -> str:
        return translated(self.evidence)

    @property
    def binds_labels(self) -> str:
        """Who the requirement binds, as labels in the reader's language."""
        from risk.choices import BoundParty

        labels = dict(BoundParty.choices)
        return ", ".join(str(labels.get(b, b)) for b in self.binds)

    @property
    def article_text(self) -> str:
        """The article in the reader's language, e.g. "21-баптың 2–3-тармақтары"."""
        language = (get_language() or "en").split("-")[0]
        return articles.render(self.references, language) if self.references else self.article

    @property
    def citation(self) -> str:
        """The article in the reader's language with its reference level, e.g. "Art. 21(2)–(3) [S]"."""
        return cited(self.references, self.article, self.reference_level)


class LibraryAdoption(TenantModel):
    """An organization's decision to apply a library version to its systems' obligations."""

    library_version = models.ForeignKey(
        RequirementLibraryVersion,
        on_delete=models.PROTECT,
        related_name="adoptions",
        verbose_name=_("library version"),
    )
    adopted_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("adopted by"),
    )
    gained = models.PositiveIntegerField(_("obligations gained"), default=0)
    lost = models.PositiveIntegerField(_("obligations no longer applicable"), default=0)

    system_path = None

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("library adoption")
        verbose_name_plural = _("library adoptions")

    def __str__(self):
        return f"{self.library_version} ({self.created_at:%Y-%m-%d})"
