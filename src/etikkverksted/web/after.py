"""After the workshop, on the web: read the filled minutes back, download the outcome, build the
follow-up pack. The page side of ``etikkverksted harvest`` and ``build --follow-up``.

The server keeps nothing between requests: the outcome read from the minutes travels back to
the browser (shown, and as a hidden form field) and returns with the next request, where it is
validated again like any upload. Minutes hold personal data (the owners of actions); they live
only in the request's temporary folder, removed before the response is sent.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import yaml
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from ..content.library import Library
from ..content.models import Lang
from ..errors import EtikkverkstedError
from ..outcome import harvest_minutes
from ..outcome.files import outcome_yaml
from ..outcome.model import Outcome
from ..planning.followup import MAX_MINUTES, MIN_MINUTES, follow_up_spec
from .specs import FieldError

MAX_MINUTES_BYTES = 10 * 1024 * 1024
"""A filled minutes document is well under 1 MB; a larger upload is refused."""
DURATIONS = (45, 60, 75, 90)


def register(app: FastAPI, *, library: Library, page: Callable[..., HTMLResponse],
             posted_form: Callable[..., Any], pool: Any, timeout: float,
             t: Callable[[Lang], Callable[..., str]]) -> None:
    """Add the "after the workshop" page and its two API routes to *app*."""
    from .app import BuildTimeout, Refusal, _lang, _remove_when_done, _wait, _zip, _zip_response

    def error(ui: Lang, key: str, field: str = "minutes", **values: Any) -> FieldError:
        return FieldError(field, t(ui)(f"after_err_{key}", **values),
                          t(ui)(f"after_fix_{key}", **values))

    async def read_minutes(upload: Any, ui: Lang) -> Outcome:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise Refusal([error(ui, "missing")])
        if not upload.filename.lower().endswith(".docx"):
            raise Refusal([error(ui, "suffix")])
        folder = Path(tempfile.mkdtemp(prefix="etikkverksted-after-"))
        try:
            path = folder / "referat.docx"
            size = 0
            with path.open("wb") as out:
                while chunk := await upload.read(1024 * 1024):
                    size += len(chunk)
                    if size > MAX_MINUTES_BYTES:
                        raise Refusal([error(ui, "size", mb=MAX_MINUTES_BYTES // 2**20)], 413)
                    out.write(chunk)
            try:
                return await asyncio.to_thread(harvest_minutes, path)
            except EtikkverkstedError as exc:
                detail = exc.problems[0].message if exc.problems else ""
                raise Refusal([error(ui, "not_minutes", detail=detail)]) from None
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def outcome_from_text(text: str, ui: Lang) -> Outcome:
        try:
            return Outcome.model_validate(yaml.safe_load(text))
        except (yaml.YAMLError, ValidationError, TypeError):
            raise Refusal([error(ui, "outcome", field="outcome")]) from None

    async def follow_up_pack(outcome: Outcome, duration: int, date: dt.date | None,
                             ui: Lang) -> tuple[bytes, str]:
        if not MIN_MINUTES <= duration <= MAX_MINUTES:
            raise Refusal([error(ui, "duration", field="duration_minutes",
                                 low=MIN_MINUTES, high=MAX_MINUTES)])
        folder = Path(tempfile.mkdtemp(prefix="etikkverksted-web-"))
        future: Future[Any] | None = None
        try:
            outcome_path = folder / "utfall.yaml"
            outcome_path.write_text(outcome_yaml(outcome), encoding="utf-8")
            try:
                spec = follow_up_spec(outcome, outcome_path, duration=duration)
            except ValidationError:
                raise Refusal([error(ui, "outcome", field="outcome")]) from None
            if date is not None:
                spec = spec.model_copy(update={"date": date})
            data = spec.model_dump(mode="json")
            future = pool.submit(data, folder, False)
            try:
                output = await _wait(future, timeout)
            except BuildTimeout:
                raise Refusal([FieldError("", t(ui)("err_timeout"), t(ui)("fix_timeout"))],
                              status=503) from None
            except EtikkverkstedError as exc:
                raise Refusal([FieldError("", t(ui)("err_generic", detail=exc.render()),
                                          t(ui)("fix_generic"))]) from None
            return _zip(spec, output, folder, {}), f"{output.stem}.zip"
        finally:
            _remove_when_done(folder, future)

    # -- API ----------------------------------------------------------------------------------

    @app.post("/api/outcomes", tags=["after the workshop"],
              summary="Read filled minutes (multipart field 'minutes', a .docx) into an outcome",
              openapi_extra={"requestBody": {"content": {"multipart/form-data": {"schema": {
                  "type": "object", "properties": {"minutes": {"type": "string",
                                                               "format": "binary"}}}}}}})
    async def api_outcome(request: Request) -> Response:
        form = await request.form(max_files=1, max_fields=5)
        ui = _lang(request.query_params.get("ui"))
        outcome = await read_minutes(form.get("minutes"), ui)
        return JSONResponse(outcome.model_dump(mode="json"))

    @app.post("/api/follow-up", tags=["after the workshop"],
              summary="Build the follow-up pack from an outcome (JSON: outcome, "
                      "duration_minutes, date)")
    async def api_follow_up(request: Request) -> Response:
        ui = _lang(request.query_params.get("ui"))
        try:
            body = await request.json()
        except ValueError:
            raise Refusal([error(ui, "outcome", field="outcome")]) from None
        if not isinstance(body, dict):
            raise Refusal([error(ui, "outcome", field="outcome")])
        try:
            outcome = Outcome.model_validate(body.get("outcome"))
        except ValidationError:
            raise Refusal([error(ui, "outcome", field="outcome")]) from None
        date = _date(body.get("date"))
        duration = body.get("duration_minutes", 60)
        if not isinstance(duration, int):
            raise Refusal([error(ui, "duration", field="duration_minutes", low=MIN_MINUTES,
                                 high=MAX_MINUTES)])
        data, name = await follow_up_pack(outcome, duration, date, ui)
        return _zip_response(data, name)

    # -- pages --------------------------------------------------------------------------------

    @app.get("/after", response_class=HTMLResponse, include_in_schema=False)
    async def after_page(request: Request) -> HTMLResponse:
        ui = _lang(request.query_params.get("ui"))
        return page(request, "after.html", ui, {"errors": [], "error_for": {}})

    @app.post("/after", response_class=HTMLResponse, include_in_schema=False)
    async def after_post(request: Request) -> HTMLResponse:
        form = await posted_form(request)
        ui = _lang(form.get("ui"))
        try:
            outcome = await read_minutes(form.get("minutes"), ui)
        except Refusal as exc:
            return page(request, "after.html", ui,
                        {"errors": exc.errors, "error_for": {e.field: e for e in exc.errors}},
                        exc.status)
        return page(request, "after_result.html", ui, _result(outcome, library, ui))

    @app.post("/after/outcome", include_in_schema=False)
    async def after_download(request: Request) -> Response:
        form = await posted_form(request)
        ui = _lang(form.get("ui"))
        outcome = outcome_from_text(str(form.get("outcome") or ""), ui)
        name = f"utfall-{outcome.workshop.date.isoformat()}.yaml"
        return Response(outcome_yaml(outcome), media_type="application/yaml",
                        headers={"Content-Disposition": f'attachment; filename="{name}"',
                                 "Cache-Control": "no-store"})

    @app.post("/after/follow-up", include_in_schema=False)
    async def after_follow_up(request: Request) -> Response:
        form = await posted_form(request)
        ui = _lang(form.get("ui"))
        try:
            outcome = outcome_from_text(str(form.get("outcome") or ""), ui)
            try:
                duration = int(str(form.get("duration_minutes") or "60"))
            except ValueError:
                duration = 0
            data, name = await follow_up_pack(outcome, duration,
                                              _date(form.get("date")), ui)
        except Refusal as exc:
            return page(request, "after.html", ui,
                        {"errors": exc.errors, "error_for": {e.field: e for e in exc.errors}},
                        exc.status)
        return _zip_response(data, name)


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _result(outcome: Outcome, library: Library, ui: Lang) -> dict[str, Any]:
    """What the result page shows: the outcome, named in the page's language."""
    first = outcome.workshop
    audience = library.audiences.get(first.audience)
    return {
        "outcome": outcome,
        "outcome_text": outcome_yaml(outcome),
        "audience_name": audience.name.get(ui) if audience else first.audience,
        "durations": DURATIONS,
        "follow_up_date": (first.follow_up_date or first.date).isoformat(),
        "errors": [], "error_for": {},
    }
