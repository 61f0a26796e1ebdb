"""DFD's overview across agencies: figures from many outcomes, anonymous by default.

:func:`summarize` counts what the agencies sent in (one outcome per workshop) and returns an
:class:`Overview`, which the Word report, the CSV and the JSON are all made from, so the three
always agree. It never reads the fields that hold names (who, owner, decided by, raised by,
note-taker, participants, facilitator). Agency names come in only with ``name_agencies``, and
free text (decisions, actions, parked issues — which can name people) only with
``include_text``.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field

from ..content.library import Library
from ..content.models import Lang
from .model import Outcome

AUDIENCES = ("leaders", "parties", "employees")
KINDS = ("act", "influence", "monitor")
NO_THEME = "-"
"""Theme key for an action or point not tied to any dilemma."""


class _Overview(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class DilemmaUse(_Overview):
    id: str
    title: str
    by_audience: dict[str, int] = Field(description="Workshops that used it, by audience.")

    @property
    def total(self) -> int:
        return sum(self.by_audience.values())


class PositionSpread(_Overview):
    """Summed head counts at each place on a dilemma's position line, for one audience."""

    dilemma_id: str
    title: str
    audience: str
    left: int
    between: int
    right: int
    workshops: int = Field(description="Workshops whose minutes gave counts.")


class ThemeCount(_Overview):
    theme_id: str
    theme: str
    counts: dict[str, int] = Field(description="By action kind, or a single 'count'.")

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class TextItem(_Overview):
    """A free text (only with include_text): what, of which kind, in which audience."""

    section: str
    audience: str
    text: str


class Overview(_Overview):
    """Everything DFD's report shows, already counted."""

    language: Lang
    workshops: int
    by_audience: dict[str, int]
    by_trinn: dict[int, dict[str, int]] = Field(description="Trinn → audience → workshops.")
    by_language: dict[str, int]
    period: tuple[str, str] | None = Field(description="First and last month (YYYY-MM).")
    dilemmas: list[DilemmaUse]
    positions: list[PositionSpread]
    actions_by_kind: dict[str, int]
    actions_by_theme: list[ThemeCount]
    parked_by_theme: list[ThemeCount]
    parties_points_by_theme: list[ThemeCount]
    agencies: list[str] = Field(default_factory=list,
                                description="Only with name_agencies: the agencies' names.")
    texts: list[TextItem] = Field(default_factory=list,
                                  description="Only with include_text: the free texts.")


