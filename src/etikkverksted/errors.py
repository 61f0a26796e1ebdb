"""Errors that reach the user as one clear message each: file, line, field and a fix.

Nothing here prints. The CLI turns these into ``click.ClickException`` subclasses; the
public API raises them as they are so that a web front end can show them its own way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in one input file."""

    message: str
    fix: str = ""
    file: Path | None = None
    line: int | None = None
    field: str = ""

    def where(self) -> str:
        parts: list[str] = []
        if self.file is not None:
            parts.append(f"{self.file}:{self.line}" if self.line else str(self.file))
        if self.field:
            parts.append(self.field)
        return ": ".join(parts)

    def __str__(self) -> str:
        text = f"{self.where()}: {self.message}" if self.where() else self.message
        if self.fix:
            text += f"\n    fix: {self.fix}"
        return text


class EtikkverkstedError(Exception):
    """Base of every error the tool reports to a user instead of a traceback."""

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__(self.render())

    def __reduce__(self) -> tuple[type, tuple[list[Problem]]]:
        # Keep the problems when the error crosses a process boundary (parallel builds).
        return (type(self), (self.problems,))

    def render(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        head = f"{len(self.problems)} problems:"
        return "\n".join([head, *(f"  {i}. {p}" for i, p in enumerate(self.problems, 1))])


class LibraryError(EtikkverkstedError):
    """The content library (packaged or an agency's own folder) has errors."""


class SpecError(EtikkverkstedError):
    """A workshop spec cannot be used as it is."""


class TranslationError(EtikkverkstedError):
    """A text that the chosen language needs does not exist in that language."""


class TemplateError(EtikkverkstedError):
    """A .pptx/.potx/.docx/.dotx template cannot be used."""


class OutputError(EtikkverkstedError):
    """The output cannot be written where the user asked."""


class PlanningError(EtikkverkstedError):
    """The requested workshop cannot be planned (for example: the dilemmas do not fit)."""


class OutcomeError(EtikkverkstedError):
    """A filled minutes document or an outcome file cannot be read."""
