"""Reading a workshop spec (the user's YAML file) into a :class:`WorkshopSpec`."""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem, SpecError
from .models import OwnCase, WorkshopSpec, clean_text
from .validation import validate_file
from .yamlsource import read_yaml


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
    spec = model.resolve_paths(path.resolve().parent)
    if spec.own_case is not None:
        read_own_case(spec.own_case)  # a missing or unreadable case file fails here, early
    return spec


OWN_CASE_MAX_BYTES = 20_000
OWN_CASE_MAX_DESCRIPTION = 1500


def read_own_case(case: OwnCase) -> tuple[str, str]:
    """Return the case's (title, description): as given, or read from its file.

    A .yaml/.yml file holds ``title:`` and ``description:``; a .txt or .md file has the
    title on its first line (a leading ``#`` is dropped) and the description below it.
    Raises SpecError naming the file and what to do.
    """
    if case.file is None:
        assert case.title and case.description
        return case.title, case.description
    path = case.file
    where = "own_case.file"
    if not path.is_file():
        raise SpecError(Problem("the own case file does not exist",
                                "check the path; it is relative to the spec's folder", path,
                                field=where))
    if path.stat().st_size > OWN_CASE_MAX_BYTES:
        raise SpecError(Problem(f"the own case file is larger than {OWN_CASE_MAX_BYTES} bytes",
                                "describe the case in a few sentences", path, field=where))
    if path.suffix.lower() in (".yaml", ".yml"):
        source, problems = read_yaml(path)
        if source is None:
            raise SpecError(problems)
        data = source.data
        if not isinstance(data, dict) or not isinstance(data.get("title"), str) \
                or not isinstance(data.get("description"), str) \
                or set(data) - {"title", "description"}:
            raise SpecError(Problem("the own case file must hold `title:` and "
                                    "`description:` (text) and nothing else",
                                    "write e.g. title: Chatbot for innbyggere", path, 1,
                                    field=where))
        title, description = clean_text(data["title"]), clean_text(data["description"])
    elif path.suffix.lower() in (".txt", ".md"):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise SpecError(Problem("the own case file is not UTF-8",
                                    "save it as UTF-8 text", path, field=where)) from None
        lines = [line.strip() for line in text.splitlines()]
        while lines and not lines[0]:
            lines.pop(0)
        title = clean_text(lines[0].lstrip("#").strip()) if lines else ""
        description = clean_text(" ".join(x for x in lines[1:] if x))
    else:
        raise SpecError(Problem("the own case file must be .yaml, .yml, .txt or .md",
                                "give title and description in the spec, or such a file",
                                path, field=where))
    if not title or not description:
        raise SpecError(Problem("the own case file needs a title and a description",
                                "put the title on the first line and the description below",
                                path, field=where))
    if len(title) > 120 or len(description) > OWN_CASE_MAX_DESCRIPTION:
        raise SpecError(Problem(
            f"the own case is too long (title at most 120, description at most "
            f"{OWN_CASE_MAX_DESCRIPTION} characters)", "shorten it to a few sentences", path,
            field=where))
    return title, description
