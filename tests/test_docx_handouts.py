"""The Word handouts: structure a screen reader and Word's navigation pane rely on, content
for each audience, language, reproducibility and validity."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from etikkverksted.planning import WorkshopPlan
from etikkverksted.writers.docx import KINDS, render_docx

W_LANG = qn("w:lang")


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    folder = tmp_path_factory.mktemp("docx")
    cache: dict[tuple, Path] = {}

    def make(plan: WorkshopPlan, kind: str, template: Path | None = None) -> Path:
        key = (id(plan), kind, template)
        if key not in cache:
            name = f"{plan.audience.id}-{plan.language}-{plan.duration_minutes}-{kind}"
            if template is not None:
                name += "-" + template.stem
            cache[key] = render_docx(plan, kind, folder / f"{name}.docx", template)
        return cache[key]

    return make


def headings(doc, level: int | None = None) -> list[str]:
    """Heading texts in reading order, in the body and in table cells (the cards)."""
    from docx.text.paragraph import Paragraph

    names = {f"Heading {level}"} if level else {"Heading 1", "Heading 2", "Heading 3"}
    paragraphs = (Paragraph(p, doc.part) for p in doc.element.body.iter(qn("w:p")))
    return [p.text for p in paragraphs if p.style.name in names]


def body_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("audience", ["leaders", "parties", "employees"])
def test_every_document_has_real_structure(make_plan, build, kind, audience) -> None:
    plan = make_plan(audience=audience)
    doc = Document(str(build(plan, kind)))
    assert headings(doc, 1), "documents are navigable by Heading 1"
    assert all(p.text.strip() for p in doc.paragraphs), "no empty paragraphs as spacing"
    assert doc.tables
    for table in doc.tables:
        tbl_pr = table._tbl.tblPr
        assert tbl_pr.find(qn("w:tblCaption")).get(qn("w:val"))
        assert tbl_pr.find(qn("w:tblDescription")).get(qn("w:val"))
    props = doc.core_properties
    assert props.title and props.subject == plan.title
    assert props.author == plan.agency and props.language == "nb-NO"


@pytest.mark.parametrize("kind", ["participant", "facilitator", "minutes"])
def test_tables_with_headers_repeat_them_on_each_page(make_plan, build, kind) -> None:
    doc = Document(str(build(make_plan(), kind)))
    flagged = [t for t in doc.tables
               if t.rows[0]._tr.trPr is not None
               and t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None]
    assert len(flagged) >= len(doc.tables) - 1  # the minutes' key-value header has none


def test_language_is_on_defaults_styles_and_runs(make_plan, build) -> None:
    plan = make_plan(language="nn")
    doc = Document(str(build(plan, "participant")))
    styles = doc.styles.element
    default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert default.find(W_LANG).get(qn("w:val")) == "nn-NO"
    heading = doc.styles["Heading 1"].element.rPr
    assert heading.find(W_LANG).get(qn("w:val")) == "nn-NO"
    runs = list(doc.element.body.iter(qn("w:r")))
    assert runs and all(r.rPr.find(W_LANG).get(qn("w:val")) == "nn-NO" for r in runs)
    assert doc.core_properties.language == "nn-NO"


def test_nynorsk_sheet_uses_nynorsk_labels(make_plan, build) -> None:
    doc = Document(str(build(make_plan(language="nn"), "participant")))
    text = body_text(doc)
    assert "Kvar står du?" in text and "Mine notat" in text
    assert "Hvor står du?" not in text and "Mine notater" not in text


def test_footer_numbers_pages(make_plan, build) -> None:
    doc = Document(str(build(make_plan(), "facilitator")))
    xml = "".join(p._p.xml for p in doc.sections[0].footer.paragraphs)
    assert " PAGE " in xml and " NUMPAGES " in xml


def test_participant_sheet_has_every_dilemma_with_room_to_write(make_plan, build) -> None:
    plan = make_plan(audience="employees", duration=120)
    doc = Document(str(build(plan, "participant")))
    h1 = headings(doc, 1)
    labels = plan.labels
    assert h1[0] == labels["docx_agenda"]
    assert h1[-2:] == [labels["docx_glossary"], labels["docx_sources"]]
    text = body_text(doc)
    for dilemma in plan.dilemmas:
        assert any(dilemma.title in h for h in h1)
        assert dilemma.scenario in text
        assert dilemma.pole_left in text and dilemma.pole_right in text
        for question in dilemma.questions:
            assert question.text in text
    assert not any(q.probes[0] in text for d in plan.dilemmas for q in d.questions if q.probes)
    write_rows = [t for t in doc.tables if t.rows[0].cells[-1].text == labels["docx_col_my_notes"]]
    assert len(write_rows) == len(plan.dilemmas)
    for table in write_rows:
        for row in table.rows[1:]:
            assert row.cells[1].text == "" and row.height is not None and row.height.cm >= 1.0


def test_participant_sheet_glossary_is_the_plans_sheet_glossary(make_plan, build) -> None:
    """The sheet lays out the terms the plan chose for it, not the deck's longer list."""
    plan = make_plan(audience="parties", language="nn", duration=240)
    doc = Document(str(build(plan, "participant")))
    glossary = [t for t in doc.tables
                if t.rows[0].cells[0].text == plan.labels["docx_col_term"]]
    assert len(glossary) == 1
    assert [r.cells[0].text for r in glossary[0].rows[1:]] == \
        [g.term for g in plan.participant_glossary]
    assert len(plan.participant_glossary) < len(plan.glossary)


