"""The checks each type of audit requires, as data (`checks.yaml`), in English, Russian and Kazakh.

Where a Kazakh text is missing the Russian one is shown, never the English.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

CATALOGUE_FILE = Path(__file__).with_name("checks.yaml")
LANGUAGES = ("en", "ru", "kk")


def _pick(texts: dict) -> str:
    language = (translation.get_language() or "en").split("-")[0]
    if language == "kk":
        return texts.get("kk") or texts["ru"]
    return texts.get(language) or texts["en"]


@dataclass(frozen=True)
class Check:
    code: str
    types: tuple[str, ...]
    titles: dict
    texts: dict

    @property
    def title(self) -> str:
        return _pick(self.titles)

    @property
    def text(self) -> str:
        return _pick(self.texts)


@lru_cache(maxsize=1)
def load_checks(path: Path = CATALOGUE_FILE) -> dict[str, Check]:
    """Read and validate the catalogue; a malformed entry names its id and what is wrong."""
    from audit.choices import EngagementType

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    checks: dict[str, Check] = {}
    for entry in data.get("checks", []):
        code = entry.get("id")
        if not code or code in checks:
            raise ImproperlyConfigured(f"{path.name}: missing or duplicate id {code!r}")
        unknown = set(entry.get("types", [])) - set(EngagementType.values)
        if unknown or not entry.get("types"):
            raise ImproperlyConfigured(f"{path.name}: {code}: unknown or missing types {sorted(unknown)}")
        for key in ("title", "text"):
            if not all(entry.get(key, {}).get(lang) for lang in ("en", "ru")):
                raise ImproperlyConfigured(f"{path.name}: {code}: {key} needs at least en and ru")
        checks[code] = Check(
            code=code, types=tuple(entry["types"]), titles=entry["title"], texts=entry["text"]
        )
    return checks


def checks_for(engagement_type: str) -> list[Check]:
    """The checks an engagement of this type requires, in catalogue order."""
    return [check for check in load_checks().values() if engagement_type in check.types]


def catalogue_check(code: str) -> Check | None:
    return load_checks().get(code)
