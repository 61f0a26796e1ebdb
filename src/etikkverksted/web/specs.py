"""A spec from a form or from JSON, with one Norwegian message per field that says the fix.

The page and the API share this: the form's fields carry the spec's own names, so a field
error from the model, the planner or this module lands next to the field it is about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from ..content.library import Library
from ..content.models import Lang, WorkshopSpec
from ..errors import EtikkverkstedError, PlanningError
from ..planning import WorkshopPlan, plan_workshop

FIELDS = ("agency", "date", "start_time", "audience", "maturity", "duration_minutes", "format",
          "language", "facilitator", "dilemmas")
"""Spec fields the page and the API accept. Template paths are never taken from a user: a
template comes as an uploaded file."""

API_FIELDS = ("scenario_cross", "focus", "own_case")
"""Further spec fields the API accepts (the form leaves them at their defaults)."""

DEFAULT_DURATION = 90
LATEST_YEAR = 2099


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str
    fix: str

    def as_json(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message, "fix": self.fix}


def _err(library: Library, lang: Lang, field: str, key: str, **values: Any) -> FieldError:
    return FieldError(field, library.label(f"web_err_{key}", lang).format(**values),
                      library.label(f"web_fix_{key}", lang).format(**values))


def default_values(lang: Lang, today: dt.date | None = None) -> dict[str, Any]:
    """What the empty form shows: the spec's defaults, a date two weeks ahead."""
    today = today or dt.date.today()
    return {"agency": "", "date": (today + dt.timedelta(days=14)).isoformat(),
            "start_time": "09:00", "audience": "leaders", "maturity": "2",
            "duration_minutes": str(DEFAULT_DURATION), "format": "in_person", "language": lang,
            "facilitator": "", "dilemmas": []}


def form_values(form: Mapping[str, Any], dilemma_ids: list[str]) -> dict[str, Any]:
    """The spec fields of a submitted form, as text, with the chosen dilemmas in order.

    Each dilemma is a checkbox ``dilemmas``; its position is the number field
    ``order-<id>`` (empty: after the numbered ones, in library order).
    """
    getlist = getattr(form, "getlist", None)
    chosen = list(getlist("dilemmas")) if getlist else list(form.get("dilemmas") or [])
    chosen = [c for c in chosen if isinstance(c, str)]

    def position(pair: tuple[int, str]) -> tuple[float, int]:
        index, did = pair
        raw = str(form.get(f"order-{did}") or "").strip()
        try:
            return (float(raw), index)
        except ValueError:
            return (float("inf"), index)

    ordered = sorted(enumerate(d for d in dilemma_ids if d in chosen), key=position)
    unknown = [c for c in chosen if c not in dilemma_ids]
    values: dict[str, Any] = {name: str(form.get(name) or "").strip() for name in FIELDS
                              if name != "dilemmas"}
    values["dilemmas"] = [d for _, d in ordered] + unknown
    return values


def spec_from_values(values: Mapping[str, Any], library: Library, lang: Lang
                     ) -> tuple[WorkshopSpec | None, list[FieldError]]:
    """Validate *values* (form text or JSON) into a spec, or return the field errors."""
    errors: list[FieldError] = []
    data: dict[str, Any] = {}
    for name, value in values.items():
        if name in ("template", "docx_template"):
            errors.append(_err(library, lang, name, "template_path"))
        elif name == "own_case" and isinstance(value, dict) and "file" in value:
            errors.append(_err(library, lang, name, "own_case_file"))
        elif name not in FIELDS and name not in API_FIELDS:
            errors.append(_err(library, lang, name, "unknown_field", name=name))
        elif value not in ("", None) or name == "dilemmas":
            data[name] = value
    for name in ("agency", "date", "audience", "maturity", "duration_minutes"):
        if name not in data:
            errors.append(_err(library, lang, name, f"{name}_missing"))
    if "duration_minutes" in data:
        try:
            data["duration_minutes"] = int(str(data["duration_minutes"]).strip())
        except ValueError:
            errors.append(_err(library, lang, "duration_minutes", "duration_minutes"))
            del data["duration_minutes"]
    if "maturity" in data and isinstance(data["maturity"], str) and data["maturity"].isdigit():
        data["maturity"] = int(data["maturity"])
    if isinstance(data.get("date"), str):
        try:
            if dt.date.fromisoformat(data["date"]).year > LATEST_YEAR:
                errors.append(_err(library, lang, "date", "date"))
                del data["date"]
        except ValueError:
            pass  # the model reports it
    if errors:
        # Report the model's own findings too, for the fields not already named.
        named = {e.field for e in errors}
        partial = {k: v for k, v in data.items() if k not in named}
        errors += [e for e in _model_errors(partial, library, lang, required=False)
                   if e.field not in named]
        return None, _first_per_field(errors)
    try:
        return WorkshopSpec.model_validate(data), []
    except ValidationError:
        return None, _first_per_field(_model_errors(data, library, lang, required=True))


