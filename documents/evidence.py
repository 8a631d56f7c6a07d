"""Documents as evidence: which objects of the risk app take documents, and how to find them.

A link is an `EvidenceLink` (documents app) from a document to an obligation, a review item or a
risk measure; the target is read back through the target model's own `restrict()`, so a member
only ever links or sees what their role and grants reach.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from kzai.core.roles import Action

# kind → (model label, path from the model to its AI system, label)
EVIDENCE_KINDS = {
    "obligation": ("risk.Obligation", "system", _("Obligation")),
    "measure": ("risk.Measure", "system", _("Risk measure")),
    "review_item": ("risk.ReviewItem", "review__system", _("Review item")),
}
EVIDENCE_MODELS = {label for label, _path, _label in EVIDENCE_KINDS.values()}


def kind_of(content_type) -> str:
    """The evidence kind of a content type ("" when it is not one)."""
    label = f"{content_type.app_label}.{content_type.model}"
    return next((k for k, (model, _p, _l) in EVIDENCE_KINDS.items() if model.lower() == label), "")


def _model(kind: str):
    from django.apps import apps

    return apps.get_model(EVIDENCE_KINDS[kind][0])


def evidence_target(*, kind: str, pk, membership, action: str = Action.VIEW):
    """The object of `kind` with `pk` the membership may reach, or None."""
    if kind not in EVIDENCE_KINDS:
        return None
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return _model(kind).objects.restrict(membership, action).filter(pk=pk).first()


def evidence_choices(*, document, membership) -> list[tuple[str, str]]:
    """(value, label) of every obligation, measure and review item of the document's systems."""
    systems = list(document.systems.values_list("pk", flat=True))
    choices = []
    for kind, (_label, path, kind_label) in EVIDENCE_KINDS.items():
        queryset = _model(kind).objects.restrict(membership, Action.VIEW).filter(**{f"{path}__in": systems})
        for obj in queryset.select_related(path)[:200]:
            choices.append((f"{kind}:{obj.pk}", f"{kind_label}: {obj}"))
    return choices


def evidence_documents(target):
    """The documents offered as evidence for `target`."""
    from documents.models import Document

    content_type = ContentType.objects.get_for_model(type(target))
    return Document.objects.filter(
        evidence_links__target_type=content_type, evidence_links__target_id=target.pk
    ).distinct()
