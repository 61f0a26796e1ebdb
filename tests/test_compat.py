"""Contract tests: each fast path of the compat modules against the library's own result.

``etikkverksted.ooxml.pptx_compat`` and ``docx_compat`` hold every private name of python-pptx
and python-docx the writers use. When a library upgrade changes what they stand in for,
one of these tests fails (instead of decks silently changing).
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import docx
import pptx
import pytest
from docx.oxml import parse_xml
from lxml import etree
from pptx import Presentation
from pptx.oxml import parse_xml as parse_pptx_xml
from pptx.oxml.shapes.shared import BaseShapeElement
from pptx.util import Centipoints, Inches, Pt

from etikkverksted.ooxml import docx_compat, pptx_compat
from etikkverksted.ooxml.namespaces import A, P
from etikkverksted.resources import layouts_dir

LIBRARY_PH = BaseShapeElement.__dict__["ph"]
"""python-pptx's own ``ph`` property, as the class has it after importing the writer."""
LO_TEMPLATE = Path("/usr/lib/libreoffice/share/template/common/presnt/Focus.otp")


@pytest.fixture(scope="module")
def three_templates(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Ours, python-pptx's own, and one converted by LibreOffice (idx=0 everywhere)."""
    templates = [layouts_dir() / "default.pptx",
                 Path(pptx.__file__).parent / "templates" / "default.pptx"]
    if shutil.which("soffice") is None or not LO_TEMPLATE.exists():
        pytest.fail("LibreOffice and its Impress templates are needed "
                    "(scripts/install-system-deps installs them)")
    folder = tmp_path_factory.mktemp("lo")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile",
                    "--convert-to", "pptx", "--outdir", str(folder), str(LO_TEMPLATE)],
                   check=True, capture_output=True, timeout=180)
    templates.append(folder / "Focus.pptx")
    return templates


# -- python-pptx ----------------------------------------------------------------------------

def test_importing_the_writer_does_not_patch_python_pptx() -> None:
    import etikkverksted.writers.pptx  # noqa: F401

    assert BaseShapeElement.__dict__["ph"] is LIBRARY_PH
    assert LIBRARY_PH.fget is not pptx_compat.compiled_ph


def test_the_ph_patch_lives_only_inside_a_render() -> None:
    with pptx_compat.fast_placeholder_lookup():
        assert BaseShapeElement.ph.fget is pptx_compat.compiled_ph
        with pptx_compat.fast_placeholder_lookup():  # nested renders share it
            assert BaseShapeElement.ph.fget is pptx_compat.compiled_ph
        assert BaseShapeElement.ph.fget is pptx_compat.compiled_ph
    assert BaseShapeElement.__dict__["ph"] is LIBRARY_PH


def test_compiled_ph_finds_what_python_pptx_finds_on_every_shape_of_three_templates(
        three_templates: list[Path]) -> None:
    compared = 0
    for template in three_templates:
        prs = Presentation(str(template))
        roots = [m.element for m in prs.slide_masters]
        roots += [layout.element for m in prs.slide_masters for layout in m.slide_layouts]
        roots += [s.element for s in prs.slides]
        for root in roots:
            for shape in root.iter():
                if not isinstance(shape, BaseShapeElement):
                    continue
                assert pptx_compat.compiled_ph(shape) is LIBRARY_PH.fget(shape), \
                    (template.name, shape.tag)
                compared += 1
    assert compared > 100


def test_placeholders_are_the_same_with_and_without_the_patch(
        three_templates: list[Path]) -> None:
    for template in three_templates:
        prs = Presentation(str(template))
        layouts = [layout for m in prs.slide_masters for layout in m.slide_layouts]
        plain = [[(p.placeholder_format.idx, p.placeholder_format.type, p.name)
                  for p in layout.placeholders] for layout in layouts]
        with pptx_compat.fast_placeholder_lookup():
            fast = [[(p.placeholder_format.idx, p.placeholder_format.type, p.name)
                     for p in layout.placeholders] for layout in layouts]
        assert fast == plain, template.name


def _notes_parts(prs: pptx.presentation.Presentation) -> list[tuple[str, bytes, list]]:
    out = []
    for slide in prs.slides:
        notes = slide.notes_slide
        rels = sorted((r.reltype, str(r.target_part.partname))
                      for r in notes.part.rels.values())
        out.append((str(notes.part.partname), etree.tostring(notes.element, method="c14n"),
                    rels))
    return out


def test_copied_notes_slides_equal_python_pptx_notes_slides_on_a_fresh_deck() -> None:
    def deck() -> pptx.presentation.Presentation:
        prs = Presentation()
        for _ in range(4):
            prs.slides.add_slide(prs.slide_layouts[1]).shapes.title.text = "x"
        return prs

    library = deck()
    for slide in library.slides:
        _ = slide.notes_slide  # python-pptx makes each one
    copied = deck()
    copier = pptx_compat.NotesSlideCopier(copied.part.package)
    made = [copier.notes_slide(slide) for slide in copied.slides]
    assert [n.part for n in made] == [s.notes_slide.part for s in copied.slides]
    assert _notes_parts(copied) == _notes_parts(library)
    assert copier.notes_slide(copied.slides[0]).part is made[0].part  # no second one


