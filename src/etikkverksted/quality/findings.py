"""What the quality check reports: one :class:`Finding` per problem, and two ways to print them.

A finding names the file, a place a person can find (``slide 3``, ``paragraph 12``, a part
name for broken packages), a stable code for scripts, a severity and one sentence saying what
is wrong. Errors make ``etikkverksted check`` exit 1; warnings are advice.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One problem found in one place of one file."""

    file: Path
    location: str
    code: str
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.location}" if self.location else str(self.file)
        return f"{where}: {self.severity} [{self.code}] {self.message}"


def format_findings(findings: list[Finding]) -> str:
    """Return the findings one per line, grouped by file, with a closing count line."""
    if not findings:
        return "No problems found."
    lines = [str(f) for f in findings]
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    lines.append(f"{errors} error(s), {warnings} warning(s).")
    return "\n".join(lines)


def findings_json(findings: list[Finding]) -> str:
    """Return the findings as a JSON array of objects with the fields of :class:`Finding`."""
    rows = []
    for f in findings:
        row = asdict(f)
        row["file"] = str(f.file)
        rows.append(row)
    return json.dumps(rows, ensure_ascii=False, indent=2)
