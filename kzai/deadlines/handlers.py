"""Daily handlers: capabilities that keep deadlines of their own register a refresh for the sweep.

The deadline mechanism knows no domain app. An app whose deadlines can come due without any
change being made (a first review falling due a year after a classification, say) registers a
handler in its `AppConfig.ready()`; the daily sweep runs every handler, as the system actor,
before it sends reminders, so the reminders see deadlines that are up to date.
"""

from __future__ import annotations

from collections.abc import Callable

_daily_handlers: dict[str, Callable[[], object]] = {}


def register_daily_handler(key: str, handler: Callable[[], object]) -> None:
    """Run `handler()` in every daily sweep; its result is reported under `key`."""
    _daily_handlers[key] = handler


def daily_handlers() -> dict[str, Callable[[], object]]:
    return dict(_daily_handlers)
