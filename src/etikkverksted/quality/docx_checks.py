"""Accessibility checks of a Word document, with a paragraph number on every finding.

Paragraphs are numbered in reading order over the whole body, table cells included, from 1.
Checked: a title, an author and a language in the document properties (or a default language
in the styles); a language on every run, and the document's; headings that start at level 1
and never skip a level; alternative text on pictures and charts (unless marked decorative);
and text colour contrast of at least 4.5:1 where a colour is set explicitly.
"""

from __future__ import annotations

from collections import Counter

from lxml import etree

from ..ooxml.color import RGB, WCAG_MIN_RATIO, contrast_ratio, hex_of, theme_colors, word_color
from .findings import Finding, Severity
from .ours import core_property
from .package import Package
from .pptx_checks import same_language

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS = {"w": W, "wp": WP, "a": A}
_DECORATIVE = "http://schemas.microsoft.com/office/drawing/2017/decorative"
MAX_PER_CODE = 15
"""Repeated findings of one kind are cut off after this many per file, with a count."""


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


_VAL = _w("val")
_P = _w("p")
_R = _w("r")
_T = _w("t")
_TC = _w("tc")
_PPR = _w("pPr")
_RPR = _w("rPr")
_SHD = _w("shd")
_DRAWING = _w("drawing")


_COLOR_ATTRS = (_VAL, _w("themeColor"), _w("themeTint"), _w("themeShade"))
_FILL_ATTRS = (_w("fill"), _w("themeFill"), _w("themeFillTint"), _w("themeFillShade"))


def _grandchild(el: etree._Element, child: str, tag: str) -> etree._Element | None:
    """``el.find("w:child/w:tag")`` without ElementPath: the first *tag* element under the
    *child* elements of *el*, in document order (this runs for every run of a document)."""
    for holder in el.iterchildren(child):
        for found in holder.iterchildren(tag):
            return found
    return None