@pytest.mark.parametrize("text", ["plain", "tab\tand\nnewline", "bell\x07 and \x1f unit",
                                  "\x00start", "vertical\x0btab"])
def test_escaped_text_equals_what_run_text_writes(text: str) -> None:
    prs = Presentation()
    box = prs.slides.add_slide(prs.slide_layouts[6]).shapes.add_textbox(0, 0, 10, 10)
    run = box.text_frame.paragraphs[0].add_run()
    run.text = text
    written = box.element.find(f".//{{{A}}}r/{{{A}}}t").text
    assert written == pptx_compat.escape_text(text)


def test_paragraph_and_text_body_elements_are_the_librarys() -> None:
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    box = slide.shapes.add_textbox(0, 0, Inches(2), Inches(1))
    frame = box.text_frame
    frame.text = "one"
    frame.add_paragraph().text = "two"
    body = box.element.find(f"{{{P}}}txBody")
    assert pptx_compat.text_body(frame) is body
    assert [pptx_compat.paragraph_element(p) for p in frame.paragraphs] == \
        body.findall(f"{{{A}}}p")


def test_compat_fails_loudly_when_the_internals_are_gone() -> None:
    with pytest.raises(pptx_compat.CompatError, match="_p is gone"):
        pptx_compat.paragraph_element(object())  # type: ignore[arg-type]
    with pytest.raises(docx_compat.CompatError, match="_cells is gone"):
        docx_compat.table_cells(object())  # type: ignore[arg-type]


# -- python-docx ----------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def test_table_cells_equal_the_rows_cells_also_with_merged_cells() -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1))
    table.cell(1, 2).merge(table.cell(2, 2))
    fast = [docx_compat.cell_element(c) for c in docx_compat.table_cells(table)]
    library = [docx_compat.cell_element(c) for row in table.rows for c in row.cells]
    assert fast == library


def test_new_cell_is_the_cell_of_the_librarys_grid() -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    grid = docx_compat.table_cells(table)
    tcs = [tc for tr in docx_compat.table_element(table).tr_lst for tc in tr.tc_lst]
    for tc, library in zip(tcs, grid, strict=True):
        ours = docx_compat.new_cell(tc, table)
        assert docx_compat.cell_element(ours) is docx_compat.cell_element(library)
        assert ours.part is library.part
        ours.add_paragraph("added")
        assert [p.text for p in library.paragraphs] == ["", "added"]


def test_docx_elements_are_the_librarys() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("text")
    table = document.add_table(rows=1, cols=2)
    body = document.element.body
    assert docx_compat.paragraph_element(paragraph) is body.findall(f"{{{W}}}p")[-1]
    assert docx_compat.table_element(table) is body.find(f"{{{W}}}tbl")
    tr = body.find(f"{{{W}}}tbl/{{{W}}}tr")
    assert docx_compat.row_element(table.rows[0]) is tr
    assert docx_compat.cell_element(table.cell(0, 1)) is tr.findall(f"{{{W}}}tc")[1]
    footer = document.sections[0].footer
    footer.paragraphs[0].text = "foot"
    paragraph_in_footer = docx_compat.paragraph_element(footer.paragraphs[0])
    assert docx_compat.header_footer_element(footer) is paragraph_in_footer.getparent()


def test_new_paragraph_behaves_as_one_python_docx_made() -> None:
    document = docx.Document()
    made = document.add_paragraph("library", style="List Bullet")
    p = parse_xml(etree.tostring(docx_compat.paragraph_element(made)))  # as the writer does
    body = document.element.body
    body[-1].addprevious(p)  # before the sectPr, as the writer inserts
    ours = docx_compat.new_paragraph(p, document)
    assert ours.text == made.text
    assert ours.style.name == made.style.name == "List Bullet"
    assert ours.part is made.part
    ours.add_run(" more")
    assert document.paragraphs[-1].text == "library more"
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    cell_p = parse_xml(etree.tostring(p))
    docx_compat.cell_element(cell).append(cell_p)
    in_cell = docx_compat.new_paragraph(cell_p, cell)
    assert in_cell.part is made.part
    assert cell.paragraphs[-1].text == in_cell.text


def test_add_to_body_puts_elements_where_python_docx_puts_paragraphs_and_tables() -> None:
    """Our insertion looks only at the body's last child; python-docx searches for the
    sectPr every time. Both orders of paragraphs and tables must come out the same."""
    theirs, ours = docx.Document(), docx.Document()
    theirs.add_paragraph("one")
    theirs.add_table(rows=1, cols=1)
    theirs.add_paragraph("two")
    for made in (docx.Document().add_paragraph("one"), None, docx.Document().add_paragraph("two")):
        if made is None:
            table = docx.Document().add_table(rows=1, cols=1)
            element = parse_xml(etree.tostring(docx_compat.table_element(table)))
        else:
            element = parse_xml(etree.tostring(docx_compat.paragraph_element(made)))
        docx_compat.add_to_body(ours.element.body, element)
    assert etree.tostring(ours.element.body) == etree.tostring(theirs.element.body)
    assert ours.element.body[-1].tag.endswith("}sectPr")
    bare = parse_xml(b'<w:body xmlns:w="http://schemas.openxmlformats.org/'
                     b'wordprocessingml/2006/main"/>')
    docx_compat.add_to_body(bare, parse_xml(etree.tostring(
        docx_compat.paragraph_element(docx.Document().add_paragraph("x")))))
    assert len(bare) == 1  # no sectPr: appended


