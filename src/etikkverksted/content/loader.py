"""Loading the content library from YAML, with every error reported at once.

The packaged library is always the base. An agency's own folder (``--library DIR``) is laid on
top: its new ids add to the library, and an id that already exists may replace the packaged
item only when the file says so in ``replaces:``. Anything else that repeats an id is an error,
because a silent override is how a ministry's standard text disappears without anyone noticing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..errors import LibraryError, Problem
from ..resources import library_dir
from . import parsecache
from .library import Library, Origin
from .models import Lang, LibraryFile, LText
from .validation import validate_file
from .yamlsource import YamlSource, format_loc, read_yaml

_KEY_FIELD = {
    "recommendations": "number",
    "maturity_levels": "trinn",
}


def _key(section: str, item: BaseModel) -> str:
    return str(getattr(item, _KEY_FIELD.get(section, "id")))


def _yaml_files(folder: Path) -> list[Path]:
    # Everything named .yaml that is not a folder is read, so that a FIFO, a device or a
    # broken link is reported (read_yaml refuses them) instead of being skipped silently.
    files = [p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and not p.is_dir()]
    return sorted(files, key=lambda p: p.relative_to(folder).as_posix())


def _shown(path: Path, folder: Path, packaged: bool) -> str:
    rel = path.relative_to(folder).as_posix()
    return f"dilemmas/{rel}" if packaged else str(path)


def load_library(
    extra: Iterable[Path | str] = (), *, packaged: bool = True, lang: Lang | None = None
) -> Library:
    """Load the packaged library plus each folder in *extra*; raise LibraryError on problems.

    Every problem in every file is collected first, so an author sees all of them in one run.
    With *lang*, a text missing in that language is a problem too.
    """
    library, problems = _load(extra, packaged=packaged)
    if lang is not None and not problems:
        problems.extend(missing_translations(library, lang))
    if problems:
        raise LibraryError(problems)
    return library


def _load(extra: Iterable[Path | str], *, packaged: bool) -> tuple[Library, list[Problem]]:
    library = Library()
    problems: list[Problem] = []
    folders: list[tuple[Path, bool]] = []
    if packaged:
        folders.append((library_dir(), True))
    for folder in extra:
        path = Path(folder)
        if not path.is_dir():
            problems.append(Problem(
                "the library folder does not exist" if not path.exists() else
                "this is a file; --library takes a folder of YAML files",
                "give the folder that holds your own dilemma YAML files", path))
            continue
        folders.append((path, False))

    for folder, is_packaged in folders:
        defined_here: dict[tuple[str, str], Origin] = {}
        files = _yaml_files(folder)
        if not files and not is_packaged:
            problems.append(Problem("the folder has no .yaml files",
                                    "put your dilemma files (*.yaml) in it", folder))
        for path in files:
            shown = Path(_shown(path, folder, is_packaged))
            source, file_problems = read_yaml(path, str(shown), cache=True)
            problems.extend(file_problems)
            if source is None:
                continue
            library.sources[shown] = source
            model, file_problems = validate_file(LibraryFile, source)
            problems.extend(file_problems)
            if model is None:
                continue
            assert isinstance(model, LibraryFile)
            problems.extend(
                _merge(library, model, shown, source, defined_here, is_packaged)
            )
        library.folders.append(folder)
    parsecache.save()
    if not problems:
        problems.extend(_cross_references(library))
    return library, problems


def _merge(
    library: Library,
    model: LibraryFile,
    shown: Path,
    source: YamlSource,
    defined_here: dict[tuple[str, str], Origin],
    packaged: bool,
) -> list[Problem]:
    problems: list[Problem] = []
    replaces = set(model.replaces)
    entries: list[tuple[str, str, Any, tuple[str | int, ...]]] = []
    for section in Library.SECTIONS:
        for index, item in enumerate(getattr(model, section)):
            entries.append((section, _key(section, item), item, (section, index)))
    for key, text in model.labels.items():
        entries.append(("labels", key, text, ("labels", key)))

    for section, key, item, loc in entries:
        origin = Origin(shown, loc, source)
        ident = (section, key)
        if ident in defined_here:
            first = defined_here[ident]
            problems.append(Problem(
                f"`{key}` is defined twice in {section} (first at {first.file}:{first.line})",
                "give each item its own id, or delete one of them",
                shown, origin.line, format_loc(loc)))
            continue
        defined_here[ident] = origin
        existing = library.origins.get(ident)
        if existing is not None and not packaged and key not in replaces:
            problems.append(Problem(
                f"`{key}` already exists in {section} ({existing.file}:{existing.line})",
                f"to replace the packaged item on purpose, add `replaces: [{key}]` to this "
                "file; otherwise choose a new id",
                shown, origin.line, format_loc(loc)))
            continue
        library.origins[ident] = origin
        target = library.labels if section == "labels" else getattr(library, section)
        target[int(key) if section in _KEY_FIELD else key] = item

    for key in sorted(replaces):
        if not any(k == key for _, k, _, _ in entries):
            problems.append(Problem(
                f"`replaces` names `{key}`, but this file defines no item with that id",
                "remove it from `replaces`, or add the item", shown,
                source.line_of(("replaces",)), "replaces"))
    return problems


def _cross_references(library: Library) -> list[Problem]:
    """Check that every id a file refers to exists somewhere in the library."""
    problems: list[Problem] = []

    def check(section: str, key: str, field: str, refs: Sequence[Any], known: Any,
              what: str, where: str) -> None:
        origin = library.origins[(section, key)]
        for i, ref in enumerate(refs):
            if ref in known:
                continue
            tail: tuple[str | int, ...] = (field, i) if len(refs) > 1 or field.endswith("s") \
                else (field,)
            if field in ("method", "share_fact", "dimension", "id"):
                tail = (field,)
            choices = ", ".join(str(k) for k in sorted(known, key=str)[:12])
            problems.append(Problem(
                f"unknown {what} `{ref}`",
                f"use an id defined in {where} ({choices}{', ...' if len(known) > 12 else ''})",
                origin.file, library.line_of(origin, tail),
                format_loc((*origin.loc, *tail))))

    for key, d in library.dilemmas.items():
        check("dilemmas", key, "facts", d.facts, library.facts, "fact id", "a `facts:` section")
        check("dilemmas", key, "themes", d.themes, library.themes, "theme id",
              "`themes:` in blocks/frame.yaml")
        check("dilemmas", key, "legal", d.legal, library.legal_frames, "legal frame id",
              "`legal_frames:` in blocks/frame.yaml")
        check("dilemmas", key, "recommendations", d.recommendations, library.recommendations,
              "recommendation number", "recommendations.yaml")
        check("dilemmas", key, "method", [d.method], library.methods, "method id",
              "blocks/methods.yaml")
    for key, f in library.facts.items():
        check("facts", key, "themes", f.themes, library.themes, "theme id",
              "`themes:` in blocks/frame.yaml")
    for key, b in library.blocks.items():
        if b.method:
            check("blocks", key, "method", [b.method], library.methods, "method id",
                  "blocks/methods.yaml")
    for key, m in library.maturity_levels.items():
        if m.share_fact:
            check("maturity_levels", str(key), "share_fact", [m.share_fact], library.facts,
                  "fact id", "a `facts:` section")
    for key, sd in library.strategic_dilemmas.items():
        check("strategic_dilemmas", key, "dilemmas", sd.dilemmas, library.dilemmas,
              "dilemma id", "a dilemma file in dilemmas/")
    for key, sc in library.scenarios_2040.items():
        check("scenarios_2040", key, "themes", list(sc.themes), library.themes, "theme id",
              "`themes:` in blocks/frame.yaml")
    for key, r in library.further_reading.items():
        check("further_reading", key, "themes", r.themes, library.themes, "theme id",
              "`themes:` in blocks/frame.yaml")
    for key in library.glossary_matches:
        check("glossary_matches", key, "id", [key], library.glossary, "glossary id",
              "blocks/glossary.yaml")
    dims = {*library.themes, "bruk"}
    for key, q in library.assessment.items():
        check("assessment", key, "dimension", [q.dimension], dims, "dimension",
              "`themes:` in blocks/frame.yaml, or bruk")
    return problems


def iter_ltexts(value: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[tuple, LText]]:
    if isinstance(value, LText):
        yield loc, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from iter_ltexts(getattr(value, name), (*loc, name))
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            yield from iter_ltexts(v, (*loc, i))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from iter_ltexts(v, (*loc, k))


def missing_translations(library: Library, lang: Lang) -> list[Problem]:
    """Return one problem per text that has no version in *lang*, with file and line."""
    problems: list[Problem] = []
    for section, key, item in library.iter_items():
        origin = library.origin(section, key)
        for loc, text in iter_ltexts(item, ()):
            if text.has(lang):
                continue
            full = (*origin.loc, *loc) if origin else (section, key, *loc)
            line = library.line_of(origin, loc) if origin else None
            problems.append(Problem(
                f"no {'nynorsk' if lang == 'nn' else 'bokmål'} text",
                f"add `{lang}:` beside `nb:` (first words: {text.nb[:50]!r})",
                origin.file if origin else None, line, format_loc(full)))
    return problems
