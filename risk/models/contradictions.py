"""Contradictions between the register and a screen or a classification, and their explanations."""

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kzai.core.models import TenantModel
from risk.choices import ContradictionSource


class Contradiction(TenantModel):
    """A register fact and an answer of the system's screen or classification that disagree.

    Found and closed by `risk.services.contradictions.contradictions_sync` whenever the facts, the
    screen or the classification change; never deleted. Until a member records an explanation it
    flags the system (`AISystem.has_contradictions`), blocks approving the classification or
    recording the screen, and the obligations follow the stricter of the two answers.
    """

    system = models.ForeignKey(
        "registry.AISystem",
        on_delete=models.CASCADE,
        related_name="contradictions",
        verbose_name=_("AI system"),
    )
    source = models.CharField(_("contradicted by"), max_length=20, choices=ContradictionSource.choices)
    screening = models.ForeignKey(
        "risk.Screening",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contradictions",
        verbose_name=_("banned-practice screening"),
    )
    classification = models.ForeignKey(
        "risk.Classification",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contradictions",
        verbose_name=_("classification"),
    )
    # The pair of `risk.contradictions.PAIRS` that disagrees: a register fact and a question.
    fact = models.CharField(_("register fact"), max_length=40)
    question = models.CharField(_("question"), max_length=40)
    register_value = models.BooleanField(_("the register says"))
    answer_value = models.BooleanField(_("the answer says"))
    explanation = models.TextField(_("explanation"), blank=True)
    explained_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("explained by"),
    )
    explained_at = models.DateTimeField(_("explained at"), null=True, blank=True)
    is_open = models.BooleanField(_("still contradicts"), default=True, db_index=True)
    closed_at = models.DateTimeField(_("no longer contradicts since"), null=True, blank=True)

    system_path = "system"

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["system", "is_open"])]
        verbose_name = _("contradiction with the register")
        verbose_name_plural = _("contradictions with the register")

    def __str__(self):
        # The fact by its label, never its field name (the activity log shows this text).
        return f"{self.system.code}: {self.fact_label(self.fact)} / {self.question}"

    @classmethod
    def fact_label(cls, fact: str) -> str:
        """A register fact's label ("Recognises emotions"), or the name when it is no longer a field."""
        system_model = cls._meta.get_field("system").related_model
        try:
            return capfirst(str(system_model._meta.get_field(fact).verbose_name))
        except FieldDoesNotExist:
            return fact

    @classmethod
    def activity_value_label(cls, field_name: str, value):
        """The activity log's words for the recorded fact (see `ActivityRecord.labelled_changes`)."""
        return cls.fact_label(value) if field_name == "fact" and value else None

    def activity_parent(self):
        return self.system

    @property
    def is_explained(self) -> bool:
        return bool(self.explained_at)

    @property
    def pair(self):
        from risk.contradictions import pair_for

        return pair_for(self.source, self.fact, self.question)

    @property
    def label(self) -> str:
        """ "The register says: recognises emotions — yes; the screen says: no (KZ-AI-PROH-06)"."""
        from risk.contradictions import describe

        return describe(self)

    def clean(self):
        if (self.source == ContradictionSource.SCREENING) != bool(self.screening_id) or (
            self.source == ContradictionSource.CLASSIFICATION
        ) != bool(self.classification_id):
            raise ValidationError(_("A contradiction names the screen or the classification it comes from."))
        if self.explained_at and not self.explanation.strip():
            raise ValidationError({"explanation": _("Say why the register and the answer differ.")})
