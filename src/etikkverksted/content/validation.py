"""Turning pydantic's validation errors into problems a content author can act on."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ValidationError

from ..errors import Problem
from .yamlsource import YamlSource, format_loc

_FIXES: dict[str, str] = {
    "missing": "add the field",
    "extra_forbidden": "remove the field, or correct its spelling",
    "literal_error": "use one of the allowed values",
    "string_pattern_mismatch": "use lower-case letters a-z, digits and hyphens only",
    "string_too_short": "write a text here",
    "too_short": "add more entries",
    "int_parsing": "write a whole number",
    "int_type": "write a whole number",
    "float_parsing": "write a number",
    "date_from_datetime_parsing": "write the date as YYYY-MM-DD",
    "date_parsing": "write the date as YYYY-MM-DD",
    "date_type": "write the date as YYYY-MM-DD",
    "time_parsing": "write the time as HH:MM, in quotes",
    "model_type": "this must be a mapping of fields (key: value lines)",
    "dict_type": "this must be a mapping (key: value lines)",
    "list_type": "this must be a list (lines starting with '- ')",
    "string_type": "write a text (put it in quotes if YAML reads it as something else)",
    "greater_than_equal": "use a larger number",
    "less_than_equal": "use a smaller number",
    "bool_parsing": "write true or false",
    "text_too_long": "shorten the text to the limit; move detail into the facilitator notes",
}


def problems_from_validation(
    exc: ValidationError, source: YamlSource | None, prefix: tuple[str | int, ...] = ()
) -> list[Problem]:
    """Return one problem per error in *exc*, each with file, line and field."""
    out: list[Problem] = []
    errors = exc.errors(include_url=False)
    for err in errors:
        # Drop pydantic's internal tags such as 'function-after[...]' from the location.
        err["loc"] = tuple(p for p in prefix + tuple(err["loc"])
                           if not (isinstance(p, str) and "[" in p))
    # A misspelt key gives two errors (unknown 'statment', missing 'statement'): say it once.
    missing = {(e["loc"][:-1], e["loc"][-1]) for e in errors if e["type"] == "missing"}
    renamed: dict[tuple, str] = {}
    for err in errors:
        if err["type"] == "extra_forbidden":
            parent = err["loc"][:-1]
            names = [str(name) for p, name in missing if p == parent]
            import difflib  # only when a key is misspelt: not on every run's import path

            close = difflib.get_close_matches(str(err["loc"][-1]), names, n=1, cutoff=0.6)
            if close:
                renamed[err["loc"]] = close[0]
                missing.discard((parent, close[0]))
    for err in errors:
        loc = err["loc"]
        if err["type"] == "missing" and (loc[:-1], loc[-1]) not in missing:
            continue
        message = err["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, "):]
        kind = err["type"]
        fix = _FIXES.get(kind, "")
        if kind == "missing":
            fix = f"add `{loc[-1]}:`" if loc else fix
        elif kind == "extra_forbidden":
            message = f"unknown field `{loc[-1]}`"
            if loc in renamed:
                fix = f"did you mean `{renamed[loc]}`? correct the spelling"
        elif kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            fix = f"use one of {expected}" if expected else fix
        out.append(
            Problem(
                message=message[0].lower() + message[1:] if message else message,
                fix=fix,
                file=_shown(source) if source is not None else None,
                line=source.line_of(loc) if source is not None else None,
                field=format_loc(loc),
            )
        )
    return out


def _shown(source: YamlSource) -> Path:
    return Path(source.shown)


def validate_file(model: type[BaseModel], source: YamlSource) -> tuple[BaseModel | None,
                                                                       list[Problem]]:
    """Validate the data of *source* against *model*; return the instance or the problems."""
    data = source.data if source.data is not None else {}
    if not isinstance(data, dict):
        first = next(iter(model.model_fields))
        kind = "a spec" if first == "agency" else "a content file"
        return None, [Problem(
            f"{kind} must be a mapping of `key: value` lines, not a {type(data).__name__}",
            f"start the file with a key such as `{first}:`"
            + (" (run `etikkverksted init` for an example)" if first == "agency" else ""),
            _shown(source), 1)]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, problems_from_validation(exc, source)