def test_parties_sheet_names_each_side(make_plan, build) -> None:
    plan = make_plan(audience="parties")
    text = body_text(Document(str(build(plan, "participant"))))
    labels = {g.label for s in plan.segments for g in s.question_groups if g.label}
    assert labels and all(label in text for label in labels)


def test_facilitator_guide_covers_preparation_run_sheet_and_follow_up(make_plan, build
                                                                      ) -> None:
    plan = make_plan(audience="leaders")
    doc = Document(str(build(plan, "facilitator")))
    lab = plan.labels
    h1 = headings(doc, 1)
    for key in ("docx_purpose", "docx_preparation", "docx_run_sheet", "docx_running",
                "docx_after"):
        assert lab[key] in h1
    run_sheet = next(t for t in doc.tables if t.rows[0].cells[0].text == lab["docx_col_clock"])
    assert len(run_sheet.rows) == len(plan.segments) + 1
    assert [c.text for c in run_sheet.rows[1].cells[:3]] == [
        f"{plan.segments[0].start:%H:%M}\u2013{plan.segments[0].end:%H:%M}",
        str(plan.segments[0].minutes), plan.segments[0].title]
    text = body_text(doc)
    for key in ("docx_check_invite", "docx_mat_tape", "docx_mat_dots", "docx_role_timekeeper",
                "docx_route_amu", "docx_route_joint", "docx_route_leaders"):
        assert lab[key] in text
    probes = [p for d in plan.dilemmas for q in d.questions for p in q.probes]
    assert probes and any(p in text for p in probes)
    for dilemma in plan.dilemmas:
        assert all(t in text for t in dilemma.typical_positions)
        assert all(t in text for t in dilemma.listen_for)
    assert "17.12.2026" in text or "14.01.2027" in text  # plan date + 6 weeks


def test_digital_guide_has_digital_set_up_instead_of_tape(make_plan, build) -> None:
    plan = make_plan(format="digital")
    text = body_text(Document(str(build(plan, "facilitator"))))
    assert plan.labels["docx_setup_digital_1"] in text
    assert plan.labels["docx_mat_tape"] not in text


