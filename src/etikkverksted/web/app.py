"""The web front end: pages for HR staff and a JSON API under ``/api/``.

``create_app()`` returns an ASGI application (FastAPI). The library is loaded once when the
app is made; packs are built in a bounded pool of spawned worker processes
(:mod:`.builds`). Each request's uploads and output live in its own temporary folder, removed
before or right after the response. Nothing of one request is kept for the next.

Pages work without JavaScript: every live part (the plan, the template check, the build
progress) also has a button that does the same with a normal form post.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Mapping
from concurrent.futures import Future
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..build.pack import file_names, pack_stem
from ..content.library import Library
from ..content.models import Lang, WorkshopSpec
from ..errors import EtikkverkstedError, Problem
from ..planning import plan_workshop
from .builds import BuildOutput, BuildPool, BuildTimeout, PoolFull, Ticket, render_jobs, to_pdf
from .security import (
    CSRF_COOKIE,
    CSRF_FIELD,
    BodyLimit,
    BodyTooLarge,
    SecurityHeaders,
    new_token,
    token_ok,
)
from .specs import FieldError, default_values, form_values, plan_or_errors, spec_from_values
from .uploads import TemplateRefused, inspect_template, safe_upload_name

log = logging.getLogger("etikkverksted.web")

HERE = Path(__file__).parent
MAX_UPLOAD_BYTES = 25 * 1024 * 1024
RETRY_AFTER_SECONDS = 10
LANGS: tuple[Lang, ...] = ("nb", "nn")
KINDS = {"template": "pptx", "docx_template": "docx"}


@dataclass
class Settings:
    libraries: tuple[Path, ...] = ()
    workers: int | None = None
    queue: int | None = None
    timeout: float = 120.0
    max_upload: int = MAX_UPLOAD_BYTES


@dataclass
class Refusal(Exception):
    """Field errors that end a request: 422 with the messages next to their fields."""

    errors: list[FieldError]
    status: int = 422
    values: dict[str, Any] = field(default_factory=dict)


def _lang(value: Any) -> Lang:
    return value if value in LANGS else "nb"


def create_app(libraries: tuple[Path, ...] | list[Path] = (), *, workers: int | None = None,
               queue: int | None = None, timeout: float = 120.0,
               max_upload: int = MAX_UPLOAD_BYTES) -> FastAPI:
    """The ASGI app. *libraries*: agency folders on top of the packaged library; *workers*:
    build processes (default: the number of cores); *queue*: builds that may wait for a
    worker before the server answers 503; *timeout*: seconds one build may take;
    *max_upload*: the largest request body in bytes (413 above it)."""
    from ..content.loader import load_library

    settings = Settings(tuple(Path(p) for p in libraries), workers, queue, timeout, max_upload)
    library = load_library(settings.libraries)
    pool = BuildPool(settings.libraries, workers, queue, timeout)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(pool.start)
        try:
            yield
        finally:
            await asyncio.to_thread(pool.shutdown)

    app = FastAPI(
        title="etikkverksted",
        version=__version__,
        description="Ethics workshops on generative AI for Norwegian state agencies: plan a "
                    "workshop and build its pack (deck and handouts) from a spec.",
        docs_url=None, redoc_url=None, openapi_url="/api/openapi.json", lifespan=lifespan,
    )
    app.state.library = library
    app.state.pool = pool
    app.state.settings = settings
    app.add_middleware(BodyLimit, limit=max_upload)
    app.add_middleware(SecurityHeaders)
    static = _VersionedStatic(directory=HERE / "static")
    app.mount("/static", static, name="static")
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals["version"] = __version__
    templates.env.globals["static"] = static.url

    # -- helpers ------------------------------------------------------------------------------

    def t(lang: Lang) -> Any:
        def label(key: str, **values: Any) -> str:
            text = library.label(f"web_{key}", lang)
            return text.format(**values) if values else text
        return label

    def is_api(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    def page(request: Request, name: str, ui: Lang, context: dict[str, Any],
             status: int = 200) -> HTMLResponse:
        token = request.cookies.get(CSRF_COOKIE) or new_token()
        base = {"ui": ui, "other_ui": "nn" if ui == "nb" else "nb", "t": t(ui), "L": library,
                "csrf_field": CSRF_FIELD, "csrf": token, "path": request.url.path}
        response = templates.TemplateResponse(request, name, {**base, **context},
                                              status_code=status)
        if request.cookies.get(CSRF_COOKIE) != token:
            response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict",
                                secure=request.url.scheme == "https", path="/")
        return response

    async def posted_form(request: Request) -> Any:
        form = await request.form(max_files=4, max_fields=200)
        if not token_ok(request.cookies.get(CSRF_COOKIE), str(form.get(CSRF_FIELD) or "")):
            raise StarletteHTTPException(403, "csrf")
        return form

    def dilemma_ids() -> list[str]:
        return [d.id for d in library.sorted_dilemmas()]

    def index_context(ui: Lang, values: Mapping[str, Any], plan: Any = None,
                      errors: list[FieldError] | None = None,
                      reports: dict[str, Any] | None = None,
                      notice: str = "") -> dict[str, Any]:
        errors = errors or []
        lang = _lang(values.get("language"))
        return {
            "values": values,
            "plan": plan,
            "errors": errors,
            "error_for": {e.field: e for e in errors},
            "reports": reports or {},
            "notice": notice,
            "dilemmas": library.sorted_dilemmas(),
            "audiences": library.audiences,
            "levels": library.maturity_levels,
            "content_lang": lang,
            "pdf_available": _soffice() is not None,
        }

    # -- building a pack ----------------------------------------------------------------------

    async def inspect_upload(path: Path, kind: str, field_name: str, ui: Lang,
                             ticket: Ticket | None = None) -> dict[str, Any]:
        try:
            if ticket is None:
                return await _wait(pool.inspect(path, kind), timeout)
            return await _wait(ticket.run(inspect_template, str(path), kind), timeout)
        except TemplateRefused as exc:
            raise Refusal([FieldError(field_name, t(ui)(f"refused_{exc.reason}"),
                                      t(ui)("refused_fix"))]) from None

    async def save_uploads(uploads: Mapping[str, Any], folder: Path, ui: Lang
                           ) -> dict[str, Path]:
        saved: dict[str, Path] = {}
        for field_name, kind in KINDS.items():
            upload = uploads.get(field_name)
            if not isinstance(upload, UploadFile) or not upload.filename:
                continue
            try:
                name = safe_upload_name(kind, upload.filename)
            except TemplateRefused as exc:
                raise Refusal([FieldError(field_name, t(ui)(f"refused_{exc.reason}"),
                                          t(ui)(f"fix_suffix_{kind}"))]) from None
            target = folder / name
            with target.open("wb") as out:
                while chunk := await upload.read(1024 * 1024):
                    out.write(chunk)
            saved[field_name] = target
        return saved

    def spec_and_plan(values: Mapping[str, Any], ui: Lang) -> tuple[Any, Any]:
        """The spec and plan of *values*, or a :class:`Refusal` with their field errors."""
        spec, errors = spec_from_values(values, library, ui)
        if spec is None:
            raise Refusal(errors)
        plan, errors = plan_or_errors(spec, library, ui)
        if plan is None:
            raise Refusal(errors)
        return spec, plan

    async def make_pack(values: Mapping[str, Any], uploads: Mapping[str, Any], pdf: bool,
                        ui: Lang) -> tuple[bytes, str]:
        spec, plan = spec_and_plan(values, ui)
        if pdf and _soffice() is None:
            raise Refusal([FieldError("pdf", t(ui)("err_pdf"), t(ui)("fix_pdf"))])
        ticket = pool.ticket()
        folder = Path(tempfile.mkdtemp(prefix="etikkverksted-web-"))
        finished = False
        try:
            saved = await save_uploads(uploads, folder, ui)
            for field_name, path in saved.items():
                await inspect_upload(path, KINDS[field_name], field_name, ui, ticket)
            if saved:  # the plan names the templates: plan again with them
                spec = spec.model_copy(update=dict(saved))
                plan = plan_workshop(spec, library)
            stem = pack_stem(spec, library)
            out = folder / "pack"
            out.mkdir()
            paths = {kind: out / name for kind, name in file_names(plan, stem).items()}
            deck = str(spec.template) if spec.template else None
            word = str(spec.docx_template) if spec.docx_template else None
            jobs = [[(kind, str(paths[kind]), deck if kind == "deck" else word)
                     for kind in group] for group in pool.costs.split(list(paths))]
            try:
                parts = await asyncio.gather(*(_wait(ticket.run(render_jobs, plan, j), timeout)
                                               for j in jobs))
                for job, part in zip(jobs, parts, strict=True):
                    for (kind, _path, _template), (_name, seconds) in zip(job, part,
                                                                          strict=True):
                        pool.costs.observe(kind, seconds)
                built = {name for part in parts for name, _seconds in part}
                files = [p.name for p in paths.values() if p.name in built]  # zip order
                if pdf:
                    files += await _wait(ticket.run(to_pdf, [str(p) for p in paths.values()],
                                                    str(out)), timeout)
            except BuildTimeout:
                raise Refusal([FieldError("", t(ui)("err_timeout"), t(ui)("fix_timeout"))],
                              status=503) from None
            except EtikkverkstedError as exc:
                log.info("build refused: %s", exc.render())
                raise Refusal([FieldError("", t(ui)("err_generic", detail=exc.render()),
                                          t(ui)("fix_generic"))]) from None
            output = BuildOutput(stem, files)
            data = _zip(spec, output, folder, saved)
            finished = True
            return data, f"{stem}.zip"
        finally:
            # On an error, a timeout or a client that went away, tasks not started yet are
            # dropped; the folder goes when the last running one has ended.
            ticket.close(cleanup=lambda: shutil.rmtree(folder, ignore_errors=True),
                         cancel=not finished)

    def refusal_json(exc: Refusal) -> JSONResponse:
        return JSONResponse({"errors": [e.as_json() for e in exc.errors]},
                            status_code=exc.status)

    from .after import register as register_after

    register_after(app, library=library, page=page, posted_form=posted_form, pool=pool,
                   timeout=timeout, t=t)

    # -- error handlers -----------------------------------------------------------------------

    @app.exception_handler(Refusal)
    async def _refusal(request: Request, exc: Refusal) -> Response:
        return refusal_json(exc)

    @app.exception_handler(BodyTooLarge)
    async def _too_large(request: Request, exc: BodyTooLarge) -> Response:
        ui = _lang(request.query_params.get("ui"))
        megabytes = max(exc.limit // (1024 * 1024), 1)
        message = t(ui)("err_too_large", mb=megabytes)
        fix = t(ui)("fix_too_large")
        if is_api(request):
            return JSONResponse({"errors": [{"field": "", "message": message, "fix": fix}]},
                                status_code=413, headers={"Connection": "close"})
        return page(request, "message.html", ui, {"title": message, "text": fix}, 413)

    @app.exception_handler(PoolFull)
    async def _full(request: Request, exc: PoolFull) -> Response:
        ui = _lang(request.query_params.get("ui"))
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        message, fix = t(ui)("err_busy"), t(ui)("fix_busy", seconds=RETRY_AFTER_SECONDS)
        if is_api(request):
            return JSONResponse({"errors": [{"field": "", "message": message, "fix": fix}]},
                                status_code=503, headers=headers)
        response = page(request, "message.html", ui, {"title": message, "text": fix}, 503)
        response.headers.update(headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"field": ".".join(str(p) for p in e.get("loc", ())[1:]),
                   "message": str(e.get("msg", "")),
                   "fix": "send a JSON object as described in /api/openapi.json"}
                  for e in exc.errors()]
        return JSONResponse({"errors": errors}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        ui = _lang(request.query_params.get("ui"))
        key = {403: "err_csrf", 404: "err_not_found", 405: "err_method"}.get(
            exc.status_code, "err_request")
        message = t(ui)(key)
        fix = t(ui)("fix_" + key[4:])
        if is_api(request):
            return JSONResponse({"errors": [{"field": "", "message": message, "fix": fix}]},
                                status_code=exc.status_code)
        return page(request, "message.html", ui, {"title": message, "text": fix},
                    exc.status_code)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        log.exception("error while answering %s %s", request.method, request.url.path)
        ui = _lang(request.query_params.get("ui"))
        message, fix = t(ui)("err_internal"), t(ui)("fix_internal")
        if is_api(request):
            return JSONResponse({"errors": [{"field": "", "message": message, "fix": fix}]},
                                status_code=500)
        return HTMLResponse(f"<!doctype html><html lang=\"{ui}\"><title>{message}</title>"
                            f"<h1>{message}</h1><p>{fix}</p></html>", status_code=500)

    # -- API ----------------------------------------------------------------------------------

    @app.get("/api/dilemmas", tags=["dilemmas"], summary="The library's dilemmas")
    async def api_dilemmas(lang: Lang = "nb") -> list[dict[str, Any]]:
        return [_dilemma_summary(library, d, lang) for d in library.sorted_dilemmas()]

    @app.get("/api/dilemmas/{dilemma_id}", tags=["dilemmas"],
             summary="One dilemma in full, with the questions for an audience and trinn")
    async def api_dilemma(dilemma_id: str, lang: Lang = "nb", audience: str | None = None,
                          maturity: int | None = None) -> dict[str, Any]:
        dilemma = library.dilemmas.get(dilemma_id)
        if dilemma is None:
            raise StarletteHTTPException(404)
        return _dilemma_full(library, dilemma, lang, audience, maturity)

    spec_schema = WorkshopSpec.model_json_schema()
    for name in ("template", "docx_template"):
        spec_schema.get("properties", {}).pop(name, None)
    spec_body = {"requestBody": {"required": True, "content": {
        "application/json": {"schema": spec_schema}}}}

    @app.post("/api/plan", tags=["workshop"], openapi_extra=spec_body,
              summary="A spec (JSON) -> the workshop plan (JSON)",
              responses={422: {"description": "Field errors: field, message, fix"}})
    async def api_plan(request: Request, lang: Lang = "nb") -> Response:
        values = await _json_object(request, t(lang))
        _spec, plan = spec_and_plan(values, lang)
        return Response(plan.model_dump_json(), media_type="application/json")

    packs_body = {"requestBody": {"required": True, "content": {
        "application/json": {"schema": spec_schema},
        "multipart/form-data": {"schema": {"type": "object", "required": ["spec"], "properties": {
            "spec": {"type": "string", "description": "The spec as JSON text."},
            "template": {"type": "string", "format": "binary",
                         "description": "The agency's .pptx/.potx."},
            "docx_template": {"type": "string", "format": "binary",
                              "description": "The agency's .docx/.dotx."},
            "pdf": {"type": "boolean", "description": "Add PDFs (needs LibreOffice)."}}}}}}}

    @app.post("/api/packs", tags=["workshop"], openapi_extra=packs_body,
              summary="A spec (JSON, or multipart with templates) -> the pack as a zip",
              responses={200: {"content": {"application/zip": {}}},
                         413: {"description": "Upload too large"},
                         422: {"description": "Field errors: field, message, fix"},
                         503: {"description": "Every build slot is busy; see Retry-After"}})
    async def api_packs(request: Request, lang: Lang = "nb", pdf: bool = False) -> Response:
        kind = request.headers.get("content-type", "")
        uploads: Mapping[str, Any] = {}
        if kind.startswith("multipart/form-data"):
            form = await request.form(max_files=4, max_fields=20)
            try:
                values = json.loads(str(form.get("spec") or ""))
            except ValueError:
                values = None
            if not isinstance(values, dict):
                raise Refusal([FieldError("spec", t(lang)("err_json"), t(lang)("fix_json"))])
            uploads = form
            pdf = pdf or str(form.get("pdf") or "").lower() in ("1", "true", "on", "yes")
        else:
            values = await _json_object(request, t(lang))
        data, name = await make_pack(values, uploads, pdf, lang)
        return _zip_response(data, name)

    @app.post("/api/templates", tags=["workshop"],
              summary="Check an uploaded template: layouts used, warnings, or why it is refused",
              openapi_extra={"requestBody": {"required": True, "content": {
                  "multipart/form-data": {"schema": {"type": "object", "properties": {
                      "template": {"type": "string", "format": "binary"},
                      "docx_template": {"type": "string", "format": "binary"}}}}}}})
    async def api_templates(request: Request, lang: Lang = "nb") -> dict[str, Any]:
        form = await request.form(max_files=2, max_fields=10)
        return await check_templates(form, lang)

    async def check_templates(form: Mapping[str, Any], ui: Lang) -> dict[str, Any]:
        folder = Path(tempfile.mkdtemp(prefix="etikkverksted-web-"))
        try:
            saved = await save_uploads(form, folder, ui)
            return {f: await inspect_upload(p, KINDS[f], f, ui) for f, p in saved.items()}
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    @app.post("/api/assess", tags=["assessment"],
              summary="Answers to the self-assessment -> trinn, profile and a spec",
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/json": {"schema": {"type": "object", "required": ["answers"],
                                                  "properties": {
                      "answers": {"type": "object",
                                  "additionalProperties": {"type": "integer"}},
                      "agency": {"type": "string"}}}}}}})
    async def api_assess(request: Request, lang: Lang = "nb") -> dict[str, Any]:
        body = await _json_object(request, t(lang))
        answers = body.get("answers")
        if not isinstance(answers, dict):
            raise Refusal([FieldError("answers", t(lang)("err_answers"),
                                      t(lang)("fix_answers"))])
        return _assess(library, answers, lang, str(body.get("agency") or ""))

    @app.get("/api/questions", tags=["assessment"], summary="The self-assessment's questions")
    async def api_questions(lang: Lang = "nb") -> list[dict[str, Any]]:
        return [{"id": q.id, "dimension": q.dimension, "text": q.text.get(lang),
                 "options": [o.text.get(lang) for o in q.options]}
                for q in library.assessment.values()]

    @app.get("/healthz", include_in_schema=False)
    async def health() -> dict[str, Any]:
        return {"ok": True, "busy": pool.busy, "capacity": pool.capacity}

    # -- pages --------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def index(request: Request, ui: str = "nb") -> Response:
        lang = _lang(ui)
        values = default_values(lang)
        for name in ("agency", "audience", "maturity", "language", "duration_minutes", "date",
                     "facilitator", "start_time", "format"):
            if name in request.query_params:
                values[name] = request.query_params[name][:200]
        plan, _errors = planned(values, lang, preview=True)
        return page(request, "index.html", lang, index_context(lang, values, plan))

    async def form_and_values(request: Request) -> tuple[Any, Lang, dict[str, Any]]:
        form = await posted_form(request)
        ui = _lang(form.get("ui"))
        return form, ui, form_values(form, dilemma_ids())

    empty_form_plans: dict[tuple[Lang, str], tuple[Any, list[FieldError]]] = {}

    def planned(values: dict[str, Any], ui: Lang, preview: bool = False
                ) -> tuple[Any, list[FieldError]]:
        """Plan the form's values; a *preview* does not need the agency's name yet.

        The empty form's plan (nothing a user typed: the defaults of the day) is the same
        for every visit of the page, so it is made once per written standard and day; plans
        are frozen and the library does not change while the app runs. Nothing a user
        entered is kept.
        """
        empty = preview and values == default_values(ui)
        key = (ui, str(values.get("date")))
        if empty and key in empty_form_plans:
            plan, errors = empty_form_plans[key]
            return plan, list(errors)
        if preview and not values.get("agency"):
            values = {**values, "agency": t(ui)("agency_placeholder")}
        spec, errors = spec_from_values(values, library, ui)
        if spec is None:
            return None, errors
        plan, errors = plan_or_errors(spec, library, ui)
        if empty:
            if len(empty_form_plans) >= 4:  # yesterday's
                empty_form_plans.clear()
            empty_form_plans[key] = (plan, list(errors))
        return plan, errors

    @app.post("/plan", response_class=HTMLResponse, include_in_schema=False)
    async def plan_page(request: Request) -> Response:
        _form, ui, values = await form_and_values(request)
        plan, errors = planned(values, ui)
        return page(request, "index.html", ui, index_context(ui, values, plan, errors),
                    422 if errors else 200)

    @app.post("/fragments/plan", response_class=HTMLResponse, include_in_schema=False)
    async def plan_fragment(request: Request) -> Response:
        _form, ui, values = await form_and_values(request)
        plan, errors = planned(values, ui, preview=True)
        return page(request, "_plan.html", ui, index_context(ui, values, plan, errors))

    @app.post("/fragments/template", response_class=HTMLResponse, include_in_schema=False)
    async def template_fragment(request: Request) -> Response:
        form = await posted_form(request)
        ui = _lang(form.get("ui"))
        field_name = str(form.get("field") or "")
        try:
            reports = await check_templates(form, ui)
            error = None
        except Refusal as exc:
            reports, error = {}, exc.errors[0]
        return page(request, "_template.html", ui,
                    {"field_name": field_name, "report": reports.get(field_name),
                     "error": error})

    @app.post("/templates/check", response_class=HTMLResponse, include_in_schema=False)
    async def templates_page(request: Request) -> Response:
        form, ui, values = await form_and_values(request)
        try:
            reports = await check_templates(form, ui)
            errors: list[FieldError] = []
        except Refusal as exc:
            reports, errors = {}, exc.errors
        plan, plan_errors = planned(values, ui)
        return page(request, "index.html", ui,
                    index_context(ui, values, plan, errors + plan_errors, reports,
                                  notice=t(ui)("notice_choose_again") if reports else ""),
                    422 if errors else 200)

    @app.post("/build", include_in_schema=False)
    async def build_page(request: Request) -> Response:
        form, ui, values = await form_and_values(request)
        pdf = form.get("pdf") == "on"
        try:
            data, name = await make_pack(values, form, pdf, ui)
        except Refusal as exc:
            plan, _ = planned(values, ui)
            return page(request, "index.html", ui, index_context(ui, values, plan, exc.errors),
                        exc.status)
        return _zip_response(data, name)

    @app.post("/spec", response_class=HTMLResponse, include_in_schema=False)
    async def spec_page(request: Request) -> Response:
        form = await posted_form(request)
        ui = _lang(form.get("ui"))
        upload = form.get("spec_file")
        values = default_values(ui)
        notice = ""
        errors: list[FieldError] = []
        raw = await upload.read(256 * 1024 + 1) if isinstance(upload, UploadFile) else b""
        loaded = _read_spec(raw) if raw and len(raw) <= 256 * 1024 else None
        if not isinstance(loaded, dict):
            errors = [FieldError("spec_file", t(ui)("err_spec_file"), t(ui)("fix_spec_file"))]
        else:
            dropped = [k for k in ("template", "docx_template") if loaded.pop(k, None)]
            loaded.pop("scenario_cross", None)
            for k, v in loaded.items():
                if k == "dilemmas" and isinstance(v, list):
                    values["dilemmas"] = [str(x) for x in v]
                elif k in values:
                    values[k] = _text(v)
            if dropped:
                notice = t(ui)("notice_spec_template")
        plan, plan_errors = planned(values, ui) if not errors else (None, [])
        return page(request, "index.html", ui,
                    index_context(ui, values, plan, errors + plan_errors, notice=notice),
                    422 if errors else 200)

    @app.get("/dilemmas", response_class=HTMLResponse, include_in_schema=False)
    async def dilemmas_page(request: Request, ui: str = "nb") -> Response:
        lang = _lang(ui)
        return page(request, "dilemmas.html", lang,
                    {"dilemmas": [_dilemma_summary(library, d, lang)
                                  for d in library.sorted_dilemmas()]})

    @app.get("/dilemmas/{dilemma_id}", response_class=HTMLResponse, include_in_schema=False)
    async def dilemma_page(request: Request, dilemma_id: str, ui: str = "nb",
                           lang: str | None = None, audience: str = "leaders",
                           maturity: int = 2) -> Response:
        dilemma = library.dilemmas.get(dilemma_id)
        if dilemma is None:
            raise StarletteHTTPException(404)
        page_lang = _lang(ui)
        content_lang = _lang(lang or page_lang)
        audience = audience if audience in library.audiences else "leaders"
        maturity = maturity if maturity in (1, 2, 3, 4) else 2
        return page(request, "dilemma.html", page_lang, {
            "d": _dilemma_full(library, dilemma, content_lang, audience, maturity),
            "content_lang": content_lang, "audience": audience, "maturity": maturity,
            "audiences": library.audiences})

    @app.get("/assess", response_class=HTMLResponse, include_in_schema=False)
    async def assess_page(request: Request, ui: str = "nb") -> Response:
        lang = _lang(ui)
        return page(request, "assess.html", lang,
                    {"questions": list(library.assessment.values()), "answers": {},
                     "errors": []})

    @app.post("/assess", response_class=HTMLResponse, include_in_schema=False)
    async def assess_post(request: Request) -> Response:
        form = await posted_form(request)
        ui = _lang(form.get("ui"))
        answers: dict[str, int] = {}
        missing = []
        for qid in library.assessment:
            raw = str(form.get(qid) or "")
            if raw.isdigit():
                answers[qid] = int(raw)
            else:
                missing.append(qid)
        if missing:
            errors = [FieldError(q, t(ui)("err_unanswered"), t(ui)("fix_unanswered"))
                      for q in missing]
            return page(request, "assess.html", ui,
                        {"questions": list(library.assessment.values()), "answers": answers,
                         "errors": errors, "error_for": {e.field: e for e in errors}}, 422)
        result = _assess(library, answers, ui, "")
        return page(request, "assessed.html", ui, {"result": result})

    return app


# -- pieces without the app's state ---------------------------------------------------------

class _VersionedStatic(StaticFiles):
    """The page's stylesheet, script and icon, each under an address that names its content
    (``/static/style.css?v=<digest>``), cached by the browser for a year without asking
    again: the stylesheet blocks the page's first paint, and a returning user's browser
    otherwise asked the server whether it had changed on every page. A new version of a file
    gets a new address; an address without the current digest is served as before
    (``no-cache``)."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory=directory)
        self.digests = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()[:16]
                        for p in sorted(directory.iterdir()) if p.is_file()}

    def url(self, name: str) -> str:
        return f"/static/{name}?v={self.digests[name]}"

    async def get_response(self, path: str, scope: Any) -> Response:
        response = await super().get_response(path, scope)
        query = scope.get("query_string", b"").decode("latin-1")
        current = path in self.digests and query == f"v={self.digests[path]}"
        response.headers["Cache-Control"] = ("public, max-age=31536000, immutable" if current
                                             and response.status_code in (200, 304)
                                             else "no-cache")
        return response