@pytest.mark.parametrize("text", ["plain", " leading", "trailing ", "", "tab\there",
                                  "two\nlines", "\u00e6\u00f8\u00e5 \u2013 <&>", "  "])
@pytest.mark.parametrize(("bold", "italic"), [(False, False), (True, False), (False, True),
                                              (True, True)])
def test_add_run_writes_what_python_docx_writes(text: str, bold: bool, italic: bool) -> None:
    document = docx.Document()
    library = document.add_paragraph()
    run = library.add_run(text)
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    ours = document.add_paragraph()
    fast = docx_compat.add_run(ours, text, bold=bold, italic=italic)
    assert etree.tostring(docx_compat.paragraph_element(ours)) == \
        etree.tostring(docx_compat.paragraph_element(library))
    assert fast.text == run.text and fast.bold == run.bold and fast.italic == run.italic
    fast.font.size = Pt(9)  # the returned run is python-docx's own, to style further
    run.font.size = Pt(9)
    assert etree.tostring(docx_compat.paragraph_element(ours)) == \
        etree.tostring(docx_compat.paragraph_element(library))


@pytest.mark.parametrize("text", ["plain", " leading", "tab\there", ""])
@pytest.mark.parametrize(("bold", "italic"), [(False, False), (True, True)])
def test_add_run_with_lang_writes_what_the_language_stamp_leaves(text: str, bold: bool,
                                                               italic: bool) -> None:
    from etikkverksted.writers.docx.document import set_lang

    document = docx.Document()
    library = document.add_paragraph()
    run = library.add_run(text)
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    r = docx_compat.paragraph_element(library)[-1]
    set_lang(r.get_or_add_rPr(), "nn-NO")  # what Handout._language does on save
    ours = document.add_paragraph()
    fast = docx_compat.add_run(ours, text, bold=bold, italic=italic, lang="nn-NO")
    if _has_breaks(text):  # python-docx's own run: the stamp on save adds the tag
        set_lang(docx_compat.paragraph_element(ours)[-1].get_or_add_rPr(), "nn-NO")
    assert etree.tostring(docx_compat.paragraph_element(ours)) == \
        etree.tostring(docx_compat.paragraph_element(library))
    assert fast.text == run.text


def _has_breaks(text: str) -> bool:
    return any(c in text for c in "\t\r\n")


def _twin_paragraphs(ppr: str, runs: str):
    """Two equal paragraphs (with *ppr* children and *runs*) in one document."""
    document = docx.Document()
    xml = (f'<w:p xmlns:w="{W}">' + (f"<w:pPr>{ppr}</w:pPr>" if ppr else "") + runs
           + "</w:p>")
    pair = []
    for _ in range(2):
        document.element.body[-1].addprevious(parse_xml(xml))
        pair.append(document.paragraphs[-1])
    return pair


PPR_STARTS = ["", '<w:jc w:val="left"/>', '<w:numPr><w:ilvl w:val="0"/></w:numPr><w:ind/>',
              '<w:pStyle w:val="A"/><w:spacing w:before="20"/><w:rPr/>',
              '<w:keepNext w:val="0"/><w:sectPr/>', '<w:tabs/><w:outlineLvl w:val="1"/>']
RUNS = ["", "<w:r><w:t>a</w:t></w:r>",
        "<w:r><w:rPr><w:b/><w:lang w:val=\"nb-NO\"/></w:rPr><w:t>a</w:t></w:r>",
        "<w:r><w:rPr><w:rFonts w:ascii=\"X\"/><w:szCs w:val=\"3\"/></w:rPr></w:r>",
        "<w:r><w:rPr><w:sz w:val=\"8\"/></w:rPr></w:r><w:r><w:t>b</w:t></w:r>"]


@pytest.mark.parametrize("ppr", PPR_STARTS)
@pytest.mark.parametrize("runs", RUNS)
def test_paragraph_and_run_properties_are_python_docxs(ppr: str, runs: str) -> None:
    ours, library = _twin_paragraphs(ppr, runs)

    def same() -> None:
        assert etree.tostring(docx_compat.paragraph_element(ours)) == \
            etree.tostring(docx_compat.paragraph_element(library))

    docx_compat.set_spacing(ours, after=2)
    library.paragraph_format.space_after = Pt(2)
    same()
    docx_compat.set_spacing(ours, before=0, after=4.5)
    library.paragraph_format.space_before = Pt(0)
    library.paragraph_format.space_after = Pt(4.5)
    same()
    docx_compat.set_keep_with_next(ours)
    library.paragraph_format.keep_with_next = True
    same()
    docx_compat.set_paragraph_style(ours, "Heading1")
    docx_compat.paragraph_element(library).style = "Heading1"
    same()
    for fast, slow in zip(ours.runs, library.runs, strict=True):
        docx_compat.set_run_size(fast, 9.5)
        slow.font.size = Pt(9.5)
    same()