def test_numbered_lists_restart(make_plan, build) -> None:
    doc = Document(str(build(make_plan(), "facilitator")))
    numbering = doc.part.numbering_part.element
    body_num_ids = []
    for p in doc.paragraphs:
        num_pr = p._p.pPr.find(qn("w:numPr")) if p._p.pPr is not None else None
        if num_pr is not None and p.style.name == "List Number":
            body_num_ids.append(int(num_pr.find(qn("w:numId")).get(qn("w:val"))))
    lists = sorted(set(body_num_ids))
    assert len(lists) >= 3, "each numbered list is its own w:num"
    for num in numbering.findall(qn("w:num")):
        if int(num.get(qn("w:numId"))) in lists:
            override = num.find(qn("w:lvlOverride")).find(qn("w:startOverride"))
            assert override.get(qn("w:val")) == "1"


@pytest.mark.parametrize("audience", ["parties", "leaders"])
def test_minutes_template_sections_per_audience(make_plan, build, audience) -> None:
    plan = make_plan(audience=audience)
    doc = Document(str(build(plan, "minutes")))
    lab = plan.labels
    h1, h2 = headings(doc, 1), headings(doc, 2)
    for key in ("docx_decision_log", "docx_parking", "docx_actions"):
        assert lab[key] in h1
    assert [lab["docx_act"], lab["docx_influence"], lab["docx_monitor"]] == h2[:3]
    parking = next(t for t in doc.tables if t.rows[0].cells[0].text == lab["docx_col_issue"])
    assert lab["docx_col_owner"] in [c.text for c in parking.rows[0].cells]
    header = doc.tables[0]
    assert header.rows[0].cells[1].text == plan.agency
    assert plan.audience.name in [r.cells[1].text for r in header.rows]
    has_parties = lab["docx_shared_understanding"] in h1 and lab["docx_next_parties_meeting"] in h1
    assert has_parties == (audience == "parties")


def test_cards_one_dilemma_per_cell_with_three_questions(make_plan, build) -> None:
    plan = make_plan(duration=180)
    doc = Document(str(build(plan, "cards")))
    table = doc.tables[0]
    cells = [c for row in table.rows for c in row.cells]
    section = doc.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    for row in table.rows:
        assert row.height_rule is not None and 12 < row.height.cm < 14.8
    for dilemma, cell in zip(plan.dilemmas, cells, strict=False):
        title = cell.paragraphs[0]
        assert title.text == dilemma.title and title.style.name == "Heading 1"
        numbered = [p for p in cell.paragraphs if p.style.name == "List Number"]
        assert len(numbered) == min(3, len(dilemma.questions))
        assert dilemma.pole_left in cell.text and dilemma.scenario in cell.text


@pytest.mark.parametrize("kind", KINDS)
def test_same_plan_gives_byte_identical_files(make_plan, tmp_path, kind) -> None:
    plan = make_plan(audience="parties", language="nn")
    a = render_docx(plan, kind, tmp_path / "a.docx").read_bytes()
    b = render_docx(plan, kind, tmp_path / "b.docx").read_bytes()
    assert a == b


@pytest.mark.parametrize("kind", KINDS)
def test_openxml_audit_finds_no_error(make_plan, build, kind) -> None:
    from openxml_audit import OpenXmlValidator

    result = OpenXmlValidator().validate(build(make_plan(audience="parties"), kind))
    assert result.error_count == 0, [str(e) for e in result.errors][:5]


def _bare_template(path: Path, *, dotx: bool) -> Path:
    """A template like many agencies have: no numbering part, no list or heading styles,
    its own footer text."""
    doc = Document()
    doc.sections[0].footer.paragraphs[0].text = "Agency footer"
    doc.add_paragraph("Sample text that must not survive")
    buf = io.BytesIO()
    doc.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/numbering.xml":
                continue
            if info.filename == "word/_rels/document.xml.rels":
                data = b"".join(
                    part for part in data.split(b"<Relationship ")
                    if b"numbering" not in part).replace(b"/>", b"/>", 1)
                data = data.replace(b'Id="', b'<Relationship Id="')
                data = data.replace(b"<Relationships<Relationship ", b"<Relationships ")
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b'<Override PartName="/word/numbering.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>', b"")
                if dotx:
                    data = data.replace(b"document.main+xml", b"template.main+xml")
            if info.filename == "word/styles.xml":
                from lxml import etree

                root = etree.fromstring(data)
                for style in root.findall(qn("w:style")):
                    name = style.find(qn("w:name")).get(qn("w:val"))
                    if name.startswith(("heading", "List", "Title", "Table Grid")):
                        root.remove(style)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            dst.writestr(info, data)
    path.write_bytes(out.getvalue())
    return path