def _soffice() -> str | None:
    from ..build.pack import find_soffice

    return find_soffice()


async def _wait(future: Future[Any], timeout: float) -> Any:
    """Await a pool future; a backstop beyond the worker's own time limit."""
    try:
        return await asyncio.wait_for(asyncio.wrap_future(future), timeout + 30)
    except TimeoutError:
        raise BuildTimeout(Problem("the build took too long")) from None


def _remove_when_done(folder: Path, future: Future[Any] | None) -> None:
    """Remove a request's folder now, or when its build ends (client gone, timeout)."""
    if future is None or future.done():
        shutil.rmtree(folder, ignore_errors=True)
    else:
        future.add_done_callback(lambda _f: shutil.rmtree(folder, ignore_errors=True))


async def _json_object(request: Request, t: Any) -> dict[str, Any]:
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        raise Refusal([FieldError("", t("err_json"), t("fix_json"))])
    return body


def _text(value: Any) -> Any:
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, int) and not isinstance(value, bool) and value >= 24 * 60:
        return str(value)
    return "" if value is None else str(value)


def _read_spec(raw: bytes) -> Any:
    """A spec file's YAML, read as the CLI reads it (size, aliases, duplicate keys)."""
    from ..content.yamlsource import read_yaml

    with tempfile.TemporaryDirectory(prefix="etikkverksted-web-") as tmp:
        path = Path(tmp) / "spec.yaml"
        path.write_bytes(raw)
        source, problems = read_yaml(path)
        if source is None or problems:
            return None
        data = source.data
        if isinstance(data, dict) and isinstance(data.get("start_time"), int):
            minutes = data["start_time"]
            if 0 <= minutes < 24 * 60:
                data["start_time"] = f"{minutes // 60:02d}:{minutes % 60:02d}"
        return data


