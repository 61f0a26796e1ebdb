"""Outcome files: YAML that an agency can read, correct by hand, and send on.

Written by ``etikkverksted harvest``, read by ``build --follow-up`` and ``summary``. A damaged
or hand-edited file is reported like a spec: file, line, field and the fix.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..content.validation import validate_file
from ..content.yamlsource import read_yaml
from ..errors import OutcomeError, Problem
from ..output import write_text_atomic
from .model import Outcome


def load_outcome(path: Path | str) -> Outcome:
    """Read and validate the outcome file at *path*; raise OutcomeError with every problem."""
    path = Path(path)
    source, problems = read_yaml(path)
    if source is None:
        raise OutcomeError(problems)
    if source.data is None:
        raise OutcomeError(Problem("the outcome file is empty",
                                   "make it with `etikkverksted harvest REFERAT.docx`", path, 1))
    model, problems = validate_file(Outcome, source)
    if model is None:
        raise OutcomeError(problems)
    assert isinstance(model, Outcome)
    return model


def outcome_yaml(outcome: Outcome) -> str:
    """Return *outcome* as YAML: fields in model order, Norwegian letters as they are."""
    data = outcome.model_dump(mode="json")
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def write_outcome(outcome: Outcome, path: Path) -> Path:
    """Write *outcome* to *path* (YAML, or JSON for a ``.json`` name) atomically."""
    text = (outcome.model_dump_json(indent=2) + "\n" if path.suffix.lower() == ".json"
            else outcome_yaml(outcome))
    write_text_atomic(path, text)
    return path
