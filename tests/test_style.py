"""The library follows its own style sheet, docs/nynorsk-stil.md.

The style sheet is the single source: its tables list, for each written standard, the forms
the library has chosen not to use. This test reads those tables and fails on any nynorsk text
that uses a form ruled out for nynorsk, and any bokmål text that uses a listed nynorsk form.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from etikkverksted.authoring import spelling
from etikkverksted.content.loader import iter_ltexts

STYLE_SHEET = Path(__file__).resolve().parents[1] / "docs" / "nynorsk-stil.md"


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.find("\n## ", start + len(heading))
    return text[start:end if end != -1 else len(text)]


def _ruled_out(section: str) -> set[str]:
    """The right-hand column of the section's table: forms the library does not use."""
    forms: set[str] = set()
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 2 or cells[1] in ("ikkje", "---"):
            continue
        forms.update(f.strip().lower() for f in cells[1].split(",") if f.strip())
    return forms


def _rules() -> dict[str, set[str]]:
    text = STYLE_SHEET.read_text(encoding="utf-8")
    nn = _ruled_out(_section(text, "## Nynorsk"))
    bokmal = _section(text, "## Bokmål")
    nb = _ruled_out(bokmal)
    listed = bokmal[bokmal.index("Bokmålstekstar skal ikkje ha"):]
    listed = listed.split("\n\n")[0]
    nb |= {w.strip().lower() for chunk in re.findall(r"\*([^*]+)\*", listed)
           for w in chunk.split(",") if w.strip()}
    return {"nn": nn, "nb": nb}


def _offences(library, lang: str, forms: set[str]) -> list[str]:
    single = {f for f in forms if " " not in f}
    phrases = [f for f in forms if " " in f]
    found = []
    for section, key, item in library.iter_items():
        for loc, ltext in iter_ltexts(item, ()):
            text = getattr(ltext, lang)
            if not text:
                continue
            hits = {w.lower() for w in spelling.words(text)} & single
            flat = " ".join(text.lower().split())
            hits |= {p for p in phrases if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", flat)}
            if hits:
                where = f"{section}:{key}:{'.'.join(map(str, loc))}"
                found.append(f"{where}: {', '.join(sorted(hits))}")
    return found


def test_style_sheet_lists_the_forms_the_issue_names() -> None:
    rules = _rules()
    assert {"bruker", "gje", "gjev", "hos", "samstundes", "retningsliner", "einige",
            "medlemmene", "medlemmer", "medarbeidarane", "saksbehandlar", "leder",
            "dføs modningstrapp"} <= rules["nn"]
    assert {"ikkje", "eg", "kva", "korleis", "verksemd", "hjå", "modenhetstrappen"} <= rules["nb"]


@pytest.mark.parametrize("lang", ["nn", "nb"])
def test_texts_use_only_the_forms_of_the_style_sheet(library, lang: str) -> None:
    found = _offences(library, lang, _rules()[lang])
    assert not found, (f"forms that docs/nynorsk-stil.md rules out in {lang}:\n"
                       + "\n".join(found))


def test_the_check_catches_a_ruled_out_form() -> None:
    """The check is not vacuous: texts with ruled-out forms are reported, in either standard."""
    from etikkverksted.content.models import LText

    class Fake:
        def iter_items(self):
            yield "test", "x", [LText(nb="Vi ser kva verksemda gjør.",
                                      nn="Ho bruker verktøyet hos oss, samstundes som DFØs "
                                         "modningstrapp seier noko anna.")]

    rules = _rules()
    [nn] = _offences(Fake(), "nn", rules["nn"])
    assert "bruker" in nn and "hos" in nn and "samstundes" in nn and "dføs modningstrapp" in nn
    [nb] = _offences(Fake(), "nb", rules["nb"])
    assert "kva" in nb and "verksemda" in nb