def _zip(spec: WorkshopSpec, output: BuildOutput, folder: Path,
         templates: dict[str, Path]) -> bytes:
    """The pack as one zip: the files, the templates used, and the spec that rebuilds it."""
    import yaml

    data = spec.model_dump(mode="json", exclude_none=True)
    data["start_time"] = spec.start_time.strftime("%H:%M")
    for field_name, path in templates.items():
        data[field_name] = f"mal/{path.name}"
    text = ("# Laga av etikkverksted serve. Bygg pakken på nytt med:\n"
            f"#   etikkverksted build {output.stem}.yaml -o ut/\n"
            + yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    from ..ooxml.properties import build_datetime
    from ..ooxml.zipfiles import write_zip

    members = [(f"{output.stem}/{name}", (folder / "pack" / name).read_bytes())
               for name in output.files]
    members.append((f"{output.stem}/{output.stem}.yaml", text.encode("utf-8")))
    members += [(f"{output.stem}/mal/{path.name}", path.read_bytes())
                for path in templates.values()]
    # The deck and the handouts are zips already: deflating them again took ~6 ms of the
    # server's time per pack (in its event loop) for 10 % less to download.
    return write_zip(members, build_datetime(spec.date), stored=_is_package)


def _is_package(name: str) -> bool:
    return name.endswith((".pptx", ".docx", ".potx", ".dotx"))


def _zip_response(data: bytes, name: str) -> Response:
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type="application/zip",
                    headers={"Content-Disposition": disposition, "Cache-Control": "no-store"})


