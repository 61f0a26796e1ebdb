"""Reading a workshop spec (the user's YAML file) into a :class:`WorkshopSpec`."""

from __future__ import annotations

from pathlib import Path

from .content.models import WorkshopSpec
from .content.validation import validate_file
from .content.yamlsource import read_yaml
from .errors import Problem, SpecError


def load_spec(path: Path | str) -> WorkshopSpec:
    """Read and validate the spec at *path*; relative template paths are made absolute
    relative to the spec's folder. Raises SpecError with every problem found."""
    path = Path(path)
    source, problems = read_yaml(path)
    if source is None:
        raise SpecError(problems)
    if source.data is None:
        raise SpecError(Problem("the spec is empty", "run `etikkverksted init` for an example",
                                path, 1))
    model, problems = validate_file(WorkshopSpec, source)
    if model is None:
        raise SpecError(problems)
    assert isinstance(model, WorkshopSpec)
    return model.resolve_paths(path.resolve().parent)
