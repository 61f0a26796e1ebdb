"""The "after the workshop" page and API: minutes in, outcome and follow-up pack out."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from html import unescape
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from pptx import Presentation

from etikkverksted.planning import WorkshopPlan
from etikkverksted.web import create_app
from etikkverksted.writers.docx import render_docx
from test_outcome_harvest import _fill, _plan

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(workers=1), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def minutes(make_plan: Callable[..., WorkshopPlan], tmp_path: Path) -> tuple[WorkshopPlan, bytes]:
    plan = _plan(make_plan, "parties")
    path = render_docx(plan, "minutes", tmp_path / "referat.docx")
    _fill(plan, path)
    return plan, path.read_bytes()


def _csrf(client: TestClient, path: str = "/after") -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert match
    return match.group(1)


def test_the_page_reads_minutes_and_builds_the_follow_up(
        client: TestClient, minutes: tuple[WorkshopPlan, bytes]) -> None:
    plan, data = minutes
    page = client.get("/after?ui=nn")
    assert page.status_code == 200 and 'lang="nn"' in page.text
    assert 'for="minutes"' in page.text and "Etter verkstaden" in page.text
    token = _csrf(client)
    result = client.post("/after", data={"csrf": token, "ui": "nb"},
                         files={"minutes": ("referat.docx", data, DOCX)})
    assert result.status_code == 200, result.text
    html = unescape(result.text)
    assert "Kartlegge hvilke KI-verktøy som brukes i dag" in html
    assert "Husk å sende referatet til AMU" in html  # text typed outside the form is kept
    assert plan.dilemmas[0].title in html
    outcome_text = unescape(re.search(r'name="outcome" value="([^"]*)"', result.text).group(1))
    assert yaml.safe_load(outcome_text)["workshop"]["agency"] == plan.agency

    download = client.post("/after/outcome", data={"csrf": token, "ui": "nb",
                                                   "outcome": outcome_text})
    assert download.status_code == 200
    assert "attachment" in download.headers["content-disposition"]
    assert yaml.safe_load(download.text)["actions"][0]["who"] == "Kari Nordmann"

    pack = client.post("/after/follow-up", data={"csrf": token, "ui": "nb",
                                                 "outcome": outcome_text,
                                                 "duration_minutes": "60",
                                                 "date": "2027-02-01"})
    assert pack.status_code == 200, pack.text[:500]
    with zipfile.ZipFile(io.BytesIO(pack.content)) as archive:
        names = archive.namelist()
        deck = next(n for n in names if n.endswith(".pptx"))
        prs = Presentation(io.BytesIO(archive.read(deck)))
        spec = yaml.safe_load(archive.read(next(n for n in names if n.endswith(".yaml"))))
    assert "2027-02-01" in deck
    titles = [s.shapes.title.text_frame.text for s in prs.slides if s.shapes.title]
    assert plan.label("docx_fu_status") in titles
    assert spec["duration_minutes"] == 60 and spec["audience"] == "parties"


def test_api_reads_minutes_and_refuses_what_is_not_minutes(
        client: TestClient, minutes: tuple[WorkshopPlan, bytes]) -> None:
    data = minutes[1]
    ok = client.post("/api/outcomes", files={"minutes": ("referat.docx", data, DOCX)})
    assert ok.status_code == 200
    assert ok.json()["note_taker"] == "Ola Referent"
    bad = client.post("/api/outcomes", files={"minutes": ("referat.docx", b"PK\x03\x04junk",
                                                          DOCX)})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "minutes"
    wrong = client.post("/api/outcomes", files={"minutes": ("notes.txt", b"hei", "text/plain")})
    assert wrong.status_code == 422
    follow = client.post("/api/follow-up", json={"outcome": ok.json(), "duration_minutes": 120})
    assert follow.status_code == 422
    assert follow.json()["errors"][0]["field"] == "duration_minutes"
    assert client.get("/healthz").status_code == 200  # still serving


def test_posts_without_the_csrf_token_are_refused(
        client: TestClient, minutes: tuple[WorkshopPlan, bytes]) -> None:
    data = minutes[1]
    response = client.post("/after", data={"ui": "nb"},
                           files={"minutes": ("referat.docx", data, DOCX)})
    assert response.status_code == 403
