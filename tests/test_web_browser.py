"""The web page in a real browser: Debian's chromium driven by Playwright.

The server is started as a user starts it (`etikkverksted serve` from the venv). The tests fill
the form as a user would, keyboard only as well as with the mouse, download the zip and open
the deck; axe-core (tools/axe-core, installed by scripts/install-system-deps) checks every page
for WCAG 2.1 A/AA violations.

With ``ETIKKVERKSTED_SCREENSHOTS=DIR`` the tests save the user guide's screenshots in DIR
(``make screenshots`` writes them to docs/bilete/).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation

from web_helpers import AGENCY_LAYOUT, agency_pptx, hostile_templates

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[1] / "tools/axe-core/node_modules/axe-core/axe.min.js"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync",
        "--disable-dev-shm-usage", "--lang=nb-NO"]

if not Path(CHROMIUM).exists():  # pragma: no cover - scripts/install-system-deps installs it
    pytest.skip("chromium is not installed (scripts/install-system-deps installs it)",
                allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
expect.set_options(timeout=30_000)  # a loaded 2-core machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """`etikkverksted serve` from this venv, or the server at ETIKKVERKSTED_SERVE_URL (for
    example one started with `make serve` in a fresh clone)."""
    if os.environ.get("ETIKKVERKSTED_SERVE_URL"):
        yield os.environ["ETIKKVERKSTED_SERVE_URL"].rstrip("/")
        return
    port = _free_port()
    exe = Path(sys.executable).parent / "etikkverksted"
    proc = subprocess.Popen([str(exe), "serve", "--port", str(port), "--workers", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1):
                    break
            except OSError:
                if proc.poll() is not None:
                    raise AssertionError(proc.stdout.read().decode()  # type: ignore[union-attr]
                                         ) from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:  # pragma: no cover
            proc.kill()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM,
            headless=True, args=ARGS, accept_downloads=True, locale="nb-NO",
            viewport={"width": 1100, "height": 900})
        context.set_default_timeout(60_000)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    tab = browser.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    # A 4xx answer the page expects (a refused form) is logged as a failed resource: not a bug.
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error"
           and not m.text.startswith("Failed to load resource") else None)
    yield tab
    tab.close()
    assert not errors, f"the browser reported: {errors}"


def shoot(page: Any, name: str) -> None:
    folder = os.environ.get("ETIKKVERKSTED_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=False)


def axe_violations(page: Any) -> list[dict[str, Any]]:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run scripts/install-system-deps (npm ci in "
                    "tools/axe-core)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate("""async () => {
        const result = await axe.run(document, {runOnly: {type: 'tag', values:
            ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
    }""")


def focused(page: Any) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.id : ''")


def tab_to(page: Any, element_id: str, limit: int = 120) -> None:
    """Press Tab until *element_id* has the focus, and check that the focus can be seen."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page) == element_id:
            style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
                return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }""")
            assert (style[0] != "none" and style[1] != "0px") or style[2] != "none", style
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def open_zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def deck_text(files: dict[str, bytes]) -> tuple[str, set[str]]:
    deck = next(v for k, v in files.items() if k.endswith(".pptx") and "/mal/" not in k)
    prs = Presentation(io.BytesIO(deck))
    text = " ".join(sh.text_frame.text for s in prs.slides for sh in s.shapes
                    if sh.has_text_frame)
    return text, {s.slide_layout.name for s in prs.slides}


def test_keyboard_only_from_the_empty_form_to_the_downloaded_zip(
        server: str, page: Any, tmp_path: Path) -> None:
    page.goto(f"{server}/?ui=nn")
    shoot(page, "skjema.png")
    tab_to(page, "agency")
    page.keyboard.type("Direktoratet for tastatur")
    tab_to(page, "duration_minutes")
    page.keyboard.press("Control+A")
    page.keyboard.type("120")
    tab_to(page, "audience-leaders")
    page.keyboard.press("ArrowDown")  # the parties
    tab_to(page, "maturity-2")
    page.keyboard.press("ArrowDown")  # trinn 3
    tab_to(page, "dilemma-skyggebruk")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert focused(page) == "order-skyggebruk"
    page.keyboard.type("1")
    expect(page.locator("#plan caption")).to_contain_text("120 minutt")
    tab_to(page, "build")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    zip_path = tmp_path / download.value.suggested_filename
    download.value.save_as(zip_path)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d-direktoratet-for-tastatur-partane-trinn3-nn\.zip",
                        zip_path.name), zip_path.name
    text, _ = deck_text(open_zip(zip_path))
    assert "Direktoratet for tastatur" in text
    assert "skuggebruk" in text.lower()
    expect(page.locator("#build-status")).to_contain_text("Ferdig")
    shoot(page, "ferdig.png")


def test_the_plan_follows_the_form_without_a_reload(server: str, page: Any) -> None:
    page.goto(f"{server}/")
    page.evaluate("window.notReloaded = true")
    caption = page.locator("#plan caption")
    assert "90 minutter" in caption.inner_text()
    page.fill("#duration_minutes", "150")
    expect(caption).to_contain_text("150 minutter")
    before = page.locator("#plan").inner_text()
    page.check("#audience-employees")
    expect(page.locator("#plan")).not_to_have_text(before)
    assert page.evaluate("window.notReloaded === true")
    page.locator("#plan-heading").scroll_into_view_if_needed()
    page.evaluate("document.getElementById('plan-heading').scrollIntoView()")
    shoot(page, "kjoreplan.png")


def test_a_template_is_checked_and_used(server: str, page: Any, tmp_path: Path) -> None:
    template = tmp_path / "etat.potx"
    template.write_bytes(agency_pptx())
    hostile = tmp_path / "makro.pptx"
    hostile.write_bytes(hostile_templates()["macro"][1])
    page.goto(f"{server}/?ui=nn")
    page.fill("#agency", "Etat med mal")
    page.set_input_files("#template", str(hostile))
    expect(page.locator("#template-report")).to_contain_text("Malen inneheld makroar")
    page.set_input_files("#template", str(template))
    report = page.locator("#template-report")
    report.get_by_text(f"«{AGENCY_LAYOUT}»").first.wait_for()
    page.evaluate("document.getElementById('field-template').scrollIntoView()")
    shoot(page, "mal.png")
    with page.expect_download() as download:
        page.click("#build")
    path = tmp_path / "pakke.zip"
    download.value.save_as(path)
    files = open_zip(path)
    _, layouts = deck_text(files)
    assert AGENCY_LAYOUT in layouts
    assert any("/mal/" in name for name in files)


def test_errors_sit_next_to_their_fields_and_get_the_focus(server: str, page: Any) -> None:
    page.goto(f"{server}/?ui=nn")
    page.fill("#agency", "")
    page.fill("#duration_minutes", "30")
    page.click("#build")
    page.locator("#error-summary").wait_for()
    assert focused(page) == "error-summary"
    assert "Namnet på verksemda manglar" in page.locator("#agency-error").inner_text()
    assert page.get_attribute("#agency", "aria-invalid") == "true"
    assert "agency-error" in (page.get_attribute("#agency", "aria-describedby") or "")
    shoot(page, "feil.png")
    assert axe_violations(page) == []
    # The error summary's links lead to the field.
    page.click("#error-summary a[href='#field-agency']")
    assert page.evaluate("location.hash") == "#field-agency"


def test_the_page_works_without_javascript(browser: Any, server: str, tmp_path: Path) -> None:
    context = browser.browser.new_context(java_script_enabled=False, accept_downloads=True) \
        if browser.browser else None
    if context is None:  # a persistent context has no browser object to open another from
        pytest.skip("no second context")  # pragma: no cover
    page = context.new_page()
    try:
        page.goto(f"{server}/")
        page.fill("#agency", "Etat utan skript")
        page.fill("#duration_minutes", "60")
        page.click("#update-plan")
        page.locator("#plan caption").wait_for()
        assert "60 minutter" in page.locator("#plan caption").inner_text()
        assert page.input_value("#agency") == "Etat utan skript"
        with page.expect_download() as download:
            page.click("#build")
        path = tmp_path / "pakke.zip"
        download.value.save_as(path)
        text, _ = deck_text(open_zip(path))
        assert "Etat utan skript" in text
    finally:
        context.close()


PAGES = ["/", "/?ui=nn", "/dilemmas", "/dilemmas?ui=nn", "/after", "/after?ui=nn",
         "/dilemmas/skyggebruk?ui=nn&lang=nn&audience=parties&maturity=3",
         "/dilemmas/apenhet-innsyn", "/assess", "/assess?ui=nn", "/finst-ikkje"]


def test_axe_finds_no_violations_on_any_page(server: str, page: Any) -> None:
    found = {}
    for path in PAGES:
        page.goto(server + path)
        if path == "/dilemmas/skyggebruk?ui=nn&lang=nn&audience=parties&maturity=3":
            shoot(page, "dilemma.png")
        found[path] = axe_violations(page)
    # The self-assessment answered, keyboard only: its result page too.
    page.goto(f"{server}/assess?ui=nn")
    shoot(page, "eigenvurdering.png")
    for group in page.locator("fieldset.question").all():
        group.locator("input[type=radio]").nth(1).check()
    page.click("button[type=submit]")
    page.locator("h1").get_by_text("trinn").wait_for()
    found["/assess (result)"] = axe_violations(page)
    shoot(page, "resultat.png")
    page.click("text=Bruk resultatet i skjemaet")
    page.locator("#meeting").wait_for()
    assert page.locator("input[name=maturity]:checked").count() == 1
    assert {k: v for k, v in found.items() if v} == {}


def test_after_the_workshop_pages_have_no_axe_violations(
        server: str, page: Any, tmp_path: Path, make_plan: Any) -> None:
    from etikkverksted.writers.docx import render_docx
    from test_outcome_harvest import _fill, _plan

    plan = _plan(make_plan, "parties")
    minutes = render_docx(plan, "minutes", tmp_path / "referat.docx")
    _fill(plan, minutes)
    page.goto(f"{server}/after?ui=nn")
    shoot(page, "etter.png")
    page.set_input_files("#minutes", str(minutes))
    page.click("button[type=submit]")
    expect(page.locator("input[name=outcome]").first).to_be_attached()
    assert axe_violations(page) == []
    shoot(page, "etter-resultat.png")