def _library_table(document, headers, rows, widths_cm, caption, description, *,
                   row_height_cm=None, first_column_header=False, font_pt=None):
    """The table the handouts wrote with python-docx's own API before tables were built
    with lxml (python-docx 1.2)."""
    from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
    from docx.shared import Cm

    def flag(row, name: str) -> None:
        tr_pr = docx_compat.row_element(row).get_or_add_trPr()
        order = [f"{{{W}}}{t}" for t in ("cantSplit", "trHeight", "tblHeader")]
        child = tr_pr.makeelement(f"{{{W}}}{name}")
        later = order[order.index(child.tag) + 1:]
        for existing in tr_pr:
            if existing.tag in later:
                existing.addprevious(child)
                return
        tr_pr.append(child)

    def shade(cell) -> None:
        shd = parse_xml(f'<w:shd xmlns:w="{W}" w:val="clear" w:color="auto" w:fill="DCE3EF"/>')
        docx_compat.cell_element(cell).get_or_add_tcPr().append(shd)

    n_rows = len(rows) + (1 if headers else 0)
    table = document.add_table(rows=n_rows, cols=len(widths_cm))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    for i, width in enumerate(widths_cm):
        table.columns[i].width = Cm(width)
        for row in table.rows:
            row.cells[i].width = Cm(width)
    tbl_pr = docx_compat.table_element(table).tblPr
    tbl_pr.remove(tbl_pr.find(f"{{{W}}}tblLook"))
    tbl_pr.append(parse_xml(
        f'<w:tblLook xmlns:w="{W}" w:val="0000" w:firstRow="{int(bool(headers))}" '
        f'w:lastRow="0" w:firstColumn="{int(first_column_header)}" w:lastColumn="0" '
        'w:noHBand="1" w:noVBand="1"/>'))
    body = list(table.rows)
    if headers:
        flag(body[0], "tblHeader")
        for cell, text in zip(body[0].cells, headers, strict=True):
            cell.paragraphs[0].add_run(text)
            shade(cell)
            cell.paragraphs[0].paragraph_format.keep_with_next = True
            for run in cell.paragraphs[0].runs:
                run.bold = True
        body = body[1:]
    for row, values in zip(body, rows, strict=True):
        flag(row, "cantSplit")
        for cell, content in zip(row.cells, values, strict=True):
            if callable(content):
                content(cell)
            elif content is not None:
                cell.paragraphs[0].add_run(content)
        if row_height_cm:
            row.height = Cm(row_height_cm)
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        if first_column_header:
            shade(row.cells[0])
            for run in row.cells[0].paragraphs[0].runs:
                run.bold = True
    if font_pt:
        for row in table.rows:
            for cell in row.cells:
                for run in (r for p in cell.paragraphs for r in p.runs):
                    run.font.size = Pt(font_pt)
    for tag, value in (("tblCaption", caption), ("tblDescription", description)):
        element = parse_xml(f'<w:{tag} xmlns:w="{W}"/>')
        element.set(f"{{{W}}}val", value)
        tbl_pr.append(element)
    return table


@pytest.mark.parametrize("options", [
    {}, {"row_height_cm": 1.1}, {"first_column_header": True, "row_height_cm": 0.9},
    {"font_pt": 9.5}, {"headers": []}])
def test_tables_built_with_lxml_are_the_tables_python_docx_builds(options: dict) -> None:
    from etikkverksted.writers.docx.tables import add_table

    options = dict(options)
    headers = options.pop("headers", ["Tid", " Min ", "Tab\there", ""])

    def fill(cell) -> None:
        cell.paragraphs[0].add_run("filled").italic = True
        cell.add_paragraph("second")

    rows = [["a", None, fill, " b"], ["x\ny", "", None, fill]]
    widths = [2.1, 1.1, 4.5, 5.53]
    documents = [docx.Document(str(layouts_dir() / "default.docx")) for _ in range(2)]
    ours = add_table(documents[0], headers, rows, widths, "Cap", "Desc", **options)
    library = _library_table(documents[1], headers, rows, widths, "Cap", "Desc", **options)
    assert etree.tostring(docx_compat.table_element(ours)) == \
        etree.tostring(docx_compat.table_element(library))
    assert ours.part is documents[0].part
    assert [c.text for c in docx_compat.table_cells(ours)] == \
        [c.text for c in docx_compat.table_cells(library)]


def test_package_members_are_what_document_save_zips(tmp_path: Path) -> None:
    import io
    import zipfile

    document = docx.Document(str(layouts_dir() / "default.docx"))
    document.add_paragraph("text")
    document.sections[0].footer.paragraphs[0].text = "foot"
    document.core_properties.title = "title"
    buffer = io.BytesIO()
    document.save(buffer)
    saved = zipfile.ZipFile(buffer)
    library = [(info.filename, saved.read(info)) for info in saved.infolist()]
    assert docx_compat.package_members(document) == library


def test_package_members_with_given_blobs_and_a_shared_styles_element() -> None:
    import io
    import zipfile

    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    document = docx.Document(str(layouts_dir() / "default.docx"))
    document.add_paragraph("text")
    buffer = io.BytesIO()
    document.save(buffer)
    saved = zipfile.ZipFile(buffer)
    library = [(info.filename, saved.read(info)) for info in saved.infolist()]
    name = document.part.part_related_by(RT.STYLES).partname.membername
    given = docx_compat.package_members(document, {name: b"<given/>"})
    assert [n for n, _ in given] == [n for n, _ in library]
    assert [(n, b"<given/>" if n == name else d) for n, d in library] == given

    other = docx.Document(str(layouts_dir() / "default.docx"))
    docx_compat.share_part_element(other.part.part_related_by(RT.STYLES),
                                   document.styles.element)
    assert other.styles.element is document.styles.element
    assert other.styles["Heading 1"].style_id == document.styles["Heading 1"].style_id


