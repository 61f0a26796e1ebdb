"""Native charts in a Word document: editable in Word, with their data embedded.

python-docx has no chart API. The chart XML (``c:chartSpace``) and the embedded workbook are
made by python-pptx's public chart-data API (:meth:`CategoryChartData.xml_bytes`,
:attr:`~CategoryChartData.xlsx_blob`), the same DrawingML that PowerPoint and Word share; this
module adds the parts to the Word package and an inline drawing that points at the chart, with
the alt text screen readers announce.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Cm
from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE

from ...ooxml.docx_compat import paragraph_element
from .document import Handout

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CHART_CT = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
XLSX_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_AFTER_EXTERNAL_DATA = {f"{{{C}}}printSettings", f"{{{C}}}userShapes", f"{{{C}}}extLst"}
_CHART_TYPES = {
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "bar_stacked": XL_CHART_TYPE.BAR_STACKED,
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "column_stacked": XL_CHART_TYPE.COLUMN_STACKED,
}


def add_chart(doc: Handout, kind: str, categories: Sequence[str],
              series: Sequence[tuple[str, Sequence[float]]], alt_text: str, *,
              height_cm: float = 7.5) -> None:
    """Add a native *kind* chart ("bar", "bar_stacked", "column", "column_stacked") as its own
    paragraph, full text width, with *alt_text* for screen readers."""
    data = CategoryChartData(number_format="0")
    data.categories = list(categories)
    for name, values in series:
        data.add_series(name, list(values))
    chart_xml = etree.fromstring(data.xml_bytes(_CHART_TYPES[kind]))
    _tidy(chart_xml, legend=len(series) > 1, lang=doc.lang)

    package = doc.doc.part.package
    xlsx_part = Part(package.next_partname("/word/embeddings/Microsoft_Excel_Worksheet%d.xlsx"),
                     XLSX_CT, data.xlsx_blob, package)
    # A new part's first relationship is rId1: the chart XML can name it before the part exists.
    external = etree.SubElement(chart_xml, f"{{{C}}}externalData")
    external.set(f"{{{R}}}id", "rId1")
    etree.SubElement(external, f"{{{C}}}autoUpdate").set("val", "0")
    for child in list(chart_xml):
        if child.tag in _AFTER_EXTERNAL_DATA:
            chart_xml.remove(child)
            chart_xml.append(child)
    chart_part = Part(package.next_partname("/word/charts/chart%d.xml"), CHART_CT,
                      etree.tostring(chart_xml, xml_declaration=True, encoding="UTF-8",
                                     standalone=True), package)
    if chart_part.relate_to(xlsx_part, RT.PACKAGE) != "rId1":
        raise AssertionError("a new chart part's first relationship is not rId1")
    chart_rid = doc.doc.part.relate_to(chart_part, RT.CHART)

    # Drawing ids must be unique in the document; count the drawings already there.
    wp = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
    shape_id = 5000 + sum(1 for _ in doc.doc.element.body.iter(f"{{{wp}}}docPr"))
    width = Cm(doc.text_width_cm)
    height = Cm(height_cm)
    paragraph = doc.add_paragraph()
    inline = parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        f'xmlns:c="{C}" xmlns:r="{R}"><w:drawing>'
        '<wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{int(width)}" cy="{int(height)}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{shape_id}" name="Chart {shape_id}" descr=""/>'
        '<wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        f'<c:chart r:id="{chart_rid}"/></a:graphicData></a:graphic></wp:inline>'
        '</w:drawing></w:r>')
    inline.find(".//{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
                ).set("descr", alt_text)
    paragraph_element(paragraph).append(inline)
    paragraph.paragraph_format.keep_together = True


def _tidy(chart_space: etree._Element, *, legend: bool, lang: str) -> None:
    """No automatic title (the report's caption names the chart); a legend only for several
    series; data labels so a printed page carries the numbers; 10 pt text in the document's
    language (python-pptx's default is 18 pt, en-US, sized for slides)."""
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    for rpr in chart_space.iter(f"{{{a}}}defRPr"):
        rpr.set("sz", "1000")
    for rpr in chart_space.iter(f"{{{a}}}endParaRPr"):
        rpr.set("lang", lang)
    chart = chart_space.find(f"{{{C}}}chart")
    deleted = chart.find(f"{{{C}}}autoTitleDeleted")
    if deleted is None:
        deleted = etree.Element(f"{{{C}}}autoTitleDeleted")
        chart.insert(0, deleted)
    deleted.set("val", "1")
    plot = chart.find(f"{{{C}}}plotArea")
    if any(b.find(f"{{{C}}}barDir").get("val") == "bar" for b in plot.iter(f"{{{C}}}barChart")):
        # Horizontal bars list categories bottom-up; read them top-down like the table below,
        # with the value axis kept at the bottom.
        for orientation in plot.iterfind(f"{{{C}}}catAx/{{{C}}}scaling/{{{C}}}orientation"):
            orientation.set("val", "maxMin")
        for crosses in plot.iterfind(f"{{{C}}}valAx/{{{C}}}crosses"):
            crosses.set("val", "max")
    for bar in plot.iter(f"{{{C}}}barChart"):
        if bar.find(f"{{{C}}}dLbls") is None:
            labels = etree.fromstring(
                f'<c:dLbls xmlns:c="{C}"><c:showLegendKey val="0"/><c:showVal val="1"/>'
                '<c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/>'
                '<c:showBubbleSize val="0"/></c:dLbls>')
            # dLbls follows the series (c:ser) and precedes gapWidth in CT_BarChart.
            last_ser = bar.findall(f"{{{C}}}ser")[-1]
            last_ser.addnext(labels)
    if legend and chart.find(f"{{{C}}}legend") is None:
        legend_el = etree.fromstring(
            f'<c:legend xmlns:c="{C}"><c:legendPos val="b"/><c:overlay val="0"/></c:legend>')
        plot.addnext(legend_el)
    elif not legend:
        for old in chart.findall(f"{{{C}}}legend"):
            chart.remove(old)