def _dilemma_summary(library: Library, d: Any, lang: Lang) -> dict[str, Any]:
    from ..planning.selection import usable

    return {
        "id": d.id,
        "title": d.title.get(lang),
        "summary": d.summary.get(lang),
        "minutes": d.minutes,
        "method": library.methods[d.method].name.get(lang) if d.method in library.methods
        else d.method,
        "relevance": {str(k): v for k, v in sorted(d.maturity_relevance.items())},
        "fits": {a: [n for n in (1, 2, 3, 4) if usable(d, a, n)]  # type: ignore[arg-type]
                 for a in library.audiences},
    }


def _dilemma_full(library: Library, d: Any, lang: Lang, audience: str | None,
                  maturity: int | None) -> dict[str, Any]:
    questions = d.questions
    if audience in library.audiences and maturity in (1, 2, 3, 4):
        questions = d.questions_for(audience, maturity)
    role = {"opening": "role_opening", "deepening": "role_deepening", "action": "role_action"}
    return {
        **_dilemma_summary(library, d, lang),
        "scenario": d.scenario.get(lang),
        "poles": {"left": d.poles.left.get(lang), "right": d.poles.right.get(lang)},
        "background": d.background.get(lang),
        "facts": [library.facts[f].statement.get(lang) for f in d.facts if f in library.facts],
        "decision_note": d.decision_note.get(lang),
        "questions": [{"id": q.id, "text": q.text.get(lang),
                       "role": library.label(role[q.role], lang) if q.role in role else q.role,
                       "audiences": list(q.audiences), "maturity": list(q.maturity),
                       "side": getattr(q, "side", None)} for q in questions],
        "audience": audience, "maturity": maturity,
    }


