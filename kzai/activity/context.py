"""Who is acting right now: a request-scoped (or task-scoped) context for the activity log.

The middleware opens a context for each request; API authentication fills in the user when the
token is read; management commands and Celery tasks open their own with `acting_as(...)`.
"""

from __future__ import annotations

import contextvars
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class ActivityContext:
    user_id: int | None = None
    source: str = "system"  # web, api, command, task, system
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    # The actor's e-mail as recorded, looked up once per context (a long task writes many records).
    actor_label: str | None = None


_current: contextvars.ContextVar[ActivityContext | None] = contextvars.ContextVar(
    "kzai_activity", default=None
)


def current() -> ActivityContext:
    return _current.get() or ActivityContext()


@contextmanager
def acting_as(user=None, *, source: str = "system", request_id: str | None = None):
    """Attribute every change made inside the block to `user` (None for the system itself)."""
    context = ActivityContext(user_id=getattr(user, "pk", user), source=source)
    if request_id:
        context.request_id = request_id
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def set_user(user) -> None:
    """Called once authentication knows the user (DRF authenticates after the middleware)."""
    context = _current.get()
    if context is not None:
        context.user_id = getattr(user, "pk", None)
        context.actor_label = None
