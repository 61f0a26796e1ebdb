"""One Word document in the making: template, styles, language, footer, properties, saving.

:class:`Handout` is what every document module (participant sheet, facilitator guide, minutes,
cards) writes into. It opens the agency's template (or ``layouts/default.docx``) through
:func:`~etikkverksted.ooxml.templates.read_template`, empties its body but keeps its styles,
headers and footers, and supplies what a template may lack (python-docx #1333): the styles the
writers use, copied from the default layout, and a numbering part. On :meth:`Handout.save` it
stamps the document language on defaults, styles and every run (python-docx has no API for
``w:lang``), adds a "page X of Y" footer when the template has no page number, pins the core
properties, and writes byte-identical output through :func:`normalize_package`.

Text comes from the plan; the few fixed words come from ``plan.labels`` (keys ``docx_*``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import threading
import zipfile
from collections import OrderedDict
from copy import deepcopy
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.styles import BabelFish
from docx.text.paragraph import Paragraph
from lxml import etree
from lxml.etree import SubElement

from ...errors import Problem, TemplateError
from ...ooxml.docx_compat import (
    add_run,
    add_to_body,
    header_footer_element,
    new_paragraph,
    package_members,
    paragraph_element,
    set_keep_with_next,
    set_paragraph_style,
    set_run_size,
    set_spacing,
    share_part_element,
)
from ...ooxml.properties import build_datetime, set_core_properties
from ...ooxml.templates import read_template
from ...ooxml.zipfiles import normalize_members
from ...output import write_bytes_atomic
from ...resources import layouts_dir
from .lists import ListKind, Lists
from .tables import CellContent, add_table

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table

    from ...planning.model import WorkshopPlan

REQUIRED_STYLES = (
    "Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "List Bullet",
    "List Number", "Table Grid", "Quote", "Caption", "Footer", "Card Text",
)
"""Styles the writers use; missing ones are copied from the default layout."""

_LANG_SUCCESSORS = tuple(qn(t) for t in ("w:eastAsianLayout", "w:specVanish", "w:oMath",
                                         "w:rPrChange"))
_W_STYLE, _W_STYLE_ID, _W_TYPE, _W_NAME, _W_VAL = (
    qn("w:style"), qn("w:styleId"), qn("w:type"), qn("w:name"), qn("w:val"))
_W_R, _W_RPR, _W_LANG, _W_P = (
    qn("w:r"), qn("w:rPr"), qn("w:lang"), qn("w:p"))
_W_PPR, _W_NUM_PR, _W_NUM_ID, _W_NUM = qn("w:pPr"), qn("w:numPr"), qn("w:numId"), qn("w:num")
_RUNS_TO_STAMP = etree.XPath(
    ".//w:r[not(*[1][self::w:rPr]/w:lang[1][@w:val=$lang])]",
    namespaces={"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"})
"""Every run below a root that does not carry *lang* yet (most are written with it): what
the stamp would leave unchanged is not visited at all."""
_STYLE_REFS = (qn("w:basedOn"), qn("w:next"), qn("w:link"))
_STYLE_RPR_SUCCESSORS = frozenset(qn(t) for t in ("w:tblPr", "w:trPr", "w:tcPr",
                                                  "w:tblStylePr"))
"""What follows ``w:rPr`` in a ``w:style``."""
_TEXT_STYLE_TYPES = (None, "paragraph", "character")
"""Style types that carry run properties (python-docx reads a missing type as paragraph)."""
_FIELD = re.compile(r"\{(page|pages)\}")
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


class _Prepared:
    """A template as :class:`Handout` prepares it before writing: body emptied, styles
    supplied and repaired, numbering part present, the ids of :data:`REQUIRED_STYLES`.

    The styles part (350 KB in the default layout) is what opening, stamping and saving a
    document spend most on, and no writer changes it after preparation: the package is kept
    with an empty styles part in its place (:attr:`package`), the prepared styles are parsed
    once into an element every later document of this template reads (never writes), and
    what the styles part is saved as after :meth:`Handout._language` (the only change to it)
    is kept per language, taken from the first document that saves it.
    """

    def __init__(self, members: list[tuple[str, bytes]], styles_name: str | None,
                 style_ids: dict[str | None, str | None], footer_style_id: str | None) -> None:
        self.styles_name = styles_name
        self.styles_xml = dict(members).get(styles_name) if styles_name else None
        if self.styles_xml is None:
            self.styles_name = None
        else:
            members = [(name, _EMPTY_STYLES if name == styles_name else data)
                       for name, data in members]
        self.package = _stored_zip(members)
        self.style_ids = tuple(style_ids.items())
        self.footer_style_id = footer_style_id
        self.table_style_ids: dict[str, str | None] = {}
        """What python-docx resolves a table style name to, filled by the documents."""
        self.style_fonts: dict[str, str | None] = {}
        """:meth:`Handout.style_font` by style name, filled by the documents."""
        self._lock = threading.Lock()
        self._styles: BaseOxmlElement | None = None
        self._saved: dict[str, bytes] = {}

    def styles_element(self) -> BaseOxmlElement:
        """The prepared styles, parsed once; read by every later document, written by none."""
        with self._lock:
            if self._styles is None:
                self._styles = parse_xml(self.styles_xml)
            return self._styles

    def saved_styles(self, lang: str) -> bytes:
        """The styles part as a document in *lang* saves it."""
        with self._lock:
            if lang not in self._saved:
                styles = parse_xml(self.styles_xml)
                _stamp_styles(styles, lang)
                self._saved[lang] = serialize_part_xml(styles)
            return self._saved[lang]

    def remember_saved_styles(self, lang: str, data: bytes) -> None:
        with self._lock:
            self._saved.setdefault(lang, data)


_EMPTY_STYLES = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 b'<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
                 b'main"/>')
"""What stands in the kept package for the styles part, which documents share instead."""
_NO_FOOTER_STYLE = "\0no Footer style"
"""Stands for "the template has no Footer style" (python-docx raises KeyError)."""


class _PreparedTemplates:
    """The last few templates prepared in this process, keyed by their whole content.

    A pack opens the same template for four or five documents; preparing it (parsing and
    walking a styles part of a few hundred KB) is done once. The key is the template's
    bytes as :func:`read_template` returned them, so a changed template never meets a stale
    entry; what else preparation depends on (the default layout's styles, this module's
    code) does not change while the process runs.
    """

    def __init__(self, size: int = 4) -> None:
        self.size = size
        self.entries: OrderedDict[bytes, _Prepared] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, data: bytes) -> _Prepared | None:
        with self.lock:
            entry = self.entries.get(data)
            if entry is not None:
                self.entries.move_to_end(data)
            return entry

    def remember(self, data: bytes, prepared: _Prepared) -> None:
        with self.lock:
            self.entries[data] = prepared
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


    def forget(self) -> None:
        with self.lock:
            self.entries.clear()


_PREPARED = _PreparedTemplates()


def forget_prepared_templates() -> None:
    """Drop every prepared template of this process (a web worker does after a request with
    an uploaded template, so that the agency's template does not outlive the request)."""
    _PREPARED.forget()


def _stored_zip(members: list[tuple[str, bytes]]) -> bytes:
    """An uncompressed zip of *members*: only this process reads it back."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for name, data in members:
            dst.writestr(name, data)
    return out.getvalue()


class DocumentSource(Protocol):
    """What a :class:`Handout` reads from the thing it renders: a workshop plan, or another
    report (DFD's overview) that has the same few attributes."""

    language_tag: str
    docx_template: str | None
    agency: str
    date: dt.date

    def label(self, key: str) -> str: ...


def default_template() -> Path:
    """Return the packaged default handout layout."""
    return layouts_dir() / "default.docx"


@cache
def _default_styles_xml() -> bytes:
    document = Document(str(default_template()))
    return document.styles.element.xml.encode()


def format_date(value: dt.date) -> str:
    """Return *value* the Norwegian numeric way, ``dd.mm.yyyy``."""
    return value.strftime("%d.%m.%Y")


def format_time(value: dt.time) -> str:
    """Return *value* as ``HH:MM`` (Norwegian uses the colon or the period; we use the colon)."""
    return value.strftime("%H:%M")


def set_lang(rpr, tag: str) -> None:
    """Set ``w:lang`` on the run properties *rpr*, at its place in the schema sequence."""
    lang = rpr.find(_W_LANG)
    if lang is not None:
        lang.set(_W_VAL, tag)
        return
    for child in rpr:
        if child.tag in _LANG_SUCCESSORS:
            child.addprevious(rpr.makeelement(_W_LANG, {_W_VAL: tag}))
            return
    SubElement(rpr, _W_LANG, {_W_VAL: tag})


class Handout:
    """A Word document for one plan: open, write into it, then :meth:`save` once."""

    def __init__(self, plan: WorkshopPlan | DocumentSource, title: str,
                 template: Path | None = None, *,
                 footer: bool = True) -> None:
        self.plan = plan
        self.with_footer = footer
        self._body = None
        self.title = title
        self.lang = plan.language_tag
        source = template or (Path(plan.docx_template) if plan.docx_template else None)
        self.custom_template = source is not None
        info = read_template(source or default_template(), "docx")
        self.warnings = info.warnings
        prepared = _PREPARED.get(info.data)
        # A later document of a prepared template shares its styles (see _Prepared); the
        # first one has its own and hands over what they are saved as.
        self._shared_styles: _Prepared | None = None
        self._first_of: _Prepared | None = None
        if prepared is not None:
            # The template as the first document of this template was prepared: same parts,
            # styles and numbering, without walking styles.xml again.
            self.doc = Document(io.BytesIO(prepared.package))
            if prepared.styles_name is not None:
                share_part_element(self.doc.part.part_related_by(RT.STYLES),
                                   prepared.styles_element())
                self._shared_styles = prepared
            self.style_ids = dict(prepared.style_ids)
            self.footer_style_id = prepared.footer_style_id
            self._table_style_ids = prepared.table_style_ids
            self._style_fonts = prepared.style_fonts
            self.lists = Lists(self.doc, self.style_ids, self.lang)
            return
        try:
            self.doc: DocxDocument = Document(io.BytesIO(info.data))
        except Exception as exc:  # python-docx raises many types on a broken package
            raise TemplateError(Problem(f"python-docx cannot open the template ({exc})",
                                        "save it again from Word or LibreOffice as .docx",
                                        source)) from None
        self._clear_body()
        self._drop_styles_with_effects()
        names = self._style_names()
        if self._supply_styles({name for name, _ in names}):
            names = self._style_names()
        # python-docx resolves a style name by walking every style; do it once per name.
        self.style_ids = {name: style_id for name, style_id in names
                          if name in REQUIRED_STYLES}
        self.lists = Lists(self.doc, self.style_ids, self.lang)
        self._repair_style_references()
        # What python-docx's ``paragraph.style = styles["Footer"]`` writes (None when Footer
        # is the default paragraph style). A template where that fails fails, as before,
        # only when a footer is made.
        try:
            self.footer_style_id = self.doc.part.get_style_id(
                self.doc.styles["Footer"], WD_STYLE_TYPE.PARAGRAPH)
        except (KeyError, ValueError):
            self.footer_style_id = _NO_FOOTER_STYLE
        try:
            styles_name = self.doc.part.part_related_by(RT.STYLES).partname.membername
        except KeyError:
            styles_name = None
        self._first_of = _Prepared(package_members(self.doc), styles_name, self.style_ids,
                                   self.footer_style_id)
        self._table_style_ids = self._first_of.table_style_ids
        self._style_fonts = self._first_of.style_fonts
        _PREPARED.remember(info.data, self._first_of)

    # -- labels ------------------------------------------------------------------------------

    def label(self, key: str, **values: object) -> str:
        """Return the label *key*, with ``{name}`` placeholders filled from *values*."""
        text = self.plan.label(key)
        return text.format(**values) if values else text

    # -- template preparation ---------------------------------------------------------------

    def _style_names(self) -> list[tuple[str | None, str | None]]:
        """(name, id) of every style in document order, as python-docx's ``style.name`` and
        ``style.style_id`` give them, read straight from ``styles.xml``."""
        result = []
        for el in self.doc.styles.element.iterchildren(_W_STYLE):
            name_el = el.find(_W_NAME)
            name = name_el.get(_W_VAL) if name_el is not None else None
            result.append((BabelFish.internal2ui(name) if name is not None else None,
                           el.get(_W_STYLE_ID)))
        return result

    def table_style_id(self, name: str) -> str | None:
        """The ``w:tblStyle`` value python-docx's ``table.style = styles[name]`` writes (None
        for the default table style), resolved once per name and template (the styles do
        not change after preparation)."""
        if name not in self._table_style_ids:
            self._table_style_ids[name] = self.doc.part.get_style_id(
                self.doc.styles[name], WD_STYLE_TYPE.TABLE)
        return self._table_style_ids[name]

    def _clear_body(self) -> None:
        """Remove a template's sample content; keep the final section (page set-up, footer)."""
        body = self.doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)

    def _drop_styles_with_effects(self) -> None:
        """Remove Word 2010's copy of the styles (``stylesWithEffects.xml``).

        It must match ``styles.xml`` exactly, and we change the styles (language, supplied
        styles); a stale copy makes Word report unreadable content. Word 2013 and later do not
        use it, and Word 2010 rebuilds it.
        """
        part = self.doc.part
        for rid, rel in list(part.rels.items()):
            if rel.reltype == _STYLES_WITH_EFFECTS:
                part.drop_rel(rid)
                part.rels.pop(rid, None)

    def _repair_style_references(self) -> None:
        """Remove style links and numbering that point at nothing (templates carry such)."""
        styles = list(self.doc.styles.element.iterchildren(_W_STYLE))
        ids = {el.get(_W_STYLE_ID) for el in styles}
        numbering = self.lists.numbering
        num_ids = {el.get(_W_NUM_ID) for el in numbering.iterchildren(_W_NUM)} | {"0"}
        for style in styles:
            for tag in _STYLE_REFS:
                el = style.find(tag)
                if el is not None and el.get(_W_VAL) not in ids:
                    style.remove(el)
            ppr = style.find(_W_PPR)
            num_pr = ppr.find(_W_NUM_PR) if ppr is not None else None
            if num_pr is not None:
                num_id = num_pr.find(_W_NUM_ID)
                if num_id is not None and num_id.get(_W_VAL) not in num_ids:
                    ppr.remove(num_pr)

    def _supply_styles(self, have_names: set[str | None]) -> bool:
        """Copy every required style the template lacks (*have_names* are the names it has)
        from the default layout; return whether any was missing."""
        styles_el = self.doc.styles.element
        if all(name in have_names for name in REQUIRED_STYLES):
            return False  # the default template and most agency templates have them all
        have_ids = {el.get(qn("w:styleId")) for el in styles_el.findall(qn("w:style"))}
        source = parse_xml(_default_styles_xml())
        by_id = {el.get(qn("w:styleId")): el for el in source.findall(qn("w:style"))}
        by_name = {el.find(qn("w:name")).get(qn("w:val")).lower(): el for el in by_id.values()}

        def copy_style(element) -> None:
            style_id = element.get(qn("w:styleId"))
            if style_id in have_ids:
                return
            clone = deepcopy(element)
            have_ids.add(style_id)
            styles_el.append(clone)
            for ref in ("w:basedOn", "w:next", "w:link"):
                ref_el = clone.find(qn(ref))
                if ref_el is None:
                    continue
                target = ref_el.get(qn("w:val"))
                if target in have_ids:
                    continue
                if target in by_id:
                    copy_style(by_id[target])
                else:
                    clone.remove(ref_el)
            # Numbering of the default's list styles points into the default's numbering
            # part; our lists set numbering on each paragraph instead.
            ppr = clone.find(qn("w:pPr"))
            if ppr is not None and ppr.find(qn("w:numPr")) is not None:
                ppr.remove(ppr.find(qn("w:numPr")))

        for name in REQUIRED_STYLES:
            if name in have_names:
                continue
            element = by_name.get(name.lower())
            if element is None:
                continue
            style_id = element.get(qn("w:styleId"))
            if style_id in have_ids:
                # The id is taken by another style (localised Word names its styles
                # differently); give ours a fresh id.
                element = deepcopy(element)
                element.set(qn("w:styleId"), f"Ev{style_id}")
            copy_style(element)
            have_names.add(name)
        return True

    def style_font(self, name: str) -> str | None:
        """The Latin typeface text in style *name* is set in: the style's own font or its base
        styles', else the document defaults, with theme fonts resolved through the theme.
        Worked out once per name and template (styles and theme do not change after
        preparation)."""
        if name not in self._style_fonts:
            self._style_fonts[name] = self._style_font(name)
        return self._style_fonts[name]

    def _style_font(self, name: str) -> str | None:
        rfonts_tag = qn("w:rFonts")
        candidates = []
        style = next((s for s in self.doc.styles if s.name == name), None)
        while style is not None:
            rpr = style.element.find(qn("w:rPr"))
            if rpr is not None and rpr.find(rfonts_tag) is not None:
                candidates.append(rpr.find(rfonts_tag))
            style = style.base_style
        defaults = self.doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/"
                                                f"{qn('w:rPr')}/{rfonts_tag}")
        if defaults is not None:
            candidates.append(defaults)
        for rfonts in candidates:
            if rfonts.get(qn("w:ascii")):
                return rfonts.get(qn("w:ascii"))
            theme = rfonts.get(qn("w:asciiTheme"))
            if theme:
                return self._theme_font("major" if theme.startswith("major") else "minor")
        return None

    def _theme_font(self, which: str) -> str | None:
        try:
            theme = self.doc.part.part_related_by(RT.THEME)
        except KeyError:
            return None
        a = "http://schemas.openxmlformats.org/drawingml/2006/main"
        latin = parse_xml(theme.blob).find(f".//{{{a}}}{which}Font/{{{a}}}latin")
        return latin.get("typeface") if latin is not None else None

    # -- writing ----------------------------------------------------------------------------

    def add_paragraph(self, container: object = None, text: str = "",
                      style: str | None = None) -> Paragraph:
        """Add a paragraph in *style* to *container* (default: the body); fast style lookup."""
        if container is None:
            body = self._body
            if body is None:
                body = self._body = self.doc.element.body
            p = body.makeelement(_W_P)
            add_to_body(body, p)
            paragraph = new_paragraph(p, self.doc)
            if text:
                add_run(paragraph, text, lang=self.lang)
        else:
            paragraph = container.add_paragraph(text)  # type: ignore[attr-defined]
        if style:
            set_paragraph_style(paragraph, self.style_ids[style])
        return paragraph

    def heading(self, text: str, level: int) -> Paragraph:
        """Add a real heading (navigation pane, screen readers) at *level* 1-3."""
        return self.add_paragraph(None, text, f"Heading {level}")

    def paragraph(self, text: str = "", style: str | None = None, *, bold_lead: str = "",
                  italic: bool = False, space_after_pt: float | None = None,
                  keep_with_next: bool = False) -> Paragraph:
        """Add a paragraph; *bold_lead* goes first, in bold (``"Kilde:"`` before a source)."""
        paragraph = self.add_paragraph(None, "", style)
        lang = self.lang
        if bold_lead:
            add_run(paragraph, bold_lead, bold=True, lang=lang)
            if text:
                add_run(paragraph, " ", lang=lang)
        if text:
            # python-docx's ``run.italic = None`` left an empty w:rPr, which the language
            # stamp on save fills exactly as it fills a run without one.
            add_run(paragraph, text, italic=italic, lang=lang)
        if space_after_pt is not None:
            set_spacing(paragraph, after=space_after_pt)
        if keep_with_next:
            set_keep_with_next(paragraph)
        return paragraph

    def lead(self, text: str) -> Paragraph:
        """Add a short bold line that introduces the list below it and stays with it."""
        paragraph = self.add_paragraph()
        add_run(paragraph, text, bold=True, lang=self.lang)
        set_keep_with_next(paragraph)
        set_spacing(paragraph, after=2)
        return paragraph

    def items(self, texts: list[str], kind: ListKind = "bullet", *,
              font_pt: float | None = None) -> list[Paragraph]:
        """Add *texts* as a new list of *kind*; numbered lists restart at 1."""
        paragraphs = self.lists.add(self.doc, [t for t in texts if t], kind)
        if font_pt:
            for paragraph in paragraphs:
                for run in paragraph.runs:
                    set_run_size(run, font_pt)
        return paragraphs

    def table(self, headers: list[str], rows: list[list[CellContent]], widths_cm: list[float],
              caption: str, description: str, **options: object) -> Table:
        """Add an accessible table (see :func:`tables.add_table`)."""
        style = str(options.pop("style", "Table Grid"))
        return add_table(self.doc, headers, rows, widths_cm, caption, description,
                         style=style, style_id=self.table_style_id(style),
                         **options)  # type: ignore[arg-type]

    @property
    def text_width_cm(self) -> float:
        """Width between the margins of the last section, in centimetres."""
        section = self.doc.sections[-1]
        width = section.page_width - section.left_margin - section.right_margin
        return round(width / 360000, 2)

    # -- finishing --------------------------------------------------------------------------

    def _footer(self) -> None:
        """Add "page X of Y" to the footer unless the template's footer already numbers pages."""
        section = self.doc.sections[0]
        footer = section.footer
        xml = "" if footer.is_linked_to_previous else \
            "".join(paragraph_element(p).xml for p in footer.paragraphs)
        if "PAGE" in xml:
            return
        if footer.paragraphs and not footer.paragraphs[-1].text and \
                len(footer.paragraphs) == 1 and not footer.paragraphs[0].runs:
            paragraph = footer.paragraphs[0]
        else:
            paragraph = footer.add_paragraph()
        if self.footer_style_id is _NO_FOOTER_STYLE:
            paragraph.style = self.doc.styles["Footer"]  # raises KeyError, as it always did
        else:
            paragraph_element(paragraph).style = self.footer_style_id
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        lead = f"{self.title} \u00b7 {self.plan.agency} \u00b7 "
        add_run(paragraph, lead)
        template = self.label("docx_page_of")
        pos = 0
        for match in _FIELD.finditer(template):
            if match.start() > pos:
                add_run(paragraph, template[pos:match.start()])
            _add_field(paragraph, "PAGE" if match.group(1) == "page" else "NUMPAGES")
            pos = match.end()
        if pos < len(template):
            add_run(paragraph, template[pos:])

    def _language(self) -> None:
        """Stamp the document language on defaults, styles, every run, and settings."""
        if self._shared_styles is None:  # shared styles are saved as stamped (see _Prepared)
            _stamp_styles(self.doc.styles.element, self.lang)
        parts = [self.doc.element.body]
        for section in self.doc.sections:
            for hf in (section.footer, section.header):
                if not hf.is_linked_to_previous:
                    parts.append(header_footer_element(hf))
        lang = self.lang
        for root in parts:
            for run in _RUNS_TO_STAMP(root, lang=lang):
                # w:rPr is a run's first child (python-docx's get_or_add_rPr inserts it there).
                rpr = run[0] if len(run) else None
                if rpr is None or rpr.tag != _W_RPR:
                    rpr = run.makeelement(_W_RPR)
                    run.insert(0, rpr)
                    SubElement(rpr, _W_LANG, {_W_VAL: lang})  # set_lang on an empty w:rPr
                    continue
                set_lang(rpr, lang)
        settings = self.doc.settings.element
        theme_lang = settings.find(qn("w:themeFontLang"))
        if theme_lang is not None:
            theme_lang.set(qn("w:val"), self.lang)

    def _properties(self, subject: str) -> None:
        set_core_properties(self.doc.core_properties, title=self.title, subject=subject,
                            author=self.plan.agency, language=self.lang,
                            stamp=build_datetime(self.plan.date))

    def save(self, path: Path, subject: str) -> Path:
        """Finish the document and write it atomically to *path*; return *path*."""
        if self.with_footer:
            self._footer()
        self._language()
        self._properties(subject)
        # The package's parts go straight into the reproducible zip writer (one deflate, not
        # python-docx's zip inflated and deflated again).
        shared = self._shared_styles
        members = package_members(self.doc, {shared.styles_name: shared.saved_styles(self.lang)}
                                  if shared is not None and shared.styles_name else None)
        first = self._first_of
        if first is not None and first.styles_name is not None:
            first.remember_saved_styles(self.lang, dict(members)[first.styles_name])
        data = normalize_members(members, build_datetime(self.plan.date))
        path = Path(path)
        write_bytes_atomic(path, data)
        return path


