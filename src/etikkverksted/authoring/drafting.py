"""Nynorsk drafts for texts that only exist in bokmål, with Apertium ``nob-nno_e``.

An agency that writes its own dilemmas in bokmål still has to offer them in nynorsk. A
machine draft is a starting point that a careful writer then corrects (content guide), so
every drafted text is marked with a YAML comment and the words Apertium did not know are
listed. The file is edited with ruamel.yaml, which keeps the author's comments, key order and
layout; only the new ``nn:`` lines are added.

Apertium (Debian: ``apertium apertium-nno-nob``) is optional at run time: without it,
:func:`draft_nynorsk` raises one error that says how to install it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import EtikkverkstedError, Problem
from ..output import write_text_atomic

INSTALL_APERTIUM = (
    "install Apertium with the bokmål-nynorsk pair: on Debian/Ubuntu "
    "`sudo apt-get install apertium apertium-nno-nob`; then run the command again"
)
PAIR = "nob-nno_e"
_SEPARATOR = "\n\n424242424242\n\n"
"""Between texts in one Apertium run: a number passes through the translation unchanged."""
_MARKED = re.compile(r"[*#@](\w[\w-]*)")
DRAFT_COMMENT = "nn: maskinutkast (Apertium) – les korrektur"


@dataclass
class DraftReport:
    """What :func:`draft_nynorsk` did."""

    source: Path
    target: Path
    drafted: int = 0
    unknown: dict[str, int] = field(default_factory=dict)


def _slots(node: Any, found: list[Any]) -> None:
    """Collect every mapping that has a bokmål text and no nynorsk one."""
    if isinstance(node, dict):
        if isinstance(node.get("nb"), str) and not node.get("nn"):
            found.append(node)
        for value in node.values():
            _slots(value, found)
    elif isinstance(node, list):
        for value in node:
            _slots(value, found)


def translate(texts: list[str]) -> list[str]:
    """Translate bokmål *texts* to nynorsk in one Apertium run (words it did not know keep
    Apertium's ``*`` mark, so that they can be reported)."""
    apertium = shutil.which("apertium")
    if apertium is None:
        raise EtikkverkstedError(Problem("nynorsk drafts need Apertium, which is not "
                                         "installed", INSTALL_APERTIUM))
    joined = _SEPARATOR.join(t.replace("\n", " ") for t in texts)
    try:
        proc = subprocess.run([apertium, PAIR], input=joined, capture_output=True, text=True,
                              timeout=300, check=False)
    except subprocess.TimeoutExpired:
        raise EtikkverkstedError(Problem("Apertium did not finish within 300 s",
                                         "try again with a smaller file")) from None
    if proc.returncode != 0:
        raise EtikkverkstedError(Problem(
            f"Apertium failed ({proc.stderr.strip()[:160]})",
            "check that the language pair is installed: " + INSTALL_APERTIUM))
    parts = [p.strip() for p in proc.stdout.split(_SEPARATOR.strip())]
    if len(parts) != len(texts):
        raise EtikkverkstedError(Problem(
            f"Apertium returned {len(parts)} texts for {len(texts)}",
            "draft the file in smaller pieces"))
    return parts


def draft_nynorsk(path: Path, target: Path | None = None) -> DraftReport:
    """Add a nynorsk draft beside every bokmål text of the YAML file *path* that lacks one,
    and write the result to *target* (default: *path* itself, replaced atomically; nothing
    of the author's is lost, only ``nn:`` lines are added)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    path = Path(path)
    target = Path(target) if target else path
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    try:
        data = yaml.load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EtikkverkstedError(Problem("the file does not exist", "check the path",
                                         path)) from None
    except (UnicodeDecodeError, YAMLError) as exc:
        raise EtikkverkstedError(Problem(f"cannot read the file as YAML ({exc})",
                                         "run `etikkverksted validate` on its folder first",
                                         path)) from None
    slots: list[Any] = []
    _slots(data, slots)
    report = DraftReport(path, target)
    if not slots:
        return report
    drafts = translate([str(slot["nb"]) for slot in slots])
    for slot, draft in zip(slots, drafts, strict=True):
        for word in _MARKED.findall(draft):
            report.unknown[word] = report.unknown.get(word, 0) + 1
        clean = _MARKED.sub(r"\1", draft)
        keys = list(slot.keys())
        if hasattr(slot, "fa"):
            slot.fa.set_block_style()  # a comment needs its own line: {nb: ..} -> block
        slot.insert(keys.index("nb") + 1, "nn", clean, comment=DRAFT_COMMENT)
        report.drafted += 1
    from io import StringIO

    buffer = StringIO()
    yaml.dump(data, buffer)
    write_text_atomic(target, buffer.getvalue())
    return report