@pytest.mark.parametrize("dotx", [False, True])
def test_agency_template_keeps_footer_and_gets_missing_styles(make_plan, build, tmp_path,
                                                              dotx) -> None:
    template = _bare_template(tmp_path / ("agency.dotx" if dotx else "agency.docx"), dotx=dotx)
    bare = Document(str(template)) if not dotx else None
    if bare is not None:
        assert "Heading 1" not in [s.name for s in bare.styles]
    out = build(make_plan(), "participant", template)
    doc = Document(str(out))
    names = {s.name for s in doc.styles}
    assert {"Heading 1", "Heading 2", "List Bullet", "List Number", "Table Grid"} <= names
    assert "Sample text that must not survive" not in body_text(doc)
    footer = "\n".join(p.text for p in doc.sections[0].footer.paragraphs)
    assert "Agency footer" in footer
    assert doc.part.numbering_part.element.findall(qn("w:num"))
    from openxml_audit import OpenXmlValidator

    assert OpenXmlValidator().validate(out).error_count == 0


def test_broken_template_is_a_clear_error(make_plan, tmp_path) -> None:
    from etikkverksted.errors import TemplateError

    bad = tmp_path / "bad.docx"
    bad.write_text("not a zip")
    with pytest.raises(TemplateError, match="not a Word template"):
        render_docx(make_plan(), "participant", tmp_path / "x.docx", bad)
    assert not (tmp_path / "x.docx").exists()


def test_a_prepared_template_gives_the_bytes_a_fresh_preparation_gives(
        make_plan: Callable[..., WorkshopPlan], tmp_path: Path) -> None:
    from etikkverksted.writers.docx import document

    plan = make_plan(audience="parties", language="nn")
    document._PREPARED.entries.clear()
    # The first document of the template is in another language: the later ones in nynorsk
    # get their styles stamped from the prepared ones, not handed over by a first document.
    render_docx(make_plan(), "cards", tmp_path / "nb-cards.docx")
    reused = [render_docx(plan, kind, tmp_path / f"reused-{kind}.docx").read_bytes()
              for kind in (*KINDS, "agenda")]
    fresh = []
    for kind in (*KINDS, "agenda"):
        document._PREPARED.entries.clear()
        fresh.append(render_docx(plan, kind, tmp_path / f"fresh-{kind}.docx").read_bytes())
    assert reused == fresh


def test_a_template_changed_in_place_is_prepared_again(
        make_plan: Callable[..., WorkshopPlan], tmp_path: Path) -> None:
    from etikkverksted.writers.docx import document

    plan = make_plan()
    template = tmp_path / "agency.docx"
    original = document.default_template().read_bytes()
    template.write_bytes(original)
    before = render_docx(plan, "participant", tmp_path / "before.docx", template).read_bytes()
    source = zipfile.ZipFile(io.BytesIO(original))
    changed = io.BytesIO()
    with zipfile.ZipFile(changed, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/styles.xml":
                data = data.replace(b'w:ascii="Calibri"', b'w:ascii="Arial"', 1)
            out.writestr(info.filename, data)
    template.write_bytes(changed.getvalue())
    after = render_docx(plan, "participant", tmp_path / "after.docx", template).read_bytes()
    document.forget_prepared_templates()
    assert not document._PREPARED.entries
    fresh = render_docx(plan, "participant", tmp_path / "fresh.docx", template).read_bytes()
    assert after == fresh != before
