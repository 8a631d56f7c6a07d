"""The overview: where the organization stands, assembled from what each capability contributes.

The platform knows no domain app, so the overview page (`kzai.core.views.DashboardView`) and its
JSON twin (`/api/v1/overview/`) only lay out what the apps hand them. An app registers a provider in
its `AppConfig.ready()` with `register_overview_section(key, provider, order=…)`; the provider takes
the acting membership and returns an `OverviewSection`: its headline figures (each a number that
links to the list it counts, filtered), its charts, the member's own open items, and, for the
capability that owns it, the compliance score with its trend. Every provider reads through
`restrict(membership, …)`, so the overview shows what the member may see and nothing else, and it
makes a fixed number of queries whatever the amount of data.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

# How many of the member's own open items the overview lists (soonest due first).
MY_ITEMS_LIMIT = 10


@dataclass(frozen=True)
class Figure:
    """One headline number and the list it counts (the URL filters that list to exactly these)."""

    key: str  # stable, for the API: "obligations_overdue"
    label: str
    value: int
    url: str
    attention: bool = False  # a non-zero value asks for action
    display: str = ""  # the value as shown when it is not a plain count (a sum of money)
    unit: str = ""  # for the API: "count" unless said otherwise

    @property
    def shown(self) -> str:
        return self.display or str(self.value)


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: a category, its count and the list of exactly those."""

    key: str  # the category's value ("high", "met")
    label: str
    value: int
    url: str
    tone: str  # colour class shared with the badges: "ok", "warn", "danger", "neutral"


# Geometry of the server-rendered SVG charts (user units of the viewBox; the SVG scales to its box).
CHART_WIDTH = 400
CHART_ROW = 44  # per bar: its label on one line, the bar and its count below
BAR_MAX = 330  # the longest bar; the count is written after it
SPARK_WIDTH = 240
SPARK_HEIGHT = 48


@dataclass(frozen=True)
class ChartRow:
    bar: Bar
    label_y: int
    bar_y: int
    width: int
    value_x: int


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart, drawn as SVG by `core/chart.html` (no script, no library)."""

    key: str
    title: str
    description: str
    bars: tuple[Bar, ...]

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)

    @property
    def height(self) -> int:
        return CHART_ROW * len(self.bars)

    @property
    def width(self) -> int:
        return CHART_WIDTH

    @property
    def rows(self) -> list[ChartRow]:
        largest = max((bar.value for bar in self.bars), default=0) or 1
        rows = []
        for index, bar in enumerate(self.bars):
            top = index * CHART_ROW
            # A non-zero count always shows a sliver of bar; zero shows none.
            width = round(BAR_MAX * bar.value / largest) if bar.value else 0
            width = max(width, 3) if bar.value else 0
            rows.append(ChartRow(bar=bar, label_y=top + 15, bar_y=top + 21, width=width, value_x=width + 6))
        return rows


@dataclass(frozen=True)
class OpenItem:
    """Something assigned to the member that is not done yet."""

    kind: str  # what it is, in words: "Obligation", "Remediation action"
    title: str
    system: str  # the AI system's name ("" when it concerns none)
    due_on: datetime.date | None
    url: str
    overdue: bool = False


@dataclass(frozen=True)
class TrendPoint:
    day: datetime.date
    percent: int | None


@dataclass(frozen=True)
class ScoreSummary:
    """The compliance score now, and its history (one point a day, oldest first)."""

    met: int
    applicable: int
    percent: int | None
    url: str
    trend: tuple[TrendPoint, ...] = ()

    @property
    def first_percent(self) -> int | None:
        """The oldest score of the trend (days without a score skipped)."""
        known = [p.percent for p in self.trend if p.percent is not None]
        return known[0] if known else None

    @property
    def change(self) -> int | None:
        """Points gained (or lost) since the oldest point of the trend with a score."""
        if self.percent is None or self.first_percent is None:
            return None
        return self.percent - self.first_percent

    @property
    def change_size(self) -> int | None:
        """The size of the change, without its sign (the words say up or down)."""
        return None if self.change is None else abs(self.change)

    @property
    def trend_since(self) -> datetime.date | None:
        known = [p.day for p in self.trend if p.percent is not None]
        return known[0] if known else None

    @property
    def sparkline(self) -> str:
        """SVG polyline points of the trend (0 % at the bottom, 100 % at the top); "" under two points."""
        known = [p for p in self.trend if p.percent is not None]
        if len(known) < 2:
            return ""
        first, span = known[0].day, max((known[-1].day - known[0].day).days, 1)
        points = [
            (round(SPARK_WIDTH * (p.day - first).days / span), round(SPARK_HEIGHT * (100 - p.percent) / 100))
            for p in known
        ]
        return " ".join(f"{x},{y}" for x, y in points)

    @property
    def spark_width(self) -> int:
        return SPARK_WIDTH

    @property
    def spark_height(self) -> int:
        return SPARK_HEIGHT


@dataclass
class OverviewSection:
    """What one capability contributes to the overview; every part is optional."""

    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    my_items: list[OpenItem] = field(default_factory=list)
    score: ScoreSummary | None = None
    # True when the capability holds nothing the member could see (no AI system registered yet):
    # the overview then shows the first-run guide.
    empty: bool = False


@dataclass
class Overview:
    figures: list[Figure]
    charts: list[Chart]
    my_items: list[OpenItem]
    score: ScoreSummary | None
    first_run: bool


_providers: dict[str, tuple[int, Callable[..., OverviewSection]]] = {}


def register_overview_section(key: str, provider: Callable[..., OverviewSection], *, order: int) -> None:
    """Show `provider(membership)`'s section on the overview; sections appear in ascending `order`."""
    _providers[key] = (order, provider)


def registered_overview_sections() -> list[str]:
    return [key for key, _ in sorted(_providers.items(), key=lambda item: (item[1][0], item[0]))]


def overview_for(membership) -> Overview:
    """The overview as `membership` may see it: every registered section, in order."""
    figures, charts, items = [], [], []
    score = None
    first_run = False
    for key in registered_overview_sections():
        section = _providers[key][1](membership)
        figures += section.figures
        charts += section.charts
        items += section.my_items
        score = score or section.score
        first_run = first_run or section.empty
    # Soonest due first; items without a due date last.
    items.sort(key=lambda item: (item.due_on is None, item.due_on or datetime.date.max))
    return Overview(
        figures=figures, charts=charts, my_items=items[:MY_ITEMS_LIMIT], score=score, first_run=first_run
    )
