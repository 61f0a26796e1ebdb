"""Native, editable charts from the plan's :class:`ChartData`.

The chart's numbers live in the deck (an embedded workbook plus the chart's own cache), so a
facilitator can right-click "Edit data" instead of finding a picture. Three things python-pptx
leaves to us: alt text (``cNvPr/@descr``), positive axis ids (schema validators reject the
negative ids python-pptx writes), and a fixed date in the embedded workbook (xlsxwriter stamps
the current time, which breaks byte-identical output).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.util import Pt

from ...ooxml.namespaces import C
from ...ooxml.zipfiles import normalize_package
from .template import Rect

if TYPE_CHECKING:
    from pptx.shapes.graphfrm import GraphicFrame
    from pptx.slide import Slide

    from ...planning.model import ChartData

_DATE = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")

TICK_FONT_PT = 16


def number_format(chart: ChartData) -> str:
    """Return an Excel number format: whole numbers or one decimal, with the unit after."""
    decimals = any(abs(v - round(v)) > 1e-9 for v in chart.values)
    base = "#,##0.0" if decimals else "#,##0"
    unit = (chart.unit or "").replace('"', "")
    if not unit:
        return base
    return f'{base}" {unit}"' if unit != "%" else f'{base}" %"'


def add_chart(slide: Slide, chart: ChartData, rect: Rect, stamp: dt.datetime,
              colour: MSO_THEME_COLOR = MSO_THEME_COLOR.ACCENT_1) -> GraphicFrame:
    """Draw *chart* as a native column or bar chart filling *rect*; return its frame."""
    data = CategoryChartData(number_format=number_format(chart))
    data.categories = chart.categories
    data.add_series(chart.series_name, chart.values)
    kind = XL_CHART_TYPE.COLUMN_CLUSTERED if chart.kind == "column" else \
        XL_CHART_TYPE.BAR_CLUSTERED
    frame = slide.shapes.add_chart(kind, rect.left, rect.top, rect.width, rect.height, data)
    c = frame.chart
    c.has_legend = False
    # The slide shows the statement above the chart and the slide title names the series;
    # a chart title would repeat one of them. The alt text carries the whole statement.
    c.has_title = False
    c.font.size = Pt(TICK_FONT_PT)
    plot = c.plots[0]
    plot.gap_width = 60
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = number_format(chart)
    labels.number_format_is_linked = False
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    labels.font.size = Pt(TICK_FONT_PT)
    series = plot.series[0]
    series.format.fill.solid()
    series.format.fill.fore_color.theme_color = colour
    value_axis = c.value_axis
    value_axis.has_major_gridlines = False
    value_axis.tick_labels.font.size = Pt(TICK_FONT_PT)
    value_axis.tick_labels.number_format = number_format(chart)
    value_axis.tick_labels.number_format_is_linked = False
    if min(chart.values) >= 0:
        value_axis.minimum_scale = 0
    category_axis = c.category_axis
    category_axis.tick_labels.font.size = Pt(TICK_FONT_PT)
    if chart.kind == "bar":
        # Bars are drawn bottom-up; reverse so the first category reads first, at the top.
        category_axis.reverse_order = True
    _positive_axis_ids(c.element)
    _fix_workbook_dates(frame, stamp)
    set_alt_text(frame, chart.alt_text, chart.title)
    return frame


def set_alt_text(shape: object, description: str, title: str | None = None) -> None:
    """Write alt text into the shape's ``cNvPr`` (the only place PowerPoint reads it from)."""
    element = shape.element  # type: ignore[attr-defined]
    cnvpr = element.find(".//{http://schemas.openxmlformats.org/presentationml/2006/main}cNvPr")
    if cnvpr is None:
        return
    cnvpr.set("descr", description)
    if title:
        cnvpr.set("title", title)


def _positive_axis_ids(chart_space: object) -> None:
    mapping: dict[str, str] = {}
    for tag in ("axId", "crossAx"):
        for el in chart_space.iter(f"{{{C}}}{tag}"):  # type: ignore[attr-defined]
            old = el.get("val")
            if old not in mapping:
                mapping[old] = str(100000001 + len(mapping))
            el.set("val", mapping[old])


def _fix_workbook_dates(frame: GraphicFrame, stamp: dt.datetime) -> None:
    workbook = frame.chart.part.chart_workbook
    part = workbook.xlsx_part
    if part is None:
        return
    stamp_text = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()

    def fixed_dates(name: str, data: bytes) -> bytes:
        if name != "docProps/core.xml":
            return data
        return _DATE.sub(lambda m: m.group(1) + stamp_text + m.group(3), data)

    workbook.update_from_xlsx_blob(normalize_package(part.blob, stamp, fixed_dates))