def _library_flat_group(shapes: object, name: str, alt: str,
                        members: list[pptx_compat.FlatShape]) -> object:
    """What the diagrams drew before add_flat_group: python-pptx's own shapes, made flat."""
    from pptx.enum.dml import MSO_THEME_COLOR
    from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN

    group = shapes.add_group_shape()  # type: ignore[attr-defined]
    group.name = name
    group.element.find(f".//{{{P}}}cNvPr").set("descr", alt)
    presets = {"ellipse": MSO_SHAPE.OVAL, "rect": MSO_SHAPE.RECTANGLE,
               "roundRect": MSO_SHAPE.ROUNDED_RECTANGLE,
               "triangle": MSO_SHAPE.ISOSCELES_TRIANGLE}
    for m in members:
        if m.prst == "line":
            shape = group.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, m.x, m.y, m.x2, m.y2)
        else:
            shape = group.shapes.add_shape(presets[m.prst], m.x, m.y, m.x2 - m.x, m.y2 - m.y)
        style = shape.element.find(f"{{{P}}}style")
        style.getparent().remove(style)
        if m.prst != "line":
            if m.fill is None:
                shape.fill.background()
            else:
                shape.fill.solid()
                shape.fill.fore_color.theme_color = MSO_THEME_COLOR.from_xml(m.fill)
        if m.line is None:
            shape.line.fill.background()
        else:
            shape.line.color.theme_color = MSO_THEME_COLOR.from_xml(m.line)
            if m.width is not None:
                shape.line.width = m.width
            ln = shape.element.find(f"{{{P}}}spPr/{{{A}}}ln")
            for end in m.ends:
                etree.SubElement(ln, f"{{{A}}}{end}", type="triangle", w="med", len="med")
        if m.text is None:
            continue
        frame = shape.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.from_xml(m.text.anchor)
        frame.margin_left = frame.margin_right = 91440
        frame.margin_top = frame.margin_bottom = 45720
        frame.auto_size = MSO_AUTO_SIZE.NONE
        for i, (text, bold) in enumerate(m.text.paras):
            p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            p.alignment = PP_ALIGN.from_xml(m.text.align)
            if i:
                ppr = pptx_compat.paragraph_element(p).get_or_add_pPr()
                spc = etree.SubElement(ppr, f"{{{A}}}spcBef")
                etree.SubElement(spc, f"{{{A}}}spcPct", val="30000")
            run = p.add_run()
            run.text = text
            run.font.size = Centipoints(m.text.size)
            run.font.bold = bold or None
            run.font.color.theme_color = MSO_THEME_COLOR.from_xml(m.text.color)
    return group


FLAT = pptx_compat.FlatShape
FLAT_GROUPS = {
    "symbol": [FLAT("line", 100, 500, 900, 500, line="tx1", width=Pt(1.5)),
               FLAT("line", 900, 800, 900, 200, line="tx1", width=Pt(1.5)),  # drawn upwards
               FLAT("line", 700, 100, 300, 600, line="accent2"),  # right to left, down
               FLAT("ellipse", 400, 400, 520, 520, fill="accent2"),
               FLAT("ellipse", 600, 380, 720, 500, fill="tx1")],
    "time bar": [FLAT("rect", 1000, 50, 1400, 150, fill="accent1"),
                 FLAT("rect", 1420, 50, 2400, 150, line="tx1", width=Pt(1)),
                 FLAT("rect", 2420, 50, 2600, 150)],
    "empty": [],
    "diagram": [FLAT("line", 100, 900, 2900, 900, line="accent1", width=Pt(4),
                     ends=("headEnd", "tailEnd")),
                FLAT("line", 1500, 1900, 1500, 300, line="accent1", width=Pt(3),
                     ends=("tailEnd",)),
                FLAT("triangle", 300, 300, 2300, 1800, line="accent2", width=Pt(3)),
                FLAT("rect", 100, 1000, 1300, 2500, fill="bg2", text=pptx_compat.FlatText(
                    (("Trinn 2", True), ("KI på egne data & <mer>", False), ("48 %", False)),
                    2100, "bg1", "ctr", "t")),
                FLAT("roundRect", 1400, 1000, 2400, 1400, line="accent1", width=Pt(1.5),
                     text=pptx_compat.FlatText((("bell\x07 tab\t", True),), 1850, "tx1",
                                               "r", "b")),
                FLAT("ellipse", 2500, 1000, 2900, 1400, fill="accent6",
                     text=pptx_compat.FlatText((("1", True),), 3200, "tx1", "l", "ctr")),
                FLAT("rect", 0, 0, 10, 10, text=pptx_compat.FlatText((), 1800, "tx1"))],
}