class DocumentChecker:
    """Runs every Word check on one package; :meth:`run` returns the findings."""

    def __init__(self, pkg: Package, ours: bool) -> None:
        self.pkg = pkg
        self.ours = ours
        self.main = pkg.main_part() or "word/document.xml"
        self.root = pkg.xml(self.main)
        self.findings: list[Finding] = []
        self.counts: Counter[str] = Counter()
        styles_parts = pkg.related(self.main, "/styles")
        self.styles_root = pkg.xml(styles_parts[0]) if styles_parts else None
        self.styles = {}
        if self.styles_root is not None:
            for style in self.styles_root.iterfind("w:style", NS):
                self.styles[style.get(_w("styleId")) or ""] = style
        themes = pkg.related(self.main, "/theme")
        self.theme = theme_colors(pkg.xml(themes[0])) if themes else {}
        # Look-ups that depend only on the styles part, memoised for this one run.
        self._chains: dict[str | None, tuple[etree._Element, ...]] = {}
        self._default_style: list[str | None] = []
        self._style_levels: dict[str | None, int | None] = {}
        self._inherited: dict[tuple[str | None, str | None, str], etree._Element | None] = {}
        self._cell_shading: dict[etree._Element | None, list[etree._Element | None]] = {}
        self._colors: dict[tuple[str | None, ...], RGB | None] = {}
        self._ratios: dict[tuple[RGB, RGB], float] = {}
        self._same: dict[str, bool] = {}
        self.default_lang = self._default_lang()
        self.expected_lang = core_property(pkg, "language") or self.default_lang

    def add(self, location: str, code: str, severity: Severity, message: str) -> None:
        self.counts[code] += 1
        if self.counts[code] <= MAX_PER_CODE:
            self.findings.append(Finding(self.pkg.path, location, code, severity, message))

    def run(self) -> list[Finding]:
        if self.root is None:
            self.add("", "document-unreadable", "error", "the document part cannot be read")
            return self.findings
        self._properties()
        if not self.expected_lang:
            self.expected_lang = self._majority_language()
        body = self.root.find("w:body", NS)
        if body is None:
            self.add("", "document-empty", "warning", "the document has no body")
            return self.findings
        page = self._page_color()
        last_heading = 0
        for number, para in enumerate(body.iter(_P), start=1):
            where = f"paragraph {number}"
            text = "".join(t.text or "" for t in para.iter(_T))
            style = self._para_style(para)
            level = self._level_of(para, style)
            if level is not None and text.strip():
                if last_heading == 0 and level > 1:
                    self.add(where, "heading-first-level", "warning",
                             f"the first heading is at level {level}, not 1 "
                             f"({_snippet(text)})")
                elif level > last_heading + 1 and last_heading:
                    self.add(where, "heading-skip", "error",
                             f"a level {level} heading follows a level {last_heading} heading "
                             f"({_snippet(text)}); headings must not skip levels")
                last_heading = level
            elif level is not None and not text.strip() and para.find(".//w:drawing", NS) \
                    is None:
                self.add(where, "heading-empty", "warning",
                         "an empty paragraph has a heading style; screen readers announce it")
            self._runs(where, para, page, style)
            for drawing in para.iter(_DRAWING):
                self._alt_text(where, drawing)
        for code, count in self.counts.items():
            if count > MAX_PER_CODE:
                severity = next(f.severity for f in self.findings if f.code == code)
                self.findings.append(Finding(self.pkg.path, "", code, severity,
                                             f"{count - MAX_PER_CODE} more like this"))
        return self.findings

    # -- document ------------------------------------------------------------------------

    def _properties(self) -> None:
        if not core_property(self.pkg, "title"):
            self.add("document properties", "core-title-missing", "error",
                     "the document has no title in its document properties (File > Info); "
                     "screen readers and PDF exports announce it")
        if not core_property(self.pkg, "creator"):
            self.add("document properties", "core-author-missing", "warning",
                     "the document names no author in its document properties")
        if not core_property(self.pkg, "language") and not self.default_lang:
            self.add("document properties", "document-language-missing", "error",
                     "the document declares no language (document properties or the default "
                     "language of its styles)")

    def _default_lang(self) -> str:
        if self.styles_root is None:
            return ""
        lang = self.styles_root.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
        return (lang.get(_VAL) or "") if lang is not None else ""

    def _page_color(self) -> RGB:
        bg = self.root.find("w:background", NS) if self.root is not None else None
        if bg is not None:
            rgb = word_color(bg.get(_w("color")), bg.get(_w("themeColor")),
                             bg.get(_w("themeTint")), bg.get(_w("themeShade")), self.theme)
            if rgb is not None:
                return rgb
        return (255, 255, 255)

    def _majority_language(self) -> str:
        counts: Counter[str] = Counter()
        if self.root is None:
            return ""
        for para in self.root.iter(_w("p")):
            for run in para.iter(_w("r")):
                lang = self._run_prop(para, run, "lang")
                if lang is not None and lang.get(_VAL):
                    counts[lang.get(_VAL)] += 1
        return counts.most_common(1)[0][0] if counts else ""

    # -- styles --------------------------------------------------------------------------

    def _style_chain(self, style_id: str | None) -> tuple[etree._Element, ...]:
        found = self._chains.get(style_id)
        if found is None:
            chain: list[etree._Element] = []
            seen: set[str] = set()
            current = style_id
            while current and current in self.styles and current not in seen and \
                    len(chain) < 20:
                seen.add(current)
                style = self.styles[current]
                chain.append(style)
                based = style.find("w:basedOn", NS)
                current = based.get(_VAL) if based is not None else None
            found = self._chains[style_id] = tuple(chain)
        return found

    def _para_style(self, para: etree._Element) -> str | None:
        ps = _grandchild(para, _PPR, _w("pStyle"))
        if ps is not None:
            return ps.get(_VAL)
        if not self._default_style:
            self._default_style.append(next(
                (style_id for style_id, style in self.styles.items()
                 if style.get(_w("type")) == "paragraph"
                 and style.get(_w("default")) in ("1", "true")), None))
        return self._default_style[0]

    def _outline_level(self, para: etree._Element) -> int | None:
        """The heading level (1-9) of a paragraph, or None for body text."""
        return self._level_of(para, self._para_style(para))

    def _level_of(self, para: etree._Element, style_id: str | None) -> int | None:
        """The heading level of *para*, whose paragraph style is *style_id*."""
        own = _grandchild(para, _PPR, _w("outlineLvl"))
        if own is not None:
            try:
                value = int(own.get(_VAL) or 9)
            except ValueError:
                pass
            else:
                return value + 1 if value < 9 else None
        if style_id not in self._style_levels:
            self._style_levels[style_id] = self._style_level(style_id)
        return self._style_levels[style_id]

    def _style_level(self, style_id: str | None) -> int | None:
        """The heading level a paragraph of style *style_id* has by its style chain."""
        holders = []
        chain = self._style_chain(style_id)
        for style in chain:
            el = style.find("w:pPr/w:outlineLvl", NS)
            if el is not None:
                holders.append(el)
        for el in holders:
            try:
                value = int(el.get(_VAL) or 9)
            except ValueError:
                continue
            return value + 1 if value < 9 else None
        for style in chain:
            name = (style.find("w:name", NS).get(_VAL) or "").lower() \
                if style.find("w:name", NS) is not None else ""
            if name.startswith("heading ") and name[8:].strip().isdigit():
                return int(name[8:].strip())
        return None

    def _run_prop(self, para: etree._Element, run: etree._Element, tag: str
                  ) -> etree._Element | None:
        """A run property element as inherited: run, character style, paragraph style."""
        return self._prop(self._para_style(para), run, tag)

    def _prop(self, para_style: str | None, run: etree._Element, tag: str
              ) -> etree._Element | None:
        """:meth:`_run_prop` for a run in a paragraph of style *para_style*."""
        el = _grandchild(run, _RPR, _w(tag))
        if el is not None:
            return el
        rstyle = _grandchild(run, _RPR, _w("rStyle"))
        key = (rstyle.get(_VAL) if rstyle is not None else None, para_style, tag)
        if key not in self._inherited:
            self._inherited[key] = self._styled_prop(*key)
        return self._inherited[key]

    def _styled_prop(self, run_style: str | None, para_style: str | None, tag: str
                     ) -> etree._Element | None:
        """A run property from the character style, the paragraph style or the defaults."""
        for style in self._style_chain(run_style):
            el = style.find(f"w:rPr/w:{tag}", NS)
            if el is not None:
                return el
        for style in self._style_chain(para_style):
            el = style.find(f"w:rPr/w:{tag}", NS)
            if el is not None:
                return el
        if self.styles_root is not None:
            return self.styles_root.find(f"w:docDefaults/w:rPrDefault/w:rPr/w:{tag}", NS)
        return None

    # -- runs ----------------------------------------------------------------------------

    def _runs(self, where: str, para: etree._Element, page: RGB, style: str | None) -> None:
        missing, wrong, sample = 0, dict[str, int](), ""
        worst: tuple[float, RGB, RGB, str] | None = None
        for run in para.iter(_R):
            text = "".join(t.text or "" for t in run.iterchildren(_T))
            if not text.strip():
                continue
            lang_el = self._prop(style, run, "lang")
            lang = lang_el.get(_VAL) if lang_el is not None else None
            if not lang:
                missing += 1
                sample = sample or text
            elif self.expected_lang and not self._same_language(lang):
                wrong[lang] = wrong.get(lang, 0) + 1
                sample = sample or text
            color_el = self._prop(style, run, "color")
            if color_el is None:
                continue
            color = self._word_color(color_el, _COLOR_ATTRS)
            if color is None:
                continue
            background = self._shading(para, run) or page
            ratio = self._ratios.get((color, background))
            if ratio is None:
                ratio = self._ratios[(color, background)] = contrast_ratio(color, background)
            if worst is None or ratio < worst[0]:
                worst = (ratio, color, background, text)
        if missing:
            self.add(where, "language-missing", "error",
                     f"{missing} run(s) have no language (e.g. {_snippet(sample)})")
        for lang, count in wrong.items():
            self.add(where, "language-wrong", "error",
                     f"{count} run(s) are marked {lang}, the document is {self.expected_lang} "
                     f"(e.g. {_snippet(sample)})")
        if worst is not None and worst[0] < WCAG_MIN_RATIO:
            self.add(where, "contrast-low", "error",
                     f"text {_snippet(worst[3])} has contrast {worst[0]:.2f}:1 "
                     f"({hex_of(worst[1])} on {hex_of(worst[2])}); at least "
                     f"{WCAG_MIN_RATIO}:1 is needed")

    def _same_language(self, lang: str) -> bool:
        if lang not in self._same:
            self._same[lang] = same_language(lang, self.expected_lang)
        return self._same[lang]

    def _word_color(self, el: etree._Element, attrs: tuple[str, str, str, str]) -> RGB | None:
        """:func:`word_color` of the colour attributes *attrs* of *el*."""
        key = tuple(el.get(a) for a in attrs)
        if key not in self._colors:
            self._colors[key] = word_color(*key, self.theme)
        return self._colors[key]

    def _shading(self, para: etree._Element, run: etree._Element) -> RGB | None:
        holders = [_grandchild(run, _RPR, _SHD), _grandchild(para, _PPR, _SHD),
                   *self._cell_shade(para)]
        for shd in holders:
            if shd is None:
                continue
            rgb = self._word_color(shd, _FILL_ATTRS)
            if rgb is not None:
                return rgb
        return None

    def _cell_shade(self, para: etree._Element) -> list[etree._Element | None]:
        """The shading of the table cell *para* is in (``[]`` outside tables); the paragraphs
        of one cell share a parent, so this is looked up once per parent."""
        parent = para.getparent()
        if parent not in self._cell_shading:
            cell = parent
            while cell is not None and cell.tag != _TC:
                cell = cell.getparent()
            self._cell_shading[parent] = [] if cell is None else \
                [_grandchild(cell, _w("tcPr"), _SHD)]
        return self._cell_shading[parent]

    def _alt_text(self, where: str, drawing: etree._Element) -> None:
        for doc_pr in drawing.iter(f"{{{WP}}}docPr"):
            for ext in doc_pr.iterfind("a:extLst/a:ext", NS):
                for child in ext:
                    if etree.QName(child).namespace == _DECORATIVE and child.get("val") in (
                            "1", "true"):
                        return
            descr = (doc_pr.get("descr") or doc_pr.get("title") or "").strip()
            name = doc_pr.get("name") or "picture"
            if not descr:
                self.add(where, "alt-text-missing", "error",
                         f"the picture or chart {name!r} has no alternative text")


def _snippet(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def check_document(pkg: Package, ours: bool) -> list[Finding]:
    """Return the Word findings for *pkg* (already read and structurally sound)."""
    return DocumentChecker(pkg, ours).run()
