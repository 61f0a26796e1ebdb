"""Plain-text views of the library for the terminal (`list`, `show`)."""

from __future__ import annotations

import textwrap
from typing import Any

from .library import Library
from .models import AUDIENCES, Dilemma, Lang

READING_PER_DILEMMA = 3
"""Items of further reading `show` prints per dilemma; the planner's rule
(planning.rules.READING_PER_DILEMMA) gives the same number."""


def dilemma_summary(dilemma: Dilemma, lang: Lang) -> dict[str, Any]:
    """Id, title, audiences and the maturity range where the dilemma is relevant."""
    relevant = sorted(t for t, w in dilemma.maturity_relevance.items() if w > 0) or [1, 4]
    audiences = [a for a in AUDIENCES if any(a in q.audiences for q in dilemma.questions)]
    return {
        "id": dilemma.id,
        "title": dilemma.title.get(lang),
        "audiences": audiences,
        "maturity": [relevant[0], relevant[-1]],
        "minutes": dilemma.minutes,
        "source": dilemma.source,
    }


def trinn_range(maturity: tuple[int, int] | list[int]) -> str:
    """Return a maturity range as people write it: "2" for one step, "1-2" for more."""
    low, high = maturity[0], maturity[1]
    return str(low) if low == high else f"{low}-{high}"


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, width=88, initial_indent=indent, subsequent_indent=indent)


def render_dilemma_text(dilemma: Dilemma, library: Library, lang: Lang) -> str:
    """The whole dilemma as readable text, with headings from the library's labels."""
    L = lambda key: library.label(key, lang)  # noqa: E731
    out: list[str] = [dilemma.title.get(lang).upper(), dilemma.summary.get(lang), ""]
    out += [L("scenario"), _wrap(dilemma.scenario.get(lang)), ""]
    out += [L("where_do_you_stand"),
            _wrap("A: " + dilemma.poles.left.get(lang)),
            _wrap("B: " + dilemma.poles.right.get(lang)), ""]
    out += [L("background"), _wrap(dilemma.background.get(lang)), ""]
    out.append(L("facts"))
    for fid in dilemma.facts:
        fact = library.facts[fid]
        out.append(_wrap(f"- {fact.statement.get(lang)} ({fact.source})"))
    out.append("")
    for audience in AUDIENCES:
        questions = [q for q in dilemma.questions if audience in q.audiences]
        if not questions:
            continue
        out.append(f"{L('questions_for')} {library.audiences[audience].name.get(lang).lower()}"
                   if audience in library.audiences else L("questions_for"))
        for q in questions:
            side = f" [{L('side_' + q.side)}]" if audience == "parties" else ""
            out.append(_wrap(f"- ({L('trinn')} {trinn_range(q.maturity)}, "
                             f"{L('role_' + q.role)}{side}) {q.text.get(lang)}"))
            for p in q.probes:
                out.append(_wrap(f"· {p.get(lang)}", "      "))
        out.append("")
    notes = dilemma.facilitator
    for key, items in (("typical_positions", notes.typical_positions),
                       ("listen_for", notes.listen_for), ("pitfalls", notes.pitfalls)):
        out.append(L(key))
        out += [_wrap(f"- {t.get(lang)}") for t in items]
        out.append("")
    mto = ", ".join(library.mto[m].name.get(lang) if m in library.mto else m
                    for m in dilemma.mto)
    themes = ", ".join(library.themes[t].name.get(lang) for t in dilemma.themes)
    legal = ", ".join(library.legal_frames[x].name.get(lang) for x in dilemma.legal)
    recs = ", ".join(str(n) for n in dilemma.recommendations)
    out += [f"{L('mto')}: {mto}", f"{L('themes')}: {themes}"]
    if legal:
        out.append(f"{L('legal_frame')}: {legal}")
    out += [f"{L('decision_' + dilemma.decision)}: {dilemma.decision_note.get(lang)}",
            f"{L('recommendations')}: {recs}",
            f"{L('method')}: {library.methods[dilemma.method].name.get(lang)}, "
            f"{dilemma.minutes} {L('minutes_short')}",
            f"{L('source')}: {dilemma.source}"]
    for strategic in library.strategic_for(dilemma.id):
        out.append(f"{L('show_strategic')}: {strategic.title.get(lang)} ({strategic.source})")
    reading = library.reading_for(dilemma.themes, READING_PER_DILEMMA)
    if reading:
        out += ["", L("docx_further_reading")]
        out += [_wrap(f"- {r.publisher.get(lang)}: «{r.title}» ({r.kind.get(lang)})")
                for r in reading]
    return "\n".join(out)