def summarize(outcomes: Iterable[Outcome], library: Library, lang: Lang = "nb", *,
              name_agencies: bool = False, include_text: bool = False) -> Overview:
    """Count what *outcomes* hold; titles and themes come from *library* in *lang*."""
    outcomes = list(outcomes)

    def dilemma_title(dilemma_id: str, fallback: str) -> str:
        d = library.dilemmas.get(dilemma_id)
        return d.title.get(lang) if d is not None else (fallback or dilemma_id)

    def themes_of(dilemma_ids: list[str]) -> list[str]:
        found = []
        for dilemma_id in dilemma_ids:
            d = library.dilemmas.get(dilemma_id)
            for theme in (d.themes if d is not None else []):
                if theme not in found:
                    found.append(theme)
        return found or [NO_THEME]

    def theme_name(theme_id: str) -> str:
        if theme_id == NO_THEME:
            return library.label("summary_no_theme", lang)
        theme = library.themes.get(theme_id)
        return theme.name.get(lang) if theme is not None else theme_id

    by_audience = Counter(o.workshop.audience for o in outcomes)
    by_trinn: dict[int, Counter[str]] = {t: Counter() for t in range(1, 5)}
    months = sorted(o.workshop.date.strftime("%Y-%m") for o in outcomes)
    uses: dict[str, Counter[str]] = {}
    titles: dict[str, str] = {}
    spread: dict[tuple[str, str], list[int]] = {}
    actions_kind: Counter[str] = Counter()
    actions_theme: dict[str, Counter[str]] = {}
    parked_theme: Counter[str] = Counter()
    points_theme: Counter[str] = Counter()
    texts: list[TextItem] = []
    for o in outcomes:
        audience = o.workshop.audience
        by_trinn[o.workshop.maturity][audience] += 1
        for d in o.dilemmas:
            titles.setdefault(d.id, dilemma_title(d.id, d.title))
        for dilemma_id, title in o.workshop.dilemma_titles.items():
            titles.setdefault(dilemma_id, dilemma_title(dilemma_id, title))
            uses.setdefault(dilemma_id, Counter())[audience] += 1
        for d in o.dilemmas:
            if d.has_counts:
                entry = spread.setdefault((d.id, audience), [0, 0, 0, 0])
                for i, p in enumerate((d.left, d.between, d.right)):
                    entry[i] += p.count or 0
                entry[3] += 1
        for a in o.actions:
            actions_kind[a.kind] += 1
            for theme in themes_of(a.dilemma_ids):
                actions_theme.setdefault(theme, Counter())[a.kind] += 1
        for p in o.parking:
            for theme in themes_of(p.dilemma_ids):
                parked_theme[theme] += 1
        if audience == "parties":
            for point in o.next_parties_meeting:
                for theme in themes_of(point.dilemma_ids):
                    points_theme[theme] += 1
        if include_text:
            texts += [TextItem(section="decisions", audience=audience, text=x.decision)
                      for x in o.decisions]
            texts += [TextItem(section=f"actions_{x.kind}", audience=audience, text=x.what)
                      for x in o.actions]
            texts += [TextItem(section="parking", audience=audience, text=x.issue)
                      for x in o.parking]
            texts += [TextItem(section="shared", audience=audience, text=x.agreed)
                      for x in o.shared_understanding]
            texts += [TextItem(section="next_meeting", audience=audience, text=x.point)
                      for x in o.next_parties_meeting]

    def theme_counts(counter: dict[str, Counter[str]] | Counter[str]) -> list[ThemeCount]:
        rows = []
        for theme_id, value in counter.items():
            counts = ({k: value[k] for k in KINDS} if isinstance(value, Counter)
                      else {"count": value})
            rows.append(ThemeCount(theme_id=theme_id, theme=theme_name(theme_id), counts=counts))
        return sorted(rows, key=lambda r: (-r.total, r.theme_id == NO_THEME, r.theme))

    return Overview(
        language=lang,
        workshops=len(outcomes),
        by_audience={a: by_audience[a] for a in AUDIENCES},
        by_trinn={t: {a: c[a] for a in AUDIENCES} for t, c in by_trinn.items()},
        by_language=dict(sorted(Counter(o.workshop.language for o in outcomes).items())),
        period=(months[0], months[-1]) if months else None,
        dilemmas=sorted((DilemmaUse(id=i, title=titles[i],
                                    by_audience={a: c[a] for a in AUDIENCES})
                         for i, c in uses.items()), key=lambda u: (-u.total, u.title)),
        positions=[PositionSpread(dilemma_id=i, title=titles[i], audience=a, left=v[0],
                                  between=v[1], right=v[2], workshops=v[3])
                   for (i, a), v in sorted(spread.items(), key=lambda kv: (
                       titles[kv[0][0]], AUDIENCES.index(kv[0][1])))],
        actions_by_kind={k: actions_kind[k] for k in KINDS},
        actions_by_theme=theme_counts(actions_theme),
        parked_by_theme=theme_counts(parked_theme),
        parties_points_by_theme=theme_counts(points_theme),
        agencies=sorted({o.workshop.agency for o in outcomes}) if name_agencies else [],
        texts=texts,
    )


def overview_csv(overview: Overview) -> str:
    """Return the overview's figures as one long CSV table: section, keys, value."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["section", "key", "subkey", "value"])
    writer.writerow(["workshops", "all", "", overview.workshops])
    for audience, n in overview.by_audience.items():
        writer.writerow(["workshops_by_audience", audience, "", n])
    for trinn, counts in overview.by_trinn.items():
        for audience, n in counts.items():
            writer.writerow(["workshops_by_trinn", trinn, audience, n])
    for language, n in overview.by_language.items():
        writer.writerow(["workshops_by_language", language, "", n])
    for use in overview.dilemmas:
        for audience, n in use.by_audience.items():
            writer.writerow(["dilemma_used", use.id, audience, n])
    for s in overview.positions:
        for place in ("left", "between", "right"):
            writer.writerow([f"position_{s.audience}", s.dilemma_id, place, getattr(s, place)])
    for kind, n in overview.actions_by_kind.items():
        writer.writerow(["actions_by_kind", kind, "", n])
    for section, rows in (("actions_by_theme", overview.actions_by_theme),
                          ("parked_by_theme", overview.parked_by_theme),
                          ("parties_points_by_theme", overview.parties_points_by_theme)):
        for row in rows:
            for key, n in row.counts.items():
                writer.writerow([section, row.theme_id, key, n])
    for agency in overview.agencies:
        writer.writerow(["agency", agency, "", 1])
    for item in overview.texts:
        writer.writerow([f"text_{item.section}", item.audience, "", item.text])
    return buffer.getvalue()
