"""Job kinds used only by the tests of the job platform (registered on import)."""

from kzai.core.roles import Action
from kzai.jobs import kinds


def _count(*, job, membership, progress):
    total = int(job.params.get("rows", 3))
    for done in range(total + 1):
        progress(done, total)
    return {"counted": total, "as": membership.user.email, "organization": membership.organization_id}


def _refuse(*, job, membership, progress):
    raise kinds.JobError("The file has no header row.", result={"file_errors": ["no header"]})


def _crash(*, job, membership, progress):
    raise RuntimeError("bug")


class WorkerLost(BaseException):
    """What the job sees when its worker process dies (a hard time limit, a kill): nothing catches it."""


def _lose_worker(*, job, membership, progress):
    progress(1, 10)
    raise WorkerLost


COUNT = kinds.register("tests.count", action=Action.VIEW, label="Counting", run=_count)
REFUSE = kinds.register("tests.refuse", action=Action.VIEW, label="Refusing", run=_refuse)
CRASH = kinds.register("tests.crash", action=Action.VIEW, label="Crashing", run=_crash)
WORKER_LOST = kinds.register("tests.worker_lost", action=Action.VIEW, label="Losing", run=_lose_worker)
IMPORTING = kinds.register(
    "tests.importing",
    action=Action.IMPORT,
    label="Importing",
    run=_count,
    result_url=lambda job: f"/registry/systems/import/?job={job.pk}",
)
