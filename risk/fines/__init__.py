"""Fines exposure under the Code of Administrative Offences, Art. 641-1.

The article, the fines by size class, the MCI per year and which requirements expose a system to which
violation are data (`koap-641-1.yaml`, edited by a lawyer). `schedule()` loads and validates them once
per process; `risk.fines.selectors` turns a membership's open obligations into an exposure in tenge.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from kzai.accounts.models import OrganizationSize
from risk.choices import ReferenceLevel
from risk.models.library import translated

FINES_FILE = Path(__file__).resolve().parent / "koap-641-1.yaml"
LANGUAGES = ("en", "ru", "kk")


class FinesDataError(Exception):
    """The fines data file does not follow its schema; the message says where and what."""


@dataclass(frozen=True)
class Violation:
    id: str
    title: dict
    mark: str
    requirements: tuple[str, ...]

    @property
    def title_text(self) -> str:
        return translated(self.title)

    @property
    def mark_label(self) -> str:
        return ReferenceLevel(self.mark).label


@dataclass(frozen=True)
class Fine:
    """The fine for one violation for one size class, in MCI and in tenge for the MCI year used."""

    first_mci: int
    repeat_mci: int
    mci: int
    mci_year: int

    @property
    def first_kzt(self) -> int:
        return self.first_mci * self.mci

    @property
    def repeat_kzt(self) -> int:
        return self.repeat_mci * self.mci


@dataclass(frozen=True)
class FineSchedule:
    article: dict
    mark: str
    mci: dict[int, int]
    fines: dict[str, tuple[int, int]]  # size class → (first offence, repeated within a year), in MCI
    repeat_note: dict
    violations: tuple[Violation, ...]

    @property
    def article_text(self) -> str:
        return translated(self.article)

    @property
    def repeat_note_text(self) -> str:
        return translated(self.repeat_note)

    def violation_for(self, code: str) -> Violation | None:
        return self._by_code.get(code)

    @property
    def _by_code(self) -> dict[str, Violation]:
        return {code: v for v in self.violations for code in v.requirements}

    def mci_for(self, year: int) -> tuple[int, int]:
        """(year, MCI) in force for `year`: that year's value, else the latest earlier one, else the
        earliest known (a future year keeps the last adopted value until the data file is updated)."""
        earlier = [y for y in self.mci if y <= year]
        chosen = max(earlier) if earlier else min(self.mci)
        return chosen, self.mci[chosen]

    def fine(self, size: str, year: int) -> Fine:
        first, repeat = self.fines[size]
        mci_year, mci = self.mci_for(year)
        return Fine(first_mci=first, repeat_mci=repeat, mci=mci, mci_year=mci_year)


def _texts(value, where: str) -> dict:
    if not isinstance(value, dict) or any(not str(value.get(lang) or "").strip() for lang in LANGUAGES):
        raise FinesDataError(f"{FINES_FILE.name}: {where} needs a text in each of {', '.join(LANGUAGES)}.")
    return {lang: str(value[lang]) for lang in LANGUAGES}


def _mark(value, where: str) -> str:
    if value not in ReferenceLevel.values:
        raise FinesDataError(
            f"{FINES_FILE.name}: {where} has mark {value!r}; use one of {', '.join(ReferenceLevel.values)}."
        )
    return value


def parse(data) -> FineSchedule:
    """Validate the loaded YAML and build the schedule, with a message naming the wrong entry."""
    if not isinstance(data, dict):
        raise FinesDataError(f"{FINES_FILE.name}: the file must be a mapping.")
    mci = data.get("mci")
    if (
        not isinstance(mci, dict)
        or not mci
        or not all(isinstance(y, int) and isinstance(v, int) and v > 0 for y, v in mci.items())
    ):
        raise FinesDataError(
            f"{FINES_FILE.name}: mci must map each year to a positive whole number of tenge."
        )
    fines = data.get("fines")
    if not isinstance(fines, dict) or set(fines) != set(OrganizationSize.values):
        raise FinesDataError(
            f"{FINES_FILE.name}: fines must give exactly the size classes "
            f"{', '.join(OrganizationSize.values)}."
        )
    parsed_fines = {}
    for size, amounts in fines.items():
        if not isinstance(amounts, dict) or not all(
            isinstance(amounts.get(k), int) and amounts[k] > 0 for k in ("first", "repeat")
        ):
            raise FinesDataError(
                f"{FINES_FILE.name}: fines.{size} needs positive whole 'first' and 'repeat'."
            )
        parsed_fines[size] = (amounts["first"], amounts["repeat"])
    violations, seen_ids, seen_codes = [], set(), set()
    for index, item in enumerate(data.get("violations") or []):
        where = f"violations[{index}]"
        vid = item.get("id") if isinstance(item, dict) else None
        if not isinstance(vid, str) or not vid or vid in seen_ids:
            raise FinesDataError(f"{FINES_FILE.name}: {where} needs a unique id.")
        codes = item.get("requirements")
        if not isinstance(codes, list) or not codes or not all(isinstance(c, str) for c in codes):
            raise FinesDataError(f"{FINES_FILE.name}: {where} ({vid}) needs a list of requirement ids.")
        twice = seen_codes.intersection(codes)
        if twice:
            raise FinesDataError(
                f"{FINES_FILE.name}: {', '.join(sorted(twice))} belongs to more than one violation ({vid})."
            )
        seen_ids.add(vid)
        seen_codes.update(codes)
        violations.append(
            Violation(
                id=vid,
                title=_texts(item.get("title"), f"{where} ({vid}) title"),
                mark=_mark(item.get("mark"), f"{where} ({vid})"),
                requirements=tuple(codes),
            )
        )
    if not violations:
        raise FinesDataError(f"{FINES_FILE.name}: no violations are listed.")
    return FineSchedule(
        article=_texts(data.get("article"), "article"),
        mark=_mark(data.get("mark"), "article"),
        mci=dict(mci),
        fines=parsed_fines,
        repeat_note=_texts(data.get("repeat_note"), "repeat_note"),
        violations=tuple(violations),
    )


@lru_cache(maxsize=1)
def schedule() -> FineSchedule:
    """The fines schedule, read from its data file once per process."""
    with FINES_FILE.open(encoding="utf-8") as handle:
        return parse(yaml.safe_load(handle))
