"""The documents app's background jobs (kzai.jobs kinds): passport renders and inspection packs.

Registered in `DocumentsConfig.ready()`. Each `run` re-reads what it needs as the member who
started the job (the platform passes their membership with the rights they have at run time).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kzai.core.roles import Action
from kzai.jobs.kinds import JobError, register

PASSPORT = "documents.passport"
PACK = "documents.inspection_pack"


def _system(job, membership, action=Action.VIEW):
    from registry.models import AISystem

    system = AISystem.objects.restrict(membership, action).filter(pk=job.params.get("system_id")).first()
    if system is None:
        raise JobError(_("The AI system is no longer available to you."))
    return system


def run_passport(*, job, membership, progress) -> dict:
    from documents.passport import passport_render

    issue = passport_render(
        system=_system(job, membership),
        membership=membership,
        language=job.params["language"],
        progress=progress,
    )
    return {
        "system_id": issue.system_id,
        "document_id": issue.version.document_id,
        "version_id": issue.version_id,
        "sha256": issue.version.sha256,
        "content_sha256": issue.content_sha256,
        "download_url": reverse("document-version-download", args=[issue.version_id]),
    }


def run_pack(*, job, membership, progress) -> dict:
    from documents.pack import pack_build

    return pack_build(system=_system(job, membership), membership=membership, job=job, progress=progress)


def _system_tab(job) -> str:
    return reverse("documents:system_documents", args=[job.params["system_id"]])


def _pack_page(job) -> str:
    return reverse("documents:pack_detail", args=[job.pk])


def register_kinds() -> None:
    register(
        PASSPORT,
        action=Action.ADD,
        label=gettext_lazy("Technical passport"),
        run=run_passport,
        result_url=_system_tab,
    )
    register(
        PACK, action=Action.VIEW, label=gettext_lazy("Inspection pack"), run=run_pack, result_url=_pack_page
    )