@pytest.mark.parametrize("kind", sorted(FLAT_GROUPS))
@pytest.mark.parametrize("where", ["slide", "slide with extLst", "group"])
def test_flat_group_is_the_group_python_pptx_draws(kind: str, where: str) -> None:
    def slide_xml(fast: bool) -> bytes:
        prs = Presentation()
        slide = prs.slides.add_slide(prs.slide_layouts[1])  # placeholders take ids 2 and 3
        slide.shapes.add_textbox(0, 0, 10, 10)
        shapes = slide.shapes
        if where == "slide with extLst":
            etree.SubElement(shapes.element, f"{{{P}}}extLst")
        if where == "group":
            shapes = shapes.add_group_shape().shapes
        make = pptx_compat.add_flat_group if fast else _library_flat_group
        group = make(shapes, "Method symbol: x", "Alt & \"text\" <here>", FLAT_GROUPS[kind])
        assert group.name == "Method symbol: x"
        slide.shapes.add_textbox(0, 0, 10, 10)  # the next id after the group's members
        return etree.tostring(slide.element, method="c14n")

    assert slide_xml(fast=True) == slide_xml(fast=False)


# -- text written as XML (writers/pptx/fit.py) -----------------------------------------------

def _library_write_paras(frame: object, paras: list, size_pt: float, box: object,
                         textbox: bool = False, own_spacing: bool = False) -> None:
    """The writer's text setting as it was through python-pptx's proxies."""
    from pptx.enum.text import MSO_AUTO_SIZE

    from etikkverksted.ooxml import textfit

    frame.clear()  # type: ignore[attr-defined]
    frame.word_wrap = True  # type: ignore[attr-defined]
    frame.auto_size = MSO_AUTO_SIZE.NONE  # type: ignore[attr-defined]
    for i, para in enumerate(paras):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()  # type: ignore[attr-defined]
        p.level = para.level
        ppr = pptx_compat.paragraph_element(p).get_or_add_pPr()
        if textbox or own_spacing:
            spc = etree.SubElement(ppr, f"{{{A}}}spcBef")
            etree.SubElement(spc, f"{{{A}}}spcPct", val=str(int(box.space_before * 100000)))  # type: ignore[attr-defined]
        if not para.bullet:
            ppr.set("marL", "0")
            ppr.set("indent", "0")
            etree.SubElement(ppr, f"{{{A}}}buNone")
        run = p.add_run()
        run.text = para.text
        run.font.size = Pt(textfit.size_for_level(size_pt, para.level, box,  # type: ignore[arg-type]
                                                  textfit.BODY_MIN_PT))
        if para.bold:
            run.font.bold = True


def _frames(prs: pptx.presentation.Presentation) -> dict[str, object]:
    """Text frames in the states the writer meets: a fresh body placeholder, a text box, and
    one that already holds text, properties and autofit."""
    from pptx.enum.text import MSO_AUTO_SIZE

    slide = prs.slides.add_slide(prs.slide_layouts[1])
    used = slide.shapes.add_textbox(0, 0, Inches(3), Inches(2))
    used.text_frame.text = "old\nsecond"
    first = pptx_compat.paragraph_element(used.text_frame.paragraphs[0])
    ppr = first.get_or_add_pPr()
    ppr.set("lvl", "2")
    ppr.set("algn", "ctr")
    first.get_or_add_endParaRPr().set("sz", "1400")
    body_pr = pptx_compat.text_body(used.text_frame).find(f"{{{A}}}bodyPr")
    etree.SubElement(body_pr, f"{{{A}}}scene3d")
    used.text_frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE  # normAutofit
    return {"body": slide.placeholders[1].text_frame,
            "textbox": slide.shapes.add_textbox(0, 0, Inches(2), Inches(1)).text_frame,
            "used": used.text_frame}


@pytest.mark.parametrize("frame_kind", ["body", "textbox", "used"])
@pytest.mark.parametrize("spacing", ["template", "textbox", "own"])
def test_write_paras_writes_what_python_pptx_writes(frame_kind: str, spacing: str) -> None:
    from etikkverksted.ooxml.textfit import Para
    from etikkverksted.writers.pptx.fit import textbox_box, write_paras

    paras = [Para("Heading", bold=True, bullet=False, keep_with_next=True),
             Para("first point"), Para("sub point", level=1), Para("deeper", level=2),
             Para("bell\x07 tab\t & <markup>", bullet=False), Para("")]
    box = textbox_box(Inches(4), Inches(3), None)
    flags = {"textbox": spacing == "textbox", "own_spacing": spacing == "own"}

    def written(fast: bool) -> bytes:
        prs = Presentation()
        frame = _frames(prs)[frame_kind]
        (write_paras if fast else _library_write_paras)(frame, paras, 27.5, box, **flags)
        return etree.tostring(pptx_compat.text_body(frame), method="c14n")  # type: ignore[arg-type]

    assert written(fast=True) == written(fast=False)


@pytest.mark.parametrize("frame_kind", ["body", "textbox", "used"])
def test_one_run_title_is_what_python_pptx_writes(frame_kind: str) -> None:
    from pptx.enum.text import MSO_AUTO_SIZE

    from etikkverksted.writers.pptx.fit import add_run, reset_text

    def written(fast: bool) -> bytes:
        prs = Presentation()
        frame = _frames(prs)[frame_kind]
        if fast:
            add_run(reset_text(pptx_compat.text_body(frame)), "Title\x0b", 31.3)  # type: ignore[arg-type]
        else:
            frame.clear()  # type: ignore[attr-defined]
            frame.word_wrap = True  # type: ignore[attr-defined]
            frame.auto_size = MSO_AUTO_SIZE.NONE  # type: ignore[attr-defined]
            run = frame.paragraphs[0].add_run()  # type: ignore[attr-defined]
            run.text = "Title\x0b"
            run.font.size = Pt(31.3)
        return etree.tostring(pptx_compat.text_body(frame), method="c14n")  # type: ignore[arg-type]

    assert written(fast=True) == written(fast=False)


