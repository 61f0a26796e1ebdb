"""Spell-checking the library's texts with hunspell, against a reviewed allow-list.

hunspell (Debian: ``hunspell hunspell-no``) is optional at run time: without it,
:func:`check_spelling` raises one error that says how to install it. Words the dictionaries
lack but that are right (names, report terms, compounds) are listed in
``dilemmas/spelling/allow-*.txt``, which ship with the library; an agency folder may add its
own ``spelling/allow-*.txt``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..content.library import Library
from ..content.loader import iter_ltexts
from ..content.models import Lang
from ..errors import EtikkverkstedError, Problem
from ..resources import library_dir

DICTIONARIES: dict[Lang, str] = {"nb": "nb_NO", "nn": "nn_NO"}
INSTALL_HUNSPELL = (
    "install hunspell and the Norwegian dictionaries: on Debian/Ubuntu "
    "`sudo apt-get install hunspell hunspell-no`; then run the command again"
)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
REPORT_TITLE = "Kunnskapsgrunnlag om generativ KI i statlige virksomheter"


@dataclass(frozen=True)
class SpellingResult:
    """Unknown words per text, and the totals that give the error rate."""

    problems: list[Problem]
    words: int
    unknown: int

    @property
    def rate(self) -> float:
        return self.unknown / self.words if self.words else 0.0


def words(text: str) -> list[str]:
    """The words of *text* as hunspell should see them (placeholders and the report's
    bokmål title left out; hyphenated compounds split into their parts)."""
    text = _PLACEHOLDER.sub(" ", text.replace(REPORT_TITLE, " "))
    return [part for w in _WORD.findall(text) for part in w.split("-") if part]


def allow_list(lang: Lang, folder: Path | None = None) -> frozenset[str]:
    """The reviewed words for *lang* (common and per standard), lower-cased."""
    base = folder or library_dir() / "spelling"
    allowed: set[str] = set()
    for name in ("allow-common.txt", f"allow-{lang}.txt"):
        path = base / name
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                line = line.split("#", 1)[0].strip()
                if line:
                    allowed.add(line.lower())
    return frozenset(allowed)


def _texts(library: Library, lang: Lang) -> Iterator[tuple[Problem, str]]:
    """(where, text) for every text of the library in *lang*; *where* has file and line."""
    for section, key, item in library.iter_items():
        origin = library.origin(section, key)
        for loc, text in iter_ltexts(item, ()):
            value = getattr(text, lang)
            if not value:
                continue
            full = (*loc, lang)
            where = Problem("", file=origin.file if origin else None,
                            line=library.line_of(origin, full) if origin else None,
                            field=".".join(str(p) for p in ((*origin.loc, *full) if origin
                                                            else (section, key, *full))))
            yield where, value


def check_spelling(library: Library, lang: Lang, *,
                   only: set[Path] | None = None) -> SpellingResult:
    """Spell-check every text of *library* in *lang*; with *only*, just texts from those
    files. One problem per text with unknown words, naming file, line and the words."""
    hunspell = shutil.which("hunspell")
    if hunspell is None:
        raise EtikkverkstedError(Problem("spell-checking needs hunspell, which is not "
                                         "installed", INSTALL_HUNSPELL))
    entries = [(where, words(text)) for where, text in _texts(library, lang)
               if only is None or where.file in only]
    tokens = sorted({w for _, ws in entries for w in ws})
    try:
        proc = subprocess.run([hunspell, "-d", DICTIONARIES[lang], "-i", "utf-8", "-l"],
                              input="\n".join(tokens), capture_output=True, text=True,
                              timeout=300, check=False)
    except subprocess.TimeoutExpired:
        raise EtikkverkstedError(Problem("hunspell did not finish within 300 s",
                                         "try again")) from None
    if proc.returncode != 0 or "Can't open affix or dictionary" in proc.stderr:
        raise EtikkverkstedError(Problem(
            f"hunspell has no {DICTIONARIES[lang]} dictionary ({proc.stderr.strip()[:120]})",
            INSTALL_HUNSPELL))
    # The packaged list, plus `spelling/allow-*.txt` in any agency folder laid on top.
    allowed = allow_list(lang).union(*(allow_list(lang, folder / "spelling")
                                       for folder in library.folders))
    unknown = {w for w in proc.stdout.split() if w.lower() not in allowed}
    problems: list[Problem] = []
    total = bad = 0
    for where, ws in entries:
        total += len(ws)
        hits = [w for w in ws if w in unknown]
        bad += len(hits)
        if hits:
            problems.append(Problem(
                f"unknown to {DICTIONARIES[lang]}: {', '.join(dict.fromkeys(hits))}",
                "correct the spelling, or add the reviewed word to spelling/allow-"
                f"{lang}.txt in your library folder",
                where.file, where.line, where.field))
    return SpellingResult(problems, total, bad)