def _model_errors(data: dict[str, Any], library: Library, lang: Lang,
                  required: bool) -> list[FieldError]:
    try:
        WorkshopSpec.model_validate(data)
    except ValidationError as exc:
        out: list[FieldError] = []
        for error in exc.errors():
            loc = error.get("loc") or ("",)
            field = str(loc[0])
            if error.get("type") == "missing" and not required:
                continue
            if field in API_FIELDS[1:] or not field:
                detail = str(error.get("msg", "")).removeprefix("Value error, ")
                out.append(_err(library, lang, field, "generic", detail=detail))
            elif field == "dilemmas":
                index = loc[1] if len(loc) > 1 else 0
                value = data.get("dilemmas", [None])
                bad = value[index] if isinstance(value, list) and isinstance(index, int) \
                    and index < len(value) else value
                out.append(_err(library, lang, "dilemmas", "dilemma_unknown", id=bad))
            elif field in FIELDS or field == "scenario_cross":
                key = field + ("_missing" if error.get("type") == "missing" else "")
                if field == "agency" and error.get("type") == "string_too_long":
                    key = "agency_long"
                out.append(_err(library, lang, field, key))
            else:
                out.append(_err(library, lang, field, "unknown_field", name=field))
        return out
    return []


def _first_per_field(errors: list[FieldError]) -> list[FieldError]:
    seen: set[str] = set()
    out = []
    for e in errors:
        if e.field not in seen:
            seen.add(e.field)
            out.append(e)
    return out


def plan_or_errors(spec: WorkshopSpec, library: Library, lang: Lang
                   ) -> tuple[WorkshopPlan | None, list[FieldError]]:
    """Plan *spec*; a planning problem becomes a Norwegian message on its field."""
    try:
        return plan_workshop(spec, library), []
    except PlanningError as exc:
        return None, _planning_errors(exc, spec, library, lang)
    except EtikkverkstedError as exc:
        return None, [_err(library, lang, "", "generic", detail=exc.render())]


def _planning_errors(exc: PlanningError, spec: WorkshopSpec, library: Library,
                     lang: Lang) -> list[FieldError]:
    errors: list[FieldError] = []
    for problem in exc.problems:
        field = problem.field.split("[")[0]
        if field == "dilemmas" and "do not fit" in problem.message:
            fits, minutes = what_would_fit(spec, library)
            errors.append(_err(library, lang, "dilemmas", "dilemmas_too_many",
                               count=len(spec.dilemmas), duration=spec.duration_minutes,
                               fits=fits, minutes=minutes))
        elif field == "dilemmas" and "[" in problem.field:
            index = int(problem.field.split("[")[1].rstrip("]"))
            did = spec.dilemmas[index] if index < len(spec.dilemmas) else ""
            dilemma = library.dilemmas.get(did)
            if dilemma is None:
                errors.append(_err(library, lang, "dilemmas", "dilemma_unknown", id=did))
            elif "named twice" in problem.message:
                errors.append(_err(library, lang, "dilemmas", "dilemma_twice",
                                   title=dilemma.title.get(lang)))
            else:
                audience = library.audiences[spec.audience].name.get(lang).lower()
                errors.append(_err(library, lang, "dilemmas", "dilemma_unusable",
                                   title=dilemma.title.get(lang), audience=audience,
                                   trinn=spec.maturity))
        elif field == "scenario_cross":
            errors.append(_err(library, lang, "duration_minutes", "scenario_cross"))
        else:
            errors.append(_err(library, lang, field, "generic", detail=str(problem)))
    return _first_per_field(errors)


def what_would_fit(spec: WorkshopSpec, library: Library) -> tuple[int, int]:
    """(How many of the chosen dilemmas fit the duration, the shortest duration that fits all).

    Asks the planner itself rather than repeating its arithmetic.
    """

    def fits(dilemmas: list[str], minutes: int) -> bool:
        try:
            plan_workshop(spec.model_copy(update={"dilemmas": dilemmas,
                                                  "duration_minutes": minutes}), library)
        except PlanningError:
            return False
        return True

    count = 0
    for n in range(len(spec.dilemmas) - 1, 0, -1):
        if fits(spec.dilemmas[:n], spec.duration_minutes):
            count = n
            break
    minutes = next((m for m in range(spec.duration_minutes + 5, 241, 5)
                    if fits(spec.dilemmas, m)), 240)
    return count, minutes
