"""DFD's overview report: the figures of :class:`~etikkverksted.outcome.summary.Overview` as a
Word document with native charts, each chart followed by a table of the same numbers (a chart
alone is not accessible, and a table can be copied).

Like every writer it decides nothing: what is counted, and what is left out for anonymity, is
settled in :func:`~etikkverksted.outcome.summary.summarize`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ...content.library import Library
from ...outcome.summary import AUDIENCES, KINDS, Overview, ThemeCount
from .charts import add_chart
from .document import Handout

LANGUAGE_TAGS = {"nb": "nb-NO", "nn": "nn-NO"}


@dataclass
class _Report:
    """The few things :class:`Handout` reads from what it renders (see DocumentSource)."""

    language_tag: str
    agency: str
    date: dt.date
    labels: dict[str, str] = field(default_factory=dict)
    docx_template: str | None = None

    def label(self, key: str) -> str:
        try:
            return self.labels[key]
        except KeyError:
            raise KeyError(f"label '{key}' is missing from the library's labels") from None


def write_overview(overview: Overview, library: Library, path: Path, *,
                   date: dt.date, template: Path | None = None) -> Path:
    """Write DFD's overview report for *overview* to *path* (a .docx) and return *path*.

    *date* stamps the document (use the newest workshop's date for reproducible output).
    """
    lang = overview.language
    labels = {key: text.get(lang) for key, text in library.labels.items()}
    report = _Report(language_tag=LANGUAGE_TAGS[lang], agency=labels["summary_author"],
                     date=date, labels=labels,
                     docx_template=str(template) if template else None)
    doc = Handout(report, labels["summary_title"], template)
    audience = {a: labels[f"audience_{a}"] for a in AUDIENCES}
    kind_names = {"act": labels["docx_act"], "influence": labels["docx_influence"],
                  "monitor": labels["docx_monitor"]}

    doc.paragraph(doc.title, "Title")
    if overview.period:
        doc.paragraph(doc.label("summary_subtitle", n=overview.workshops,
                                start=overview.period[0], end=overview.period[1]), "Subtitle")
    doc.paragraph(doc.label("summary_intro"))

    # -- the workshops --------------------------------------------------------------------
    doc.heading(doc.label("summary_workshops"), 1)
    trinns = sorted(overview.by_trinn)
    doc.paragraph(doc.label("summary_by_trinn_caption"), "Caption", keep_with_next=True)
    add_chart(doc, "column", [f"{labels['summary_col_trinn']} {t}" for t in trinns],
              [(audience[a], [overview.by_trinn[t][a] for t in trinns]) for a in AUDIENCES],
              doc.label("summary_by_trinn_alt"), height_cm=6.5)
    doc.table([doc.label("summary_col_trinn"), *audience.values(),
               doc.label("summary_col_total")],
              [[str(t), *(str(overview.by_trinn[t][a]) for a in AUDIENCES),
                str(sum(overview.by_trinn[t].values()))] for t in trinns]
              + [[doc.label("summary_col_total"),
                  *(str(overview.by_audience[a]) for a in AUDIENCES), str(overview.workshops)]],
              [2.4, *([(doc.text_width_cm - 4.8) / 3] * 3), 2.4],
              doc.label("summary_by_trinn_caption"), doc.label("summary_by_trinn_alt"))
    doc.paragraph(doc.label("summary_language_line", nb=overview.by_language.get("nb", 0),
                            nn=overview.by_language.get("nn", 0)))

    # -- the dilemmas ---------------------------------------------------------------------
    doc.heading(doc.label("summary_dilemmas"), 1)
    if overview.dilemmas:
        doc.table([doc.label("summary_col_dilemma"), *audience.values(),
                   doc.label("summary_col_total")],
                  [[u.title, *(str(u.by_audience[a]) for a in AUDIENCES), str(u.total)]
                   for u in overview.dilemmas],
                  [doc.text_width_cm - 4 * 2.7, 2.7, 2.7, 2.7, 2.7],
                  doc.label("summary_dilemmas"), doc.label("summary_dilemmas"))
    else:
        doc.paragraph(doc.label("summary_none"))

    # -- where people stood -------------------------------------------------------------------
    doc.heading(doc.label("summary_positions"), 1)
    doc.paragraph(doc.label("summary_positions_intro"))
    places = (("left", "summary_left"), ("between", "summary_between"),
              ("right", "summary_right"))
    for a in AUDIENCES:
        rows = [s for s in overview.positions if s.audience == a]
        doc.heading(audience[a], 2)
        if not rows:
            doc.paragraph(doc.label("summary_none"))
            continue
        caption = doc.label("summary_positions_caption", audience=audience[a])
        doc.paragraph(caption, "Caption", keep_with_next=True)
        add_chart(doc, "bar_stacked", [s.title for s in rows],
                  [(labels[key], [getattr(s, place) for s in rows]) for place, key in places],
                  doc.label("summary_positions_alt", audience=audience[a]),
                  height_cm=max(4.5, 1.3 * len(rows) + 2.0))
        doc.table([doc.label("summary_col_dilemma"), *(labels[k] for _, k in places)],
                  [[s.title, *(str(getattr(s, p)) for p, _ in places)] for s in rows],
                  [doc.text_width_cm - 3 * 2.6, 2.6, 2.6, 2.6], caption,
                  doc.label("summary_positions_alt", audience=audience[a]))

    # -- actions, parked issues, the parties' next meeting ------------------------------------
    doc.heading(doc.label("summary_actions"), 1)
    doc.paragraph(doc.label("summary_actions_line", **{k: overview.actions_by_kind[k]
                                                       for k in KINDS}))
    _theme_chart(doc, overview.actions_by_theme, [(kind_names[k], k) for k in KINDS],
                 "summary_actions_caption", "summary_actions_alt")
    doc.heading(doc.label("summary_parked"), 1)
    _theme_chart(doc, overview.parked_by_theme, [(doc.label("summary_col_count"), "count")],
                 "summary_parked_caption", "summary_parked_alt")
    doc.heading(doc.label("summary_parties"), 1)
    _theme_chart(doc, overview.parties_points_by_theme,
                 [(doc.label("summary_col_count"), "count")],
                 "summary_parties_caption", "summary_parties_alt")

    if overview.agencies:
        doc.heading(doc.label("summary_agencies"), 1)
        doc.items(list(overview.agencies))
    if overview.texts:
        doc.heading(doc.label("summary_texts"), 1)
        doc.paragraph(doc.label("summary_texts_warning"), italic=True)
        sections: dict[str, list[str]] = {}
        for item in overview.texts:
            sections.setdefault(item.section, []).append(
                f"{item.text} ({audience[item.audience]})")
        for section, texts in sections.items():
            doc.heading(doc.label(f"summary_text_{section}"), 2)
            doc.items(texts)
    return doc.save(path, doc.title)


def _theme_chart(doc: Handout, rows: list[ThemeCount], series: list[tuple[str, str]],
                 caption_key: str, alt_key: str) -> None:
    if not rows:
        doc.paragraph(doc.label("summary_none"))
        return
    caption = doc.label(caption_key)
    doc.paragraph(caption, "Caption", keep_with_next=True)
    add_chart(doc, "bar_stacked" if len(series) > 1 else "bar", [r.theme for r in rows],
              [(name, [r.counts.get(key, 0) for r in rows]) for name, key in series],
              doc.label(alt_key), height_cm=max(4.5, 1.0 * len(rows) + 2.0))
    width = doc.text_width_cm
    doc.table([doc.label("summary_col_theme"), *(name for name, _ in series)],
              [[r.theme, *(str(r.counts.get(key, 0)) for _, key in series)] for r in rows],
              [width - 2.6 * len(series), *([2.6] * len(series))], caption, doc.label(alt_key))