# -- geometry --------------------------------------------------------------------------------

def _outcome(read: object) -> object:
    """What calling *read* gives: its value, or the type of what it raised."""
    try:
        return read()  # type: ignore[operator]
    except Exception as exc:  # the comparison is the point
        return type(exc)


def _odd_layout_shapes(prs: pptx.presentation.Presentation) -> list[object]:
    """Layout placeholders whose geometry python-pptx reads the slow or failing way."""
    layout = prs.slide_layouts[1]
    tree = layout.shapes.element
    sps = [ph.element for ph in layout.placeholders]
    odd = [
        f'<a:xfrm {_A_NS}><a:off x="1in" y="-2mm"/><a:ext cx="3" cy="400"/></a:xfrm>',
        f'<a:xfrm {_A_NS}><a:off x="5" y="6"/></a:xfrm>',  # size inherited
        f'<a:xfrm {_A_NS}><a:off x="5"/><a:ext cx="1" cy="2"/></a:xfrm>',  # y missing
    ]
    for sp, xml in zip(sps, odd, strict=False):
        sp_pr = sp.find(f"{{{P}}}spPr")
        for old in list(sp_pr):
            sp_pr.remove(old)
        sp_pr.append(parse_pptx_xml(xml))
    header = parse_pptx_xml(etree.tostring(sps[0]))  # a type python-pptx cannot inherit
    header.find(f".//{{{P}}}ph").set("type", "hdr")
    header.find(f"{{{P}}}spPr").clear()
    tree.append(header)
    return list(layout.placeholders)


_A_NS = f'xmlns:a="{A}"'


def test_geometry_reads_what_python_pptx_reads(three_templates: list[Path],
                                               make_plan: Callable[..., object]) -> None:
    from etikkverksted.writers.pptx import render_pptx_bytes

    sources = [Presentation(str(t)) for t in three_templates]
    sources.append(Presentation(io.BytesIO(render_pptx_bytes(make_plan()))))  # type: ignore[arg-type]
    odd_prs = Presentation()
    odd = _odd_layout_shapes(odd_prs)
    for prs in sources[:3]:
        slide = prs.slides.add_slide(prs.slide_layouts[1])  # nothing set: all inherited
        slide.placeholders[0].left = 12345
    placeholders = [ph for prs in sources for m in prs.slide_masters
                    for layout in m.slide_layouts for ph in layout.placeholders]
    placeholders += [ph for prs in sources for s in prs.slides for ph in s.placeholders]
    placeholders += odd
    for ph in placeholders:
        library = _outcome(lambda ph=ph: (ph.left, ph.top, ph.width, ph.height))
        assert _outcome(lambda ph=ph: pptx_compat.placeholder_geometry(ph)) == library, ph.name
    assert len(placeholders) > 100
    assert KeyError in [_outcome(lambda ph=ph: pptx_compat.placeholder_geometry(ph))
                        for ph in odd]
    elements = [sh.element for prs in sources for m in prs.slide_masters
                for sh in [*m.shapes, *(s for lay in m.slide_layouts for s in lay.shapes)]]
    elements += [sh.element for prs in sources for s in prs.slides for sh in s.shapes]
    elements += [ph.element for ph in odd]
    for element in elements:
        library = _outcome(lambda e=element: (e.x, e.y, e.cx, e.cy))
        assert _outcome(lambda e=element: pptx_compat.shape_geometry(e)) == library


@pytest.mark.parametrize("values", [(1, 2, 3, 4), (-5, 0, 0, 0), (Inches(1), 2, 3, 4),
                                    (1, 2, -3, 4), (1, 2, 3, 10**15), (1.5, 2, 3, 4)])
def test_set_shape_geometry_sets_what_python_pptx_sets(values: tuple) -> None:
    def slide_after(fast: bool) -> object:
        prs = Presentation()
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        targets = [ph.element for ph in slide.placeholders]  # empty spPr
        targets.append(slide.shapes.add_textbox(0, 0, 10, 10).element)  # has an xfrm
        shape = slide.shapes.add_shape(1, 0, 0, 10, 10).element
        xfrm = shape.find(f"{{{P}}}spPr/{{{A}}}xfrm")
        xfrm.getparent().remove(xfrm)  # geometry without a transform
        targets.append(shape)
        outcomes = []
        for element in targets:
            if fast:
                outcomes.append(_outcome(
                    lambda e=element: pptx_compat.set_shape_geometry(e, *values)))
            else:
                def library(e: object = element) -> None:
                    e.x, e.y, e.cx, e.cy = values  # type: ignore[attr-defined]
                outcomes.append(_outcome(library))
        return outcomes, etree.tostring(slide.element, method="c14n")

    assert slide_after(fast=True) == slide_after(fast=False)