def _stamp_styles(styles_el, lang: str) -> None:
    """Stamp *lang* on the document defaults and on every paragraph and character style."""
    defaults = styles_el.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = parse_xml(f'<w:docDefaults {nsdecls("w")}/>')
        styles_el.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = parse_xml(f'<w:rPrDefault {nsdecls("w")}><w:rPr/></w:rPrDefault>')
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = parse_xml(f'<w:rPr {nsdecls("w")}/>')
        rpr_default.append(rpr)
    set_lang(rpr, lang)
    for style in styles_el.iterchildren(_W_STYLE):
        if style.get(_W_TYPE) in _TEXT_STYLE_TYPES:
            set_lang(_style_rpr(style), lang)


def _style_rpr(style):
    """The ``w:rPr`` of a ``w:style``, added at its place in the sequence when missing."""
    rpr = style.find(_W_RPR)
    if rpr is None:
        rpr = style.makeelement(_W_RPR)
        for child in style:
            if child.tag in _STYLE_RPR_SUCCESSORS:
                child.addprevious(rpr)
                break
        else:
            style.append(rpr)
    return rpr


def _add_field(paragraph: Paragraph, instruction: str) -> None:
    """Append a complex field (``PAGE``, ``NUMPAGES``) whose cached result is ``1``."""
    runs = (
        '<w:fldChar w:fldCharType="begin"/>',
        f'<w:instrText xml:space="preserve"> {instruction} </w:instrText>',
        '<w:fldChar w:fldCharType="separate"/>',
        "<w:t>1</w:t>",
        '<w:fldChar w:fldCharType="end"/>',
    )
    for inner in runs:
        paragraph_element(paragraph).append(parse_xml(f'<w:r {nsdecls("w")}>{inner}</w:r>'))


__all__ = ["Handout", "default_template", "forget_prepared_templates", "format_date",
           "format_time", "set_lang"]
