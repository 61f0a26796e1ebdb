"""Accessibility and layout checks of a PowerPoint deck, with a slide number on every finding.

What is checked, per slide: a title that exists and is not the same as another slide's;
alternative text on pictures, charts, diagrams and other graphics (a described group covers
its parts; shapes marked decorative need none); a language on every text run, and the same
one as the document's; body text of at least 18 pt; text contrast of at least 4.5:1 against
the shape's fill, the shape beneath it, or the slide background; text that is estimated to
overflow its box (with :mod:`etikkverksted.ooxml.textfit`'s font metrics); empty placeholders; and,
for our own decks, speaker notes on every slide. Per deck: a title, an author and a language
in the document properties.
"""

from __future__ import annotations

import re
from collections import Counter

from lxml import etree

from ..ooxml import textfit
from ..ooxml.backdrop import Backdrop, average_color, prompt_color
from ..ooxml.color import RGB, WCAG_MIN_RATIO, contrast_ratio, hex_of
from ..ooxml.lookup import first
from ..ooxml.namespaces import A, P
from ..ooxml.placeholders import (
    FURNITURE_TYPES,
    TITLE_TYPES,
    Inheritance,
    first_attr,
    line_spacing,
    space_before_pt,
)
from .findings import Finding, Severity
from .ours import core_property
from .package import Package
from .pptx_model import (
    EMU_PER_PT,
    NS,
    Shape,
    SlideModel,
    iter_runs,
    local,
    text_of,
    txbody_of,
)

MIN_BODY_PT = textfit.BODY_MIN_PT
_LevelKey = tuple[etree._Element, int, bool]
_PPR, _RPR, _DEF_RPR, _LATIN, _T = (f"{{{A}}}{t}" for t in ("pPr", "rPr", "defRPr", "latin", "t"))
_STYLE, _FONT_REF = f"{{{P}}}style", f"{{{A}}}fontRef"


def _text(run: etree._Element) -> str:
    """The text of a run's ``a:t`` (``run.findtext("a:t") or ""``)."""
    t = first(run, _T)
    return (t.text or "") if t is not None else ""

OVERFLOW_TOLERANCE = 1.03
"""Estimated text height may exceed the box by this factor before it counts as overflow:
the estimate uses metric-compatible fonts and can be a few per cent off."""

_FILENAME = re.compile(r"\.(png|jpe?g|gif|bmp|tiff?|svg|emf|wmf|webp)$", re.IGNORECASE)
_DECORATIVE = "http://schemas.microsoft.com/office/drawing/2017/decorative"
_GRAPHIC_KINDS = {
    "http://schemas.openxmlformats.org/drawingml/2006/chart": "chart",
    "http://schemas.microsoft.com/office/drawing/2014/chartex": "chart",
    "http://schemas.openxmlformats.org/drawingml/2006/diagram": "diagram",
    "http://schemas.openxmlformats.org/presentationml/2006/ole": "embedded object",
}
_EMPTY_OK = FURNITURE_TYPES


