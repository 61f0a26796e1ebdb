"""The loaded content library: every dilemma, fact, method and label, by id."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .models import (
    AssessmentQuestion,
    AudienceProfile,
    Block,
    Dilemma,
    Fact,
    GlossaryEntry,
    GlossaryMatch,
    Lang,
    LegalFrame,
    LText,
    MaturityLevel,
    Method,
    MtoEntry,
    Protocol,
    ReadingItem,
    Recommendation,
    Scenario2040,
    StrategicDilemma,
    Theme,
    WatchList,
)
from .yamlsource import YamlSource


@dataclass(frozen=True)
class Origin:
    """Where an item was defined: the file shown to the user and the path inside it.

    The line is looked up only when asked for: finding it means composing the file's node
    tree, which costs as much as parsing it again, and almost no item ever needs it.
    """

    file: Path
    loc: tuple[str | int, ...]
    source: YamlSource | None = field(default=None, repr=False, compare=False)

    @property
    def line(self) -> int | None:
        return self.source.line_of(self.loc) if self.source is not None else None


@dataclass
class Library:
    """All content, merged from the packaged folder and any agency folders on top."""

    dilemmas: dict[str, Dilemma] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)
    recommendations: dict[int, Recommendation] = field(default_factory=dict)
    methods: dict[str, Method] = field(default_factory=dict)
    blocks: dict[str, Block] = field(default_factory=dict)
    maturity_levels: dict[int, MaturityLevel] = field(default_factory=dict)
    mto: dict[str, MtoEntry] = field(default_factory=dict)
    themes: dict[str, Theme] = field(default_factory=dict)
    legal_frames: dict[str, LegalFrame] = field(default_factory=dict)
    audiences: dict[str, AudienceProfile] = field(default_factory=dict)
    glossary: dict[str, GlossaryEntry] = field(default_factory=dict)
    assessment: dict[str, AssessmentQuestion] = field(default_factory=dict)
    protocols: dict[str, Protocol] = field(default_factory=dict)
    watch_lists: dict[str, WatchList] = field(default_factory=dict)
    glossary_matches: dict[str, GlossaryMatch] = field(default_factory=dict)
    strategic_dilemmas: dict[str, StrategicDilemma] = field(default_factory=dict)
    scenarios_2040: dict[str, Scenario2040] = field(default_factory=dict)
    further_reading: dict[str, ReadingItem] = field(default_factory=dict)
    labels: dict[str, LText] = field(default_factory=dict)
    origins: dict[tuple[str, str], Origin] = field(default_factory=dict, repr=False)
    folders: list[Path] = field(default_factory=list)
    sources: dict[Path, Any] = field(default_factory=dict, repr=False)
    """The parsed YAML files by shown path, kept so that later checks can name lines."""

    SECTIONS = (
        "dilemmas", "facts", "recommendations", "methods", "blocks", "maturity_levels", "mto",
        "themes", "legal_frames", "audiences", "glossary", "assessment", "protocols",
        "watch_lists", "strategic_dilemmas", "scenarios_2040", "further_reading",
        "glossary_matches",
    )

    def origin(self, section: str, key: str | int) -> Origin | None:
        return self.origins.get((section, str(key)))

    def line_of(self, origin: Origin, tail: tuple[str | int, ...] = ()) -> int | None:
        """Return the line in the source file of *origin* plus the field path *tail*."""
        source = self.sources.get(origin.file)
        return source.line_of((*origin.loc, *tail)) if source is not None else None

    def label(self, key: str, lang: Lang) -> str:
        """Return the fixed label *key* in *lang* (KeyError names the missing key)."""
        try:
            text = self.labels[key]
        except KeyError:
            raise KeyError(f"label '{key}' is not in the library's labels") from None
        return text.get(lang)

    def digest(self) -> str:
        """Return a BLAKE2 digest of every YAML file in the library's folders, in order.

        Two libraries with the same digest hold the same content; the minutes record it so
        that a reader can tell whether the content changed since the workshop.
        """
        h = hashlib.blake2b(digest_size=16)
        for folder in self.folders:
            for path in sorted(folder.rglob("*.yaml")):
                if path.is_file():
                    h.update(path.relative_to(folder).as_posix().encode() + b"\0")
                    h.update(path.read_bytes())
        return h.hexdigest()

    def strategic_for(self, dilemma_id: str) -> list[StrategicDilemma]:
        """The §4.4 strategic dilemmas that *dilemma_id* takes up, in the report's order."""
        return sorted((s for s in self.strategic_dilemmas.values() if dilemma_id in s.dilemmas),
                      key=lambda s: (s.number, s.id))

    def reading_for(self, themes: list[str], limit: int | None = None) -> list[ReadingItem]:
        """Further reading that speaks to any of *themes*: the items sharing most of them
        first, then the library's order; at most *limit*."""
        wanted = set(themes)
        found = [(i, r) for i, r in enumerate(self.further_reading.values())
                 if wanted & set(r.themes)]
        found.sort(key=lambda p: (-len(wanted & set(p[1].themes)), p[0]))
        return [r for _, r in found][:limit]

    def sorted_dilemmas(self) -> list[Dilemma]:
        return [self.dilemmas[k] for k in sorted(self.dilemmas)]

    def iter_items(self) -> Iterator[tuple[str, str, BaseModel]]:
        """Yield (section, key, item) for every item, labels included."""
        for section in self.SECTIONS:
            for key, item in getattr(self, section).items():
                yield section, str(key), item
        for key, text in self.labels.items():
            yield "labels", key, text