def _assess(library: Library, answers: dict[str, Any], lang: Lang, agency: str
            ) -> dict[str, Any]:
    from ..planning.assessment import score

    clean = {str(k): v for k, v in answers.items()}
    try:
        result = score(clean, library, lang)
    except EtikkverkstedError as exc:
        raise Refusal([FieldError(p.field, library.label("web_err_answers", lang),
                                  p.fix) for p in exc.problems]) from None
    spec = {"agency": agency, "audience": result.recommended_audience,
            "maturity": result.trinn, "language": lang, "duration_minutes": 90}
    return {
        "trinn": result.trinn,
        "level": library.maturity_levels[result.trinn].name.get(lang),
        "mean": round(result.mean, 2),
        "usage": round(result.usage, 2),
        "organisation": round(result.organisation, 2),
        "balance": result.balance,
        "weakest": result.weakest,
        "profile": [{"dimension": d.dimension, "name": d.name, "score": round(d.score, 2)}
                    for d in result.profile],
        "explanation": result.explanation,
        "recommended_audience": result.recommended_audience,
        "spec": spec,
    }


# The app object for `uvicorn etikkverksted.web.app:app`-style hosting is made on demand.
def __getattr__(name: str) -> Any:
    if name == "app":
        libs = os.environ.get("ETIKKVERKSTED_LIBRARY", "")
        return create_app(tuple(Path(p) for p in libs.split(os.pathsep) if p))
    raise AttributeError(name)


__all__ = ["create_app"]
