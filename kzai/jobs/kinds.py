"""The registry of job kinds: each domain app registers the long work it runs in the background.

The platform knows nothing of what a job does. An app calls `register(...)` in its
`AppConfig.ready()` with the kind's name, the role action a member needs to start it and to see
it, a label, the function that does the work, and optionally where a finished job's result is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kzai.accounts.models import Membership
    from kzai.jobs.models import Job


class JobError(Exception):
    """The job cannot do its work for a reason the person who started it should read.

    `result` (optional) is kept on the failed job, e.g. a list of problems found in an input file.
    """

    def __init__(self, message: str, result: dict | None = None):
        super().__init__(message)
        self.message = str(message)
        self.result = result or {}


@dataclass(frozen=True)
class JobKind:
    """One kind of background job.

    `run(job=, membership=, progress=)` does the work as `membership` (re-read when the job runs,
    so the rights at run time apply) and returns the JSON result; it raises `JobError` for a
    failure the person should read. `result_url(job)` is the page that shows a finished job's result.
    """

    name: str
    action: str
    label: Any
    run: Callable[..., dict]
    result_url: Callable[[Job], str] | None = None


_KINDS: dict[str, JobKind] = {}


def register(
    name: str,
    *,
    action: str,
    label: Any,
    run: Callable[..., dict],
    result_url: Callable[[Job], str] | None = None,
) -> JobKind:
    """Register (or re-register, e.g. on autoreload) a job kind under `name`."""
    kind = JobKind(name=name, action=action, label=label, run=run, result_url=result_url)
    _KINDS[name] = kind
    return kind


def get(name: str) -> JobKind | None:
    return _KINDS.get(name)


def all_kinds() -> list[JobKind]:
    return list(_KINDS.values())


def allowed_kinds(membership: Membership) -> list[str]:
    """The kinds whose action the membership's role allows."""
    return [kind.name for kind in _KINDS.values() if membership.allows(kind.action)]


__all__ = ["JobError", "JobKind", "register", "get", "all_kinds", "allowed_kinds"]