def test_package_members_are_what_save_zips(three_templates: list[Path]) -> None:
    import zipfile

    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE

    for template in three_templates:
        prs = Presentation(str(template))
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        slide.shapes.title.text = "æøå"
        slide.notes_slide.notes_text_frame.text = "notes"
        data = CategoryChartData()
        data.categories = ["a", "b"]
        data.add_series("s", (1, 2))
        slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, 0, 0, Inches(4), Inches(3), data)
        saved = io.BytesIO()
        prs.save(saved)
        with zipfile.ZipFile(saved) as zf:
            library = [(info.filename, zf.read(info)) for info in zf.infolist()]
        assert pptx_compat.package_members(prs) == library, template.name


def _deck_parts(prs: pptx.presentation.Presentation) -> list[object]:
    out: list[object] = [etree.tostring(prs.slides.element, method="c14n")]
    for slide in prs.slides:
        rels = sorted((r.reltype, str(r.target_part.partname)) for r in slide.part.rels.values())
        out.append((str(slide.part.partname), etree.tostring(slide.element, method="c14n"),
                    rels))
    return out


def test_slide_maker_makes_the_slides_add_slide_makes(three_templates: list[Path]) -> None:
    for template in three_templates:
        def deck(fast: bool) -> list[object]:
            prs = Presentation(str(template))  # noqa: B023 - used at once
            maker = pptx_compat.SlideMaker(prs)
            layouts = list(prs.slide_layouts)
            for layout in [*layouts, *reversed(layouts), layouts[0]]:
                slide = maker.add_slide(layout) if fast else prs.slides.add_slide(layout)
                if slide.shapes.title is not None:  # later edits do not reach the copies
                    slide.shapes.title.text = "edited"
                slide.shapes.add_textbox(0, 0, 10, 10)
            return _deck_parts(prs)

        assert deck(fast=True) == deck(fast=False), template.name


@pytest.mark.parametrize("where", ["slide", "slide with extLst", "group"])
@pytest.mark.parametrize("box", [(10, 20, 30, 40), (Inches(1), 0, Inches(2), 5)])
def test_add_textbox_adds_the_text_box_python_pptx_adds(where: str, box: tuple) -> None:
    def slide_xml(fast: bool) -> bytes:
        prs = Presentation()
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        shapes = slide.shapes
        if where == "slide with extLst":
            etree.SubElement(shapes.element, f"{{{P}}}extLst")
        if where == "group":
            shapes = shapes.add_group_shape().shapes
            shapes.add_shape(1, 500, 500, 10, 10)
        shape = pptx_compat.add_textbox(shapes, *box) if fast else shapes.add_textbox(*box)
        shape.text_frame.text = "x"  # the proxy works as the library's
        assert shape.has_text_frame and shape.name.startswith("TextBox ")
        slide.shapes.add_textbox(0, 0, 1, 1)  # the next id after it
        return etree.tostring(slide.element, method="c14n")

    assert slide_xml(fast=True) == slide_xml(fast=False)


@pytest.mark.parametrize("body", ["kept", "removed"])
def test_notes_body_is_the_notes_text_frames_body(body: str) -> None:
    prs = Presentation()
    slides = [prs.slides.add_slide(prs.slide_layouts[1]) for _ in range(4)]
    if body == "removed":  # a notes master without a body placeholder
        master = prs.notes_master.element
        for sp in master.iter(f"{{{P}}}sp"):
            ph = sp.find(f".//{{{P}}}ph")
            if ph is not None and ph.get("type") == "body":
                sp.getparent().remove(sp)
    copier = pptx_compat.NotesSlideCopier(prs.part.package)
    found = [copier.notes_body(slide) for slide in slides]
    library = [slide.notes_slide.notes_text_frame for slide in slides]
    assert [f is None for f in found] == [f is None for f in library] == [body == "removed"] * 4
    for fast, frame in zip(found, library, strict=True):
        if frame is not None:
            assert fast is pptx_compat.text_body(frame)


def test_has_text_is_what_the_text_frame_says(three_templates: list[Path]) -> None:
    texts = ["", " ", "\t\n", "x", " y ", "\x0b", "\u00a0", "\u2003", "_x000B_"]
    checked = 0
    for template in three_templates:
        prs = Presentation(str(template))
        for layout in prs.slide_layouts:
            slide = prs.slides.add_slide(layout)
            shapes = list(slide.placeholders)
            for i, shape in enumerate(shapes):
                if not shape.has_text_frame:
                    continue
                body = pptx_compat.text_body(shape.text_frame)
                p = body.find(f"{{{A}}}p")
                text = texts[(i + checked) % len(texts)]
                if i % 3 == 0:
                    fld = parse_pptx_xml(f'<a:fld {_A_NS} id="{{1}}" type="slidenum">'
                                         '<a:t/></a:fld>')
                    fld[0].text = pptx_compat.escape_text(text)
                    p.append(fld)
                elif i % 3 == 1:
                    run = shape.text_frame.paragraphs[0].add_run()
                    run.text = text
                    shape.text_frame.paragraphs[0].add_line_break()
                else:
                    shape.text_frame.add_paragraph().add_run().text = text
            shapes.append(slide.shapes.add_textbox(0, 0, 10, 10))  # empty body
            for shape in shapes:
                assert pptx_compat.has_text(shape) == \
                    bool(shape.has_text_frame and shape.text_frame.text.strip())
                checked += 1
    assert checked > 60
