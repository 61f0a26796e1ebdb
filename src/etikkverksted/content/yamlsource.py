"""Reading YAML files and finding the line of any field in them.

Files are parsed with PyYAML's C loader (fast: the packaged library is read on every run).
Line numbers are only needed when something is wrong, so the node tree with its marks is
composed lazily, the first time an error in that file needs a line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem
from ..safeio import UnreadableInput, read_bounded
from . import parsecache

try:  # pragma: no cover - depends on how PyYAML was built
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Base = yaml.SafeLoader


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """A safe loader that leaves dates as text.

    PyYAML turns ``2026-13-03`` into an exception without a line or field; as text it reaches
    the models, which say which field is wrong, on which line, and how to write it.
    """


class DuplicateKey(yaml.YAMLError):
    """A mapping names the same key twice; YAML itself would keep the last without a word."""

    def __init__(self, key: str, first: int, second: int) -> None:
        self.key, self.first, self.second = key, first, second
        super().__init__(f"the key `{key}` appears twice, on lines {first} and {second}")


def _construct_mapping(loader: Any, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: dict[tuple[str, str], int] = {}
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
            line = key.start_mark.line + 1
            if (key.tag, key.value) in seen:
                raise DuplicateKey(key.value, seen[(key.tag, key.value)], line)
            seen[(key.tag, key.value)] = line
    return _Base.construct_mapping(loader, node, deep)


_Loader.construct_mapping = _construct_mapping
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}

MAX_FILE_BYTES = 2 * 1024 * 1024
"""A content file larger than this is certainly a mistake (the largest real one is ~40 KB)."""


@dataclass
class YamlSource:
    """One YAML file: its text, its data, and (lazily) its node tree for line numbers."""

    path: Path
    shown: str
    text: str
    data: Any = None
    _root: yaml.Node | None = field(default=None, repr=False)
    _composed: bool = field(default=False, repr=False)

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """Return the 1-based line of the deepest node on *loc* that exists in the file."""
        if not self._composed:
            self._composed = True
            try:
                self._root = yaml.compose(self.text, Loader=_Loader)
            except yaml.YAMLError:
                self._root = None
        node = self._root
        if node is None:
            return None
        line = node.start_mark.line + 1
        for key in loc:
            child = _child(node, key)
            if child is None:
                break
            node, key_line = child
            line = key_line
        return line


def _child(node: yaml.Node, key: str | int) -> tuple[yaml.Node, int] | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and str(k.value) == str(key):
                # Point at the key's line: that is where an author looks for the field.
                return v, k.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) \
            and 0 <= key < len(node.value):
        item = node.value[key]
        return item, item.start_mark.line + 1
    return None


def read_yaml(path: Path, shown: str | None = None, *, cache: bool = False
              ) -> tuple[YamlSource | None, list[Problem]]:
    """Read and parse *path*; return the source, or the problems that prevented it.

    With *cache*, unchanged files are served from the parse cache (see ``parsecache``); the
    library uses it, one-off files such as specs do not.
    """
    shown = shown or str(path)
    shown_path = Path(shown)
    try:
        raw = read_bounded(path, MAX_FILE_BYTES, what="YAML file")
    except UnreadableInput as exc:
        return None, [Problem(exc.reason, exc.fix, shown_path)]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem("the file is not UTF-8 text",
                              "save it as UTF-8 (most editors: 'Save with encoding')",
                              shown_path, line)]
    source = YamlSource(path=path, shown=shown, text=text)
    try:
        if cache:
            source.data = parsecache.parsed(raw, lambda: yaml.load(text, Loader=_Loader))
        else:
            source.data = yaml.load(text, Loader=_Loader)
    except DuplicateKey as exc:
        return None, [Problem(f"{exc}; YAML would silently use the last one",
                              "keep one of them", shown_path, exc.second)]
    except yaml.YAMLError as exc:
        # The context mark is where the broken construct began (an unclosed quote, say);
        # that is the line to fix, even when the parser only noticed at the end of the file.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context = getattr(exc, "context", None)
        if context and getattr(exc, "context_mark", None) is not None:
            problem = f"{problem} ({context} that starts here)"
        return None, [Problem(f"this is not valid YAML: {problem}",
                              "check indentation, colons and quotes on this line and the one "
                              "above; a text that contains ': ' must be quoted",
                              shown_path, line)]
    except (ValueError, RecursionError) as exc:  # e.g. invalid timestamps, deep nesting
        return None, [Problem(f"this is not valid YAML: {exc}", "check the file", shown_path)]
    return source, []


def format_loc(loc: Sequence[str | int]) -> str:
    """``('dilemmas', 0, 'questions', 3, 'text')`` -> ``dilemmas[0].questions[3].text``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
