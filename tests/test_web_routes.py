"""The web server through the ASGI test client: pages, API, errors, uploads, limits.

One app (two spawned build workers) serves the whole module, as one server serves many users.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import time
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from pptx import Presentation

from etikkverksted.content.spec import load_spec
from etikkverksted.web import create_app
from web_helpers import AGENCY_LAYOUT, SPEC, agency_pptx, hostile_templates

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    app = create_app(workers=2, max_upload=3 * 1024 * 1024)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def csrf(client: TestClient) -> str:
    page = client.get("/")
    match = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert match
    return match.group(1)


class _Fields(HTMLParser):
    """Every form control, every label's target, every heading level, the lang attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str]] = []
        self.label_for: set[str] = set()
        self.headings: list[int] = []
        self.lang = ""
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "html":
            self.lang = a.get("lang", "")
        if tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            self.controls.append(a)
        if tag == "label" and a.get("for"):
            self.label_for.add(a["for"])
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))


def parse(html: str) -> _Fields:
    fields = _Fields()
    fields.feed(html)
    return fields


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


# -- pages ------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/?ui=nn", "/dilemmas", "/dilemmas?ui=nn",
                                  "/dilemmas/skyggebruk?lang=nn&audience=parties&maturity=3",
                                  "/assess", "/assess?ui=nn"])
