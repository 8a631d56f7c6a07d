"""Which objects of the other apps take documents as evidence, and how to read them back."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

# model label → the path from that model to its AI system (for the system's documents).
EVIDENCE_MODELS = {
    "risk.Obligation": "system",
    "risk.ReviewItem": "review__system",
    "risk.Measure": "system",
}


def evidence_documents(target):
    """The documents offered as evidence for `target`, newest link first."""
    from documents.models import Document

    content_type = ContentType.objects.get_for_model(type(target))
    return Document.objects.filter(
        evidence_links__target_type=content_type, evidence_links__target_id=target.pk
    ).distinct()