class DeckChecker:
    """Runs every deck check on one package; :meth:`run` returns the findings."""

    def __init__(self, pkg: Package, ours: bool) -> None:
        self.pkg = pkg
        self.ours = ours
        self.findings: list[Finding] = []
        main = pkg.main_part() or "ppt/presentation.xml"
        self.main = main
        self.presentation = pkg.xml(main)
        self.slide_parts = self._slides()
        self.expected_lang = core_property(pkg, "language")
        self._backdrops: dict[tuple[str | None, str | None], Backdrop] = {}
        # What the inheritance chain gives, memoised for this one run (never beyond it): the
        # same shape's paragraphs of one level ask the same questions run after run.
        self._shared: dict[object, object] = {}
        self._para_keys: dict[etree._Element, _LevelKey] = {}
        self._parts: dict[_LevelKey, tuple[list[etree._Element], list[etree._Element]]] = {}
        self._attrs: dict[tuple[_LevelKey, str], str | None] = {}
        self._colors: dict[_LevelKey, RGB | str | None] = {}
        self._faces: dict[_LevelKey, str | None] = {}
        self._scales: dict[etree._Element, float] = {}
        self._heights: dict[tuple[etree._Element, float], float] = {}
        self._level_chains: dict[_LevelKey, list[etree._Element]] = {}
        self._runs: dict[etree._Element, list[tuple[etree._Element, etree._Element]]] = {}
        self._texts: dict[etree._Element | None, str] = {}
        self._body_prs: dict[tuple[etree._Element, str], str | None] = {}
        self._insets: dict[etree._Element, tuple[int, int, int, int]] = {}

    def add(self, location: str, code: str, severity: Severity, message: str) -> None:
        self.findings.append(Finding(self.pkg.path, location, code, severity, message))

    def _slides(self) -> list[str]:
        if self.presentation is None:
            return []
        rels = self.pkg.rels(self.main)
        out = []
        for sld in self.presentation.iterfind("p:sldIdLst/p:sldId", NS):
            rel = rels.get(sld.get(f"{{{NS['r']}}}id") or "")
            if rel is not None and rel.target and self.pkg.xml(rel.target) is not None:
                out.append(rel.target)
        return out

    def slide_size(self) -> tuple[float, float] | None:
        if self.presentation is None:
            return None
        size = self.presentation.find("p:sldSz", NS)
        try:
            return float(size.get("cx")), float(size.get("cy"))  # type: ignore[union-attr,arg-type]
        except (AttributeError, TypeError, ValueError):
            return None

    # -- the run -------------------------------------------------------------------------

    def run(self) -> list[Finding]:
        if self.presentation is None:
            self.add("", "deck-unreadable", "error", "the presentation part cannot be read")
            return self.findings
        models = [SlideModel(self.pkg, part, self.presentation, self._shared)
                  for part in self.slide_parts]
        if not self.expected_lang:
            self.expected_lang = self._majority_language(models)
        self._properties(bool(models))
        titles: dict[str, int] = {}
        for number, model in enumerate(models, start=1):
            where = f"slide {number}"
            shapes = model.shapes()
            title = self._title(where, shapes)
            if title:
                key = " ".join(title.split()).casefold()
                if key in titles:
                    self.add(where, "slide-title-duplicate", "warning",
                             f"the title {title!r} is also the title of slide {titles[key]}; "
                             "screen reader users find slides by their titles")
                else:
                    titles[key] = number
            for shape in shapes:
                self._alt_text(where, shape)
                self._empty_placeholder(where, shape)
                body = txbody_of(shape.el)
                if body is None and shape.kind != "graphicFrame":
                    continue
                self._language(where, model, shape)
                if shape.kind == "sp":
                    self._size(where, model, shape)
                    self._contrast(where, model, shape, shapes)
                    self._overflow(where, model, shape)
                elif shape.kind == "graphicFrame":
                    self._size(where, model, shape)
            self._notes(where, model)
        if not models:
            self.add("", "deck-empty", "warning", "the deck has no slides")
        return self.findings

    # -- document ------------------------------------------------------------------------

    def _properties(self, has_slides: bool) -> None:
        if not core_property(self.pkg, "title"):
            self.add("document properties", "core-title-missing", "error",
                     "the deck has no title in its document properties (File > Info); "
                     "screen readers and PDF exports announce it")
        if not core_property(self.pkg, "creator"):
            self.add("document properties", "core-author-missing", "warning",
                     "the deck names no author in its document properties")
        if not core_property(self.pkg, "language") and not self._default_lang():
            self.add("document properties", "document-language-missing", "error",
                     "the deck declares no language (document properties or default text "
                     "style)")

    def _default_lang(self) -> str:
        if self.presentation is None:
            return ""
        el = self.presentation.find("p:defaultTextStyle/a:lvl1pPr/a:defRPr", NS)
        if el is None:
            el = self.presentation.find("p:defaultTextStyle/a:defPPr/a:defRPr", NS)
        return (el.get("lang") or "") if el is not None else ""

    def _majority_language(self, models: list[SlideModel]) -> str:
        counts: Counter[str] = Counter()
        for model in models:
            for shape in model.shapes():
                for el in self._text_bodies(shape):
                    for para, run in self._runs_in(el):
                        lang = self.run_attr(model, shape, para, run, "lang")
                        if lang:
                            counts[lang] += 1
        return counts.most_common(1)[0][0] if counts else ""

    # -- resolved run properties -------------------------------------------------------

    @staticmethod
    def _level(para: etree._Element) -> int:
        ppr = first(para, _PPR)
        try:
            return int(ppr.get("lvl") or 0) if ppr is not None else 0
        except ValueError:
            return 0

    def run_attr(self, model: SlideModel, shape: Shape, para: etree._Element,
                 run: etree._Element | None, attr: str) -> str | None:
        """An attribute of a run's properties as inherited (``sz``, ``lang``, ``b``)."""
        if run is not None:
            rpr = first(run, _RPR)
            if rpr is not None and rpr.get(attr) is not None:
                return rpr.get(attr)
        key = (self._level_key(shape, para), attr)
        if key not in self._attrs:
            found = None
            for ppr in self._level_chain(model, shape, para):
                rpr = first(ppr, _DEF_RPR)
                if rpr is not None and rpr.get(attr) is not None:
                    found = rpr.get(attr)
                    break
            self._attrs[key] = found
        return self._attrs[key]

    def _runs_in(self, body: etree._Element) -> list[tuple[etree._Element, etree._Element]]:
        """(paragraph, run) of every run with text in *body* (see :func:`iter_runs`)."""
        found = self._runs.get(body)
        if found is None:
            found = self._runs[body] = list(iter_runs(body))
        return found

    def _text_of(self, body: etree._Element | None) -> str:
        """All text of a text body (see :func:`text_of`)."""
        found = self._texts.get(body)
        if found is None:
            found = self._texts[body] = text_of(body)
        return found

    def _body_pr(self, shape: Shape, attr: str) -> str | None:
        """The ``a:bodyPr`` attribute *attr* as the shape inherits it."""
        key = (shape.el, attr)
        if key not in self._body_prs:
            self._body_prs[key] = Inheritance.body_pr(shape.chain, attr)
        return self._body_prs[key]

    def _shape_insets(self, shape: Shape) -> tuple[int, int, int, int]:
        """The shape's text insets in EMU, as inherited."""
        found = self._insets.get(shape.el)
        if found is None:
            found = self._insets[shape.el] = Inheritance.insets(shape.chain)
        return found

    def _level_key(self, shape: Shape, para: etree._Element) -> _LevelKey:
        """What a paragraph's inherited properties depend on: its shape, its level, and
        whether it sits in a table cell."""
        key = self._para_keys.get(para)
        if key is None:
            holder = para.getparent()
            in_cell = holder is not None and local(holder) == "txBody" and \
                local(holder.getparent()) == "tc"
            key = self._para_keys[para] = (shape.el, min(self._level(para), 8), in_cell)
        return key

    def _level_chain(self, model: SlideModel, shape: Shape, para: etree._Element
                     ) -> list[etree._Element]:
        """The paragraph-level properties that apply to *para*, nearest first."""
        key = self._level_key(shape, para)
        found = self._level_chains.get(key)
        if found is None:
            own, styles = self._level_parts(model, shape, para)
            found = self._level_chains[key] = own + styles
        return found

    def _level_parts(self, model: SlideModel, shape: Shape, para: etree._Element
                     ) -> tuple[list[etree._Element], list[etree._Element]]:
        """(from the shape and its placeholders' list styles, from the master/default styles)."""
        key = self._level_key(shape, para)
        found = self._parts.get(key)
        if found is None:
            _, level, in_cell = key
            tag = f"a:lvl{level + 1}pPr"
            # Text in table cells inherits from nothing on the slide but the defaults.
            chain = [] if in_cell else list(shape.chain)
            own = [p for p in (el.find(f"p:txBody/a:lstStyle/{tag}", NS) for el in chain)
                   if p is not None]
            styles = [p for p in (st.find(tag, NS) for st in model.text_style(shape.el))
                      if p is not None]
            found = self._parts[key] = (own, styles)
        return found

    def size_pt(self, model: SlideModel, shape: Shape, para: etree._Element,
                run: etree._Element | None) -> float:
        raw = self.run_attr(model, shape, para, run, "sz")
        try:
            size = int(raw) / 100 if raw else 18.0
        except ValueError:
            size = 18.0
        return size * self._font_scale(model, shape)

    def _font_scale(self, model: SlideModel, shape: Shape) -> float:
        scale = self._scales.get(shape.el)
        if scale is None:
            scale = self._scales[shape.el] = self._own_font_scale(model, shape)
        return scale

    @staticmethod
    def _own_font_scale(model: SlideModel, shape: Shape) -> float:
        fit = model.body_child(shape.chain[:1], ("normAutofit",))
        if fit is None or fit.get("fontScale") is None:
            return 1.0
        try:
            return int(fit.get("fontScale")) / 100000  # type: ignore[arg-type]
        except ValueError:
            return 1.0

    def run_color(self, model: SlideModel, shape: Shape, para: etree._Element,
                  run: etree._Element) -> RGB | str | None:
        """The run's text colour, or ``"unknown"`` for gradient or missing fills."""
        found = self._fill_of(model, first(run, _RPR))
        if found is not None:
            return found
        key = self._level_key(shape, para)
        if key not in self._colors:
            self._colors[key] = self._level_color(model, shape, para)
        return self._colors[key]

    def _level_color(self, model: SlideModel, shape: Shape, para: etree._Element
                     ) -> RGB | str | None:
        """The text colour a run of *para* without a fill of its own has."""
        own, styles = self._level_parts(model, shape, para)
        for holder in (first(p, _DEF_RPR) for p in own):
            found = self._fill_of(model, holder)
            if found is not None:
                return found
        ref = first(shape.el, _STYLE, _FONT_REF)
        if ref is not None:
            color = model.color(ref)
            if color is not None:
                return color
        for ppr in styles:
            found = self._fill_of(model, first(ppr, _DEF_RPR))
            if found is not None:
                return found
        prompt = prompt_color(shape.chain[1:], model.theme.colors, model.clr_map)
        if prompt is not None:
            return prompt
        return model.theme.colors.get(model.clr_map.get("tx1", "dk1"), (0, 0, 0))

    @staticmethod
    def _fill_of(model: SlideModel, holder: etree._Element | None) -> RGB | str | None:
        if holder is None:
            return None
        for child in holder:
            name = local(child)
            if name == "solidFill":
                return model.color(child) or "unknown"
            if name in ("gradFill", "blipFill", "pattFill", "noFill", "grpFill"):
                return "unknown"
        return None

    def typeface(self, model: SlideModel, shape: Shape, para: etree._Element,
                 run: etree._Element | None) -> str | None:
        rpr = first(run, _RPR) if run is not None else None
        latin = first(rpr, _LATIN) if rpr is not None else None
        if latin is not None and latin.get("typeface"):
            return model.typeface(latin.get("typeface"))
        key = self._level_key(shape, para)
        if key not in self._faces:
            self._faces[key] = self._level_typeface(model, shape, para)
        return self._faces[key]

    def _level_typeface(self, model: SlideModel, shape: Shape, para: etree._Element
                        ) -> str | None:
        """The typeface a run of *para* without one of its own has."""
        holders = [first(p, _DEF_RPR) for p in self._level_chain(model, shape, para)]
        for holder in holders:
            if holder is None:
                continue
            latin = holder.find("a:latin", NS)
            if latin is not None and latin.get("typeface"):
                return model.typeface(latin.get("typeface"))
        ref = first(shape.el, _STYLE, _FONT_REF)
        if ref is not None and ref.get("idx") == "major":
            return model.theme.major
        if shape.ph and shape.ph[0] in TITLE_TYPES:
            return model.theme.major
        return model.theme.minor

    # -- checks --------------------------------------------------------------------------

    def _title(self, where: str, shapes: list[Shape]) -> str:
        titles = [s for s in shapes if s.ph and s.ph[0] in TITLE_TYPES]
        text = ""
        for shape in titles:
            text = " ".join(self._text_of(txbody_of(shape.el)).split())
            if text:
                return text
        if titles:
            self.add(where, "slide-title-empty", "error",
                     "the slide's title placeholder is empty; every slide needs a title "
                     "(it can be placed off the slide if it must not be seen)")
        else:
            self.add(where, "slide-title-missing", "error",
                     "the slide has no title; screen reader users navigate by slide titles")
        return text

    def _alt_text(self, where: str, shape: Shape) -> None:
        what = None
        if shape.kind == "pic":
            what = "picture"
        elif shape.kind == "graphicFrame":
            data = shape.el.find("a:graphic/a:graphicData", NS)
            uri = data.get("uri") if data is not None else ""
            what = _GRAPHIC_KINDS.get(uri or "")
        if what is None or shape.in_described_group:
            return
        c_nv = shape.el.find("./*/p:cNvPr", NS)
        if c_nv is None:
            return
        for ext in c_nv.iterfind("a:extLst/a:ext", NS):
            for child in ext:
                if etree.QName(child).namespace == _DECORATIVE and child.get("val") in (
                        "1", "true"):
                    return
        descr = (c_nv.get("descr") or "").strip()
        name = shape.name or what
        if not descr:
            self.add(where, "alt-text-missing", "error",
                     f"the {what} {name!r} has no alternative text")
        elif _FILENAME.search(descr):
            self.add(where, "alt-text-filename", "error",
                     f"the {what} {name!r} has a file name ({descr!r}) as its alternative text")

    def _empty_placeholder(self, where: str, shape: Shape) -> None:
        if shape.ph is None or shape.kind != "sp" or shape.ph[0] in _EMPTY_OK:
            return
        if self._text_of(txbody_of(shape.el)).strip():
            return
        self.add(where, "placeholder-empty", "error" if self.ours else "warning",
                 f"the placeholder {shape.name!r} is empty; it shows 'click to add' text "
                 "while editing and confuses screen readers")

    def _text_bodies(self, shape: Shape) -> list[etree._Element]:
        if shape.kind == "graphicFrame":
            return list(shape.el.iterfind(".//a:tbl//a:txBody", NS))
        body = txbody_of(shape.el)
        return [body] if body is not None else []

    def _language(self, where: str, model: SlideModel, shape: Shape) -> None:
        missing, wrong = 0, Counter[str]()
        sample = ""
        for body in self._text_bodies(shape):
            for para, run in self._runs_in(body):
                lang = self.run_attr(model, shape, para, run, "lang")
                if not lang:
                    missing += 1
                    sample = sample or _text(run)
                elif self.expected_lang and not same_language(lang, self.expected_lang):
                    wrong[lang] += 1
                    sample = sample or _text(run)
        self._report_language(where, shape.name, missing, wrong, sample)

    def _report_language(self, where: str, name: str, missing: int, wrong: Counter[str],
                         sample: str) -> None:
        snippet = _snippet(sample)
        if missing:
            self.add(where, "language-missing", "error",
                     f"{missing} text run(s) in {name!r} have no language (e.g. {snippet})")
        for lang, count in wrong.items():
            self.add(where, "language-wrong", "error",
                     f"{count} text run(s) in {name!r} are marked {lang}, the deck is "
                     f"{self.expected_lang} (e.g. {snippet})")

    def _size(self, where: str, model: SlideModel, shape: Shape) -> None:
        if shape.ph and (shape.ph[0] in TITLE_TYPES or shape.ph[0] in FURNITURE_TYPES):
            return
        smallest, sample = None, ""
        for body in self._text_bodies(shape):
            for para, run in self._runs_in(body):
                size = self.size_pt(model, shape, para, run)
                if smallest is None or size < smallest:
                    smallest, sample = size, _text(run)
        if smallest is not None and smallest < MIN_BODY_PT - 0.01:
            self.add(where, "text-too-small", "error",
                     f"text in {shape.name!r} is {smallest:g} pt (e.g. {_snippet(sample)}); "
                     f"body text on slides should be at least {MIN_BODY_PT:g} pt")

    def _background(self, model: SlideModel, shape: Shape, shapes: list[Shape]
                    ) -> RGB | str:
        fill = shape.fill
        if isinstance(fill, tuple) or fill == "unknown":
            return fill
        if shape.rect is not None:
            cx, cy = shape.rect.x + shape.rect.w / 2, shape.rect.y + shape.rect.h / 2
            index = shapes.index(shape)
            for below in reversed(shapes[:index]):
                if below.rect is None or not below.rect.contains_point(cx, cy):
                    continue
                if below.kind in ("pic", "graphicFrame"):
                    return "unknown"
                if below.kind == "sp" and below.fill not in (None, "none"):
                    return below.fill  # type: ignore[return-value]
        return "slide-background"

    def _contrast(self, where: str, model: SlideModel, shape: Shape, shapes: list[Shape]
                  ) -> None:
        body = txbody_of(shape.el)
        if body is None:
            return
        background = self._background(model, shape, shapes)
        if background == "slide-background" and model.root is not None and \
                model.root.find("p:cSld/p:bg", NS) is not None:
            background = model.background()  # the slide's own background covers the layout's
            if background in (None, "none"):
                background = (255, 255, 255)
        if background == "slide-background":
            # Nothing of the slide's own lies under the text: what does is the background and
            # whatever the layout and master paint on it.
            self._contrast_with_decoration(where, model, shape, shapes, body)
            return
        if not isinstance(background, tuple):
            return
        worst: tuple[float, RGB, str] | None = None
        for para, run in self._runs_in(body):
            color = self.run_color(model, shape, para, run)
            if not isinstance(color, tuple):
                continue
            ratio = contrast_ratio(color, background)
            if worst is None or ratio < worst[0]:
                worst = (ratio, color, _text(run))
        if worst is not None and worst[0] < WCAG_MIN_RATIO:
            self.add(where, "contrast-low", "error",
                     f"text in {shape.name!r} ({_snippet(worst[2])}) has contrast "
                     f"{worst[0]:.2f}:1 ({hex_of(worst[1])} on {hex_of(background)}); "
                     f"at least {WCAG_MIN_RATIO}:1 is needed")

    def _contrast_with_decoration(self, where: str, model: SlideModel, shape: Shape,
                                  shapes: list[Shape], body: etree._Element) -> None:
        """Text on a transparent box, over the bands, pictures and fills that the layout and
        master paint under the slide: checked against each of them where the text runs."""
        if shape.rect is None:
            return
        extent = self._text_extent(model, shape, body)
        if extent is None:
            return
        backdrop = self._backdrop(model)
        colors = {}
        for para, run in self._runs_in(body):
            color = self.run_color(model, shape, para, run)
            if isinstance(color, tuple):
                colors.setdefault(color, _text(run))
        worst = None
        for color, sample in colors.items():
            clash = backdrop.worst(color, *extent)
            if clash is not None and (worst is None or clash.ratio < worst[0].ratio):
                worst = (clash, sample)
        if worst is not None:
            clash = worst[0]
            self.add(where, "contrast-low", "error",
                     f"text in {shape.name!r} ({_snippet(worst[1])}) has contrast "
                     f"{clash.ratio:.2f}:1 ({hex_of(clash.text)} on {hex_of(clash.under)}, "
                     f"{clash.what}, under {clash.share:.0%} of the text); at least "
                     f"{WCAG_MIN_RATIO}:1 is needed")

    def _backdrop(self, model: SlideModel) -> Backdrop:
        key = (model.layout_part, model.master_part)
        found = self._backdrops.get(key)
        if found is None:
            def picture(where: str, rid: str) -> RGB | None:
                part = model.layout_part if where == "layout" else model.master_part
                rel = self.pkg.rels(part).get(rid) if part else None
                blob = self.pkg.parts.get(rel.target) if rel and rel.target else None
                return average_color(blob) if blob else None

            theme_part = next(iter(self.pkg.related(model.master_part, "/theme")), None) \
                if model.master_part else None
            size = self.slide_size()
            found = Backdrop(model.layout, model.master, model.theme.colors, model.clr_map,
                             picture, (size[0] * 914400, size[1] * 914400) if size else
                             (12192000, 6858000),
                             self.pkg.xml(theme_part) if theme_part else None)
            self._backdrops[key] = found
        return found

    def _text_extent(self, model: SlideModel, shape: Shape, body: etree._Element
                     ) -> tuple[float, float, float, float] | None:
        """Where the text runs inside the box (EMU): as wide as the box, as tall as the text,
        placed by the box's vertical anchor."""
        r = shape.rect
        assert r is not None
        insets = self._shape_insets(shape)
        width = (r.w - insets[0] - insets[1]) / EMU_PER_PT
        height = (r.h - insets[2] - insets[3]) / EMU_PER_PT
        if width <= 0 or height <= 0 or not self._text_of(body).strip():
            return None
        used = min(self._text_height(model, shape, body, width), height) * EMU_PER_PT
        anchor = self._body_pr(shape, "anchor") or "t"
        top = r.y + insets[2]
        if anchor == "ctr":
            top += (height * EMU_PER_PT - used) / 2
        elif anchor == "b":
            top += height * EMU_PER_PT - used
        return r.x + insets[0], top, width * EMU_PER_PT, used

    def _overflow(self, where: str, model: SlideModel, shape: Shape) -> None:
        body = txbody_of(shape.el)
        if body is None or shape.rect is None or not self._text_of(body).strip():
            return
        if self._body_pr(shape, "wrap") == "none" or \
                (self._body_pr(shape, "vert") or "horz") != "horz":
            return
        # spAutoFit and normAutofit without a scale are not applied when PowerPoint opens a
        # file, only when someone edits the text: the box is as large as it says.
        insets = self._shape_insets(shape)
        width = (shape.rect.w - insets[0] - insets[1]) / EMU_PER_PT
        height = (shape.rect.h - insets[2] - insets[3]) / EMU_PER_PT
        if width <= 0 or height <= 0:
            return
        used = self._text_height(model, shape, body, width)
        if used > height * OVERFLOW_TOLERANCE + 1.0:
            self.add(where, "text-overflow", "error",
                     f"the text of {shape.name!r} needs about {used:.0f} pt of height, the "
                     f"box has {height:.0f} pt ({_snippet(self._text_of(body))})")

    def _text_height(self, model: SlideModel, shape: Shape, body: etree._Element,
                     width: float) -> float:
        """Estimated height in points of *body* (the shape's text) set *width* points wide;
        the overflow and the contrast checks both ask, so it is worked out once."""
        key = (body, width)
        if key not in self._heights:
            self._heights[key] = self._measure_height(model, shape, body, width)
        return self._heights[key]

    def _measure_height(self, model: SlideModel, shape: Shape, body: etree._Element,
                        width: float) -> float:
        fit = model.body_child(shape.chain[:1], ("normAutofit",))
        reduction = 0.0
        if fit is not None and fit.get("lnSpcReduction"):
            try:
                reduction = int(fit.get("lnSpcReduction")) / 100000  # type: ignore[arg-type]
            except ValueError:
                reduction = 0.0
        total = 0.0
        for i, para in enumerate(body.iterfind("a:p", NS)):
            runs = [r for r in para if local(r) in ("r", "fld", "br")]
            text = "".join("\n" if local(r) == "br" else _text(r) for r in runs)
            lead = next((r for r in runs if local(r) != "br"), None)
            sizes = [self.size_pt(model, shape, para, r) for r in runs if local(r) != "br"]
            if not sizes:
                end = para.find("a:endParaRPr", NS)
                sizes = [self.size_pt(model, shape, para, None)]
                raw = end.get("sz") if end is not None else None
                if raw and raw.isdigit():
                    sizes = [int(raw) / 100 * self._font_scale(model, shape)]
            size = max(sizes)
            bold = (self.run_attr(model, shape, para, lead, "b") or "0") in ("1", "true")
            face = self.typeface(model, shape, para, lead)
            own = first(para, _PPR)
            props = ([own] if own is not None else []) + self._level_chain(model, shape, para)
            margin = first_attr(props, "marL")
            indent_pt = int(margin) / EMU_PER_PT if margin and margin.lstrip("-").isdigit() \
                else 0.0
            factor, fixed = line_spacing(props)
            factor = max(factor - reduction, 0.5)
            lines = textfit.wrap(text, max(width - indent_pt, 1.0), size, face, bold)
            per_line = fixed if fixed else textfit.line_height(size, face, bold, factor)
            total += len(lines) * per_line
            if i:
                total += space_before_pt(props, per_line)
        return total

    def _notes(self, where: str, model: SlideModel) -> None:
        if not self.ours:
            return
        notes = self.pkg.related(model.part, "/notesSlide")
        root = self.pkg.xml(notes[0]) if notes else None
        text = ""
        if root is not None:
            for sp in root.iterfind(".//p:cSld/p:spTree/p:sp", NS):
                ph = sp.find("./p:nvSpPr/p:nvPr/p:ph", NS)
                if ph is not None and ph.get("type") == "body":
                    text += text_of(sp.find("p:txBody", NS))
        if not text.strip():
            self.add(where, "notes-missing", "error",
                     "the slide has no speaker notes; every slide of an etikkverksted deck "
                     "tells the facilitator what to do")


def same_language(a: str, b: str) -> bool:
    """True when two language tags name the same language (``nb-NO`` and ``nb`` do)."""
    return a.split("-")[0].strip().lower() == b.split("-")[0].strip().lower()


def _snippet(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def check_deck(pkg: Package, ours: bool) -> list[Finding]:
    """Return the deck findings for *pkg* (already read and structurally sound)."""
    return DeckChecker(pkg, ours).run()


__all__ = ["DeckChecker", "check_deck", "same_language"]