def test_every_page_labels_every_field_orders_headings_and_sets_lang(
        client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    fields = parse(page.text)
    assert fields.lang == ("nn" if "ui=nn" in path else "nb")
    unlabelled = [c for c in fields.controls if c.get("id") not in fields.label_for]
    assert not unlabelled
    assert fields.headings[0] == 1
    assert all(b - a <= 1 for a, b in zip(fields.headings, fields.headings[1:], strict=False))
    assert len(fields.ids) == len(set(fields.ids)), "ids repeat"


def test_the_form_is_in_the_chosen_written_standard(client: TestClient) -> None:
    nb, nn = client.get("/").text, client.get("/?ui=nn").text
    assert "Lag pakken til møtet" in nb and "Virksomhet" in nb
    assert "Verksemd" in nn and "Køyreplan" in nn
    for word in ("ikke ", "Virksomhet", "hvordan"):
        assert word not in nn


def test_security_headers_and_csrf_cookie(client: TestClient) -> None:
    page = TestClient(client.app).get("/")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["referrer-policy"] == "no-referrer"
    cookie = page.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()


def test_the_empty_form_already_shows_a_plan(client: TestClient) -> None:
    page = client.get("/")
    assert '<table class="runsheet">' in page.text
    assert "Hvorfor disse dilemmaene" in page.text


def test_post_without_csrf_token_is_refused(client: TestClient) -> None:
    fresh = TestClient(client.app, raise_server_exceptions=False)
    answer = fresh.post("/build", data={**SPEC, "ui": "nb"})
    assert answer.status_code == 403
    assert "Skjemaet er for gammelt" in answer.text


def test_form_plan_without_javascript(client: TestClient, csrf: str) -> None:
    form = {**{k: str(v) for k, v in SPEC.items()}, "ui": "nn", "csrf": csrf,
            "language": "nn", "dilemmas": ["skyggebruk", "apenhet-innsyn"],
            "order-skyggebruk": "2", "order-apenhet-innsyn": "1"}
    page = client.post("/plan", data=form)
    assert page.status_code == 200
    sheet = page.text[page.text.index('class="runsheet"'):]
    assert sheet.index("Openheit om KI") < sheet.index("KI på si")
    assert 'value="Direktoratet for prøving"' in page.text


def test_form_errors_sit_next_to_their_fields(client: TestClient, csrf: str) -> None:
    form = {"ui": "nb", "csrf": csrf, "agency": "", "date": "2026-13-40", "audience": "leaders",
            "maturity": "2", "duration_minutes": "20", "format": "in_person",
            "language": "nb", "start_time": "09:00"}
    page = client.post("/plan", data=form)
    assert page.status_code == 422
    for name, words in (("agency", "Virksomhetens navn mangler"),
                        ("date", "ikke en gyldig dato"),
                        ("duration_minutes", "fra 45 til 240")):
        assert re.search(rf'id="{name}-error">[^<]*{words}', page.text), name
        assert re.search(rf'id="{name}"[^>]*aria-describedby="[^"]*{name}-error"'
                         rf'[^>]*aria-invalid="true"', page.text, re.S), name
        assert f'href="#field-{name}"' in page.text


def test_too_many_dilemmas_say_what_would_fit(client: TestClient) -> None:
    spec = {**SPEC, "duration_minutes": 45,
            "dilemmas": ["frigjort-tid", "gevinstuttak", "apenhet-innsyn",
                         "skyggebruk"]}
    answer = client.post("/api/plan?lang=nn", json=spec)
    assert answer.status_code == 422
    error = answer.json()["errors"][0]
    assert error["field"] == "dilemmas"
    assert "får ikkje plass på 45 minutt" in error["message"]
    fits, minutes = map(int, re.findall(r"\d+", error["fix"]))
    assert client.post("/api/plan", json={**spec, "dilemmas": spec["dilemmas"][:fits]}
                       ).status_code == 200
    assert client.post("/api/plan", json={**spec, "duration_minutes": minutes}
                       ).status_code == 200


def test_spec_file_opens_in_the_form(client: TestClient, csrf: str) -> None:
    text = ("agency: Statens testverk\ndate: 2027-01-15\naudience: parties\nmaturity: 3\n"
            "language: nn\nduration_minutes: 120\nstart_time: 12:30\n"
            "dilemmas: [involvering-tillitsvalgte]\ntemplate: /etc/passwd\n")
    page = client.post("/spec", data={"csrf": csrf, "ui": "nb"},
                       files={"spec_file": ("workshop.yaml", text.encode(), "text/yaml")})
    assert page.status_code == 200
    assert 'value="Statens testverk"' in page.text
    assert 'value="12:30"' in page.text
    assert re.search(r'id="audience-parties"[^>]*checked', page.text)
    assert re.search(r'id="dilemma-involvering-tillitsvalgte"[^>]*checked', page.text)
    assert "Filstier fra en spec brukes ikke her" in page.text
    bad = client.post("/spec", data={"csrf": csrf, "ui": "nb"},
                      files={"spec_file": ("x.yaml", b"a: [unclosed", "text/yaml")})
    assert bad.status_code == 422 and 'id="spec_file-error"' in bad.text


def test_self_assessment_page_fills_in_the_form(client: TestClient, csrf: str) -> None:
    questions = client.get("/api/questions?lang=nn").json()
    answers = {q["id"]: "3" for q in questions}
    missing = client.post("/assess", data={"csrf": csrf, "ui": "nn"})
    assert missing.status_code == 422 and "ikkje svart på" in missing.text
    result = client.post("/assess", data={**answers, "csrf": csrf, "ui": "nn"})
    assert result.status_code == 200
    trinn = re.search(r"De står på trinn (\d)", result.text)
    assert trinn
    assert f'name="maturity" value="{trinn.group(1)}"' in result.text
    form = client.get(f"/?ui=nn&maturity={trinn.group(1)}&audience=employees")
    assert re.search(rf'id="maturity-{trinn.group(1)}"[^>]*checked', form.text)
    assert re.search(r'id="audience-employees"[^>]*checked', form.text)


# -- API --------------------------------------------------------------------------------------

def test_openapi_describes_the_api(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    for path in ("/api/dilemmas", "/api/dilemmas/{dilemma_id}", "/api/plan", "/api/packs",
                 "/api/assess", "/api/templates"):
        assert path in schema["paths"]
    body = schema["paths"]["/api/plan"]["post"]["requestBody"]["content"]["application/json"]
    assert "agency" in body["schema"]["properties"]
    assert "template" not in body["schema"]["properties"]


def test_api_dilemmas_in_both_written_standards(client: TestClient) -> None:
    nb = client.get("/api/dilemmas").json()
    nn = client.get("/api/dilemmas?lang=nn").json()
    assert [d["id"] for d in nb] == [d["id"] for d in nn]
    assert len(nb) >= 13
    one = client.get("/api/dilemmas/skyggebruk?lang=nn&audience=parties&maturity=2").json()
    assert one["scenario"] and one["poles"]["left"] and one["poles"]["right"]
    assert one["questions"]
    assert all("parties" in q["audiences"] and q["maturity"][0] <= 2 <= q["maturity"][1]
               for q in one["questions"])
    missing = client.get("/api/dilemmas/finst-ikkje")
    assert missing.status_code == 404 and missing.json()["errors"]


def test_api_plan_and_its_errors(client: TestClient) -> None:
    plan = client.post("/api/plan", json=SPEC).json()
    assert sum(s["minutes"] for s in plan["segments"]) == 90
    assert plan["agency"] == SPEC["agency"] and plan["dilemmas"]
    bad = client.post("/api/plan", json={**SPEC, "maturity": 7, "audience": "alle"})
    assert bad.status_code == 422
    fields = {e["field"]: e for e in bad.json()["errors"]}
    assert set(fields) == {"maturity", "audience"}
    assert all(e["message"] and e["fix"] for e in fields.values())
    path = client.post("/api/plan", json={**SPEC, "template": "/etc/passwd"})
    assert path.status_code == 422
    assert path.json()["errors"][0]["field"] == "template"
    assert client.post("/api/plan", content=b"[1, 2", headers={
        "content-type": "application/json"}).status_code == 422


def test_api_assess(client: TestClient) -> None:
    questions = client.get("/api/questions").json()
    result = client.post("/api/assess", json={"answers": {q["id"]: 1 for q in questions}})
    assert result.status_code == 200
    body = result.json()
    assert body["trinn"] == 1 and body["spec"]["maturity"] == 1 and body["explanation"]
    assert client.post("/api/assess", json={"answers": {}}).status_code == 422


def test_api_pack_is_a_zip_that_rebuilds_from_the_cli(client: TestClient, tmp_path: Path
                                                      ) -> None:
    answer = client.post("/api/packs", json={**SPEC, "language": "nn"})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/zip"
    stem = "2026-12-03-direktoratet-for-prøving-leiargruppe-trinn2-nn"
    assert f"filename*=UTF-8''{stem.replace('ø', '%C3%B8')}.zip" in \
        answer.headers["content-disposition"]
    files = unzip(answer.content)
    names = sorted(Path(n).name for n in files)
    assert sum(n.endswith(".docx") for n in names) == 4
    assert sum(n.endswith(".pptx") for n in names) == 1
    deck = next(v for k, v in files.items() if k.endswith(".pptx"))
    prs = Presentation(io.BytesIO(deck))
    texts = " ".join(sh.text_frame.text for s in prs.slides for sh in s.shapes
                     if sh.has_text_frame)
    assert "Direktoratet for prøving" in texts
    spec_name = f"{stem}/{stem}.yaml"
    (tmp_path / "spec.yaml").write_bytes(files[spec_name])
    spec = load_spec(tmp_path / "spec.yaml")
    assert spec.agency == SPEC["agency"] and spec.language == "nn" and spec.maturity == 2


def test_api_pack_with_an_agency_template(client: TestClient, tmp_path: Path) -> None:
    answer = client.post("/api/packs", data={"spec": __import__("json").dumps(SPEC)},
                         files={"template": ("etat.potx", agency_pptx(),
                                             "application/octet-stream")})
    assert answer.status_code == 200, answer.text
    files = unzip(answer.content)
    deck = next(v for k, v in files.items() if k.endswith(".pptx") and "/mal/" not in k)
    layouts = {s.slide_layout.name for s in Presentation(io.BytesIO(deck)).slides}
    assert AGENCY_LAYOUT in layouts
    template = [k for k in files if "/mal/" in k]
    assert template and template[0].endswith(".potx")
    spec_text = next(v for k, v in files.items() if k.endswith(".yaml")).decode()
    assert yaml.safe_load(spec_text)["template"] == f"mal/{Path(template[0]).name}"


def test_template_check_shows_the_layouts_used(client: TestClient, csrf: str) -> None:
    report = client.post("/api/templates", files={
        "template": ("etat.potx", agency_pptx(), "application/octet-stream")}).json()
    assert report["template"]["roles"]["content"]["layout"] == AGENCY_LAYOUT
    page = client.post("/fragments/template", data={"csrf": csrf, "ui": "nn",
                                                    "field": "template"},
                       files={"template": ("etat.potx", agency_pptx(), "x/y")})
    assert f"Innhald: «{AGENCY_LAYOUT}»" in page.text


@pytest.mark.parametrize("reason", sorted(hostile_templates()))
def test_hostile_template_gets_a_clear_4xx_and_the_server_keeps_serving(
        client: TestClient, reason: str) -> None:
    name, data = hostile_templates()[reason]
    answer = client.post("/api/packs", data={"spec": __import__("json").dumps(SPEC)},
                         files={"template": (name, data, "application/octet-stream")})
    assert answer.status_code == 422, answer.text
    error = answer.json()["errors"][0]
    assert error["field"] == "template"
    expected = {"not_zip": "ikke en Office-fil", "bomb": "zip-bombe", "doctype": "DOCTYPE",
                "macro": "makroer", "external": "eksterne adresser",
                "wrong_kind": "feil slag"}[reason]
    assert expected in error["message"]
    assert "Traceback" not in answer.text
    assert client.get("/healthz").json()["ok"]
    assert client.post("/api/plan", json=SPEC).status_code == 200


def test_upload_over_the_limit_is_413(client: TestClient) -> None:
    big = b"\0" * (4 * 1024 * 1024)
    answer = client.post("/api/packs", data={"spec": "{}"},
                         files={"template": ("big.pptx", big, "application/octet-stream")})
    assert answer.status_code == 413
    assert "større enn 3 MB" in answer.json()["errors"][0]["message"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while reading
        for _ in range(8):
            yield b"x" * (512 * 1024)

    streamed = client.post("/api/plan", content=chunks(),
                           headers={"content-type": "application/json"})
    assert streamed.status_code == 413
    assert client.get("/healthz").status_code == 200


def test_full_pool_answers_503_with_retry_after(client: TestClient) -> None:
    pool = client.app.state.pool  # type: ignore[attr-defined]
    pool._busy += pool.capacity
    try:
        answer = client.post("/api/packs", json=SPEC)
    finally:
        pool._busy -= pool.capacity
    assert answer.status_code == 503
    assert int(answer.headers["retry-after"]) > 0
    assert answer.json()["errors"][0]["message"]
    assert client.post("/api/packs", json=SPEC).status_code == 200


def test_request_folders_are_removed_also_after_errors(client: TestClient) -> None:
    tmp = Path(tempfile.gettempdir())
    before = set(tmp.glob("etikkverksted-web-*"))
    assert client.post("/api/packs", json=SPEC).status_code == 200
    assert client.post("/api/packs", data={"spec": __import__("json").dumps(SPEC)},
                       files={"template": hostile_templates()["macro"]}).status_code == 422
    assert client.post("/api/packs", json={**SPEC, "agency": ""}).status_code == 422
    # A folder goes when the last worker task of its request has ended, which may be a
    # moment after the response (a task still running when the request failed).
    for _ in range(200):
        if set(tmp.glob("etikkverksted-web-*")) <= before:
            break
        time.sleep(0.05)
    assert set(tmp.glob("etikkverksted-web-*")) <= before


def test_no_stack_trace_reaches_the_browser(client: TestClient, monkeypatch: Any) -> None:
    import etikkverksted.web.app as web_app

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(web_app, "spec_from_values", boom)
    monkeypatch.setattr(web_app, "default_values", boom)  # the empty form's plan is kept
    for answer in (client.post("/api/plan", json=SPEC), client.get("/")):
        assert answer.status_code == 500
        assert "secret" not in answer.text and "Traceback" not in answer.text
        assert "Noe gikk galt" in answer.text


def test_a_build_that_takes_too_long_is_stopped_in_its_worker() -> None:
    from etikkverksted.web.builds import BuildPool, BuildTimeout

    pool = BuildPool(workers=1, queue=0, timeout=0.5)
    pool.start()
    try:
        with pytest.raises(BuildTimeout):
            pool.run(time.sleep, 30).result()
        # The worker and the slot are free again (the slot is given back by a callback
        # that may run just after result() returned): a second task runs.
        for _ in range(100):
            if pool.busy == 0:
                break
            time.sleep(0.05)
        assert pool.busy == 0
        assert pool.run(abs, -3).result() == 3
    finally:
        pool.shutdown()


def test_a_worker_that_dies_does_not_break_the_server() -> None:
    import os
    from concurrent.futures.process import BrokenProcessPool

    from etikkverksted.web.builds import BuildPool

    pool = BuildPool(workers=1, queue=1, timeout=60)
    pool.start()
    try:
        with pytest.raises(BrokenProcessPool):
            pool.run(os._exit, 9).result()  # a worker killed mid-task (OOM, kill -9)
        assert pool.run(abs, -3).result() == 3
        assert pool.run(abs, -4).result() == 4
    finally:
        pool.shutdown()


def test_a_pack_is_split_over_two_workers_by_what_its_files_cost() -> None:
    from etikkverksted.web.builds import RenderCosts

    kinds = ["deck", "participant", "facilitator", "minutes", "cards"]
    costs = RenderCosts()
    groups = costs.split(kinds)
    assert sorted(k for g in groups for k in g) == sorted(kinds) and len(groups) == 2
    assert ["deck"] in groups  # the deck costs about as much as the four handouts
    for _ in range(30):  # a faster deck: it takes a handout along
        costs.observe("deck", 0.2)
        costs.observe("facilitator", 0.15)
    groups = costs.split(kinds)
    deck = next(g for g in groups if "deck" in g)
    assert len(deck) == 2 and deck[0] == "deck"  # each group in the pack's own order
    assert costs.split(["deck"]) == [["deck"]]


# Asked by a string, not by a function of this module: unpickling a function in the worker
# would import this module, and FastAPI with it.
_WORKER_STATE = ("(sorted({m.split('.')[0] for m in __import__('sys').modules} & "
                 "{'fastapi', 'starlette', 'jinja2'}), __import__('gc').get_freeze_count())")


def test_a_build_worker_holds_the_writers_but_not_the_web_app() -> None:
    from etikkverksted.web.builds import BuildPool

    pool = BuildPool(workers=1, queue=0, timeout=60)
    pool.start()
    try:
        web_modules, frozen = pool.run(eval, _WORKER_STATE).result()
        assert web_modules == []  # about 15 MiB per worker that a build never uses
        assert frozen > 10_000  # the loaded library is kept out of every collection
    finally:
        pool.shutdown()


def test_a_task_with_an_uploaded_template_leaves_no_template_in_the_worker(
        tmp_path: Path) -> None:
    from etikkverksted.content.loader import load_library
    from etikkverksted.content.models import WorkshopSpec
    from etikkverksted.ooxml import templates
    from etikkverksted.planning import plan_workshop
    from etikkverksted.resources import layouts_dir
    from etikkverksted.web.builds import _timed, render_jobs
    from etikkverksted.writers.docx import document

    library = load_library(())
    plan = plan_workshop(WorkshopSpec.model_validate(SPEC), library)
    upload = tmp_path / "etat.dotx"
    shutil.copy(layouts_dir() / "default.docx", upload)
    document._PREPARED.entries.clear()
    templates._read_template_cached.cache_clear()
    _timed(render_jobs, 60, plan, [("cards", str(tmp_path / "a.docx"), None)])
    kept = templates._read_template_cached.cache_info().currsize
    assert kept and document._PREPARED.entries  # the packaged template stays for the next
    _timed(render_jobs, 60, plan, [("cards", str(tmp_path / "b.docx"), str(upload))])
    assert templates._read_template_cached.cache_info().currsize == 0
    assert not document._PREPARED.entries


def test_api_takes_an_own_case_but_never_a_server_path(client: TestClient) -> None:
    case = {"title": "Ny chatbot i kundesenteret",
            "description": "Vi vurderer ein chatbot som svarar på spørsmål om søknader."}
    plan = client.post("/api/plan", json={**SPEC, "focus": "own-case", "own_case": case})
    assert plan.status_code == 200, plan.text
    assert "Ny chatbot i kundesenteret" in plan.text
    path = client.post("/api/plan", json={**SPEC, "focus": "own-case",
                                          "own_case": {"file": "/etc/passwd"}})
    assert path.status_code == 422
    assert path.json()["errors"][0]["field"] == "own_case"
    assert "passwd" not in path.text


def test_serve_warns_when_it_listens_beyond_this_machine(monkeypatch: Any) -> None:
    import uvicorn
    from click.testing import CliRunner

    import etikkverksted.web as web
    from etikkverksted.cli import main

    started: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.append(kw))
    monkeypatch.setattr(web, "create_app", lambda *a, **kw: object())
    local = CliRunner().invoke(main, ["serve"])
    assert local.exit_code == 0 and "no login" not in local.output
    assert started[-1]["host"] == "127.0.0.1" and started[-1]["port"] == 8000
    wide = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--port", "8080"])
    assert wide.exit_code == 0
    assert "there is no login" in wide.output and "reverse proxy" in wide.output
    assert started[-1]["host"] == "0.0.0.0"


def test_build_workers_exit_when_the_server_is_killed(tmp_path: Path) -> None:
    import os
    import signal
    import socket
    import subprocess
    import sys
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = Path(sys.executable).parent / "etikkverksted"
    server = subprocess.Popen([str(exe), "serve", "--port", str(port), "--workers", "2"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)

        def children() -> set[int]:
            found = set()
            for entry in os.listdir("/proc"):
                if entry.isdigit():
                    try:
                        stat = Path(f"/proc/{entry}/stat").read_text()
                    except OSError:
                        continue
                    if int(stat.rsplit(")", 1)[1].split()[1]) == server.pid:
                        found.add(int(entry))
            return found

        workers = children()
        assert len(workers) >= 2
        server.send_signal(signal.SIGKILL)
        server.wait()
        for _ in range(200):
            if not any(Path(f"/proc/{pid}").exists() for pid in workers):
                break
            time.sleep(0.1)
        alive = [pid for pid in workers if Path(f"/proc/{pid}").exists()
                 and "Z" not in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1][:3]]
        assert not alive, f"workers outlived the server: {alive}"
    finally:
        if server.poll() is None:
            server.kill()


@pytest.mark.render
def test_pack_with_pdfs_where_libreoffice_is_installed(client: TestClient) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    answer = client.post("/api/packs?pdf=true", json=SPEC)
    assert answer.status_code == 200, answer.text
    names = [n for n in unzip(answer.content) if not n.endswith("/")]
    office = [n for n in names if n.endswith((".pptx", ".docx"))]
    pdfs = [n for n in names if n.endswith(".pdf")]
    assert len(pdfs) == len(office) >= 5
    assert {Path(n).stem for n in pdfs} == {Path(n).stem for n in office}


def test_what_a_user_types_is_escaped_in_the_page(client: TestClient, csrf: str) -> None:
    attack = '"><script>alert(1)</script>'
    page = client.get("/", params={"agency": attack})
    assert "<script>alert(1)" not in page.text
    assert "&lt;script&gt;alert(1)" in page.text or "&#34;&gt;&lt;script" in page.text
    posted = client.post("/plan", data={**{k: str(v) for k, v in SPEC.items()},
                                        "agency": attack, "csrf": csrf, "ui": "nb"})
    assert posted.status_code == 200
    assert "<script>alert(1)" not in posted.text
