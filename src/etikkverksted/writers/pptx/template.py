"""Opening a deck template and finding the slide layouts the writer needs in it.

Templates made by other tools and in other languages name their layouts differently ("Title
and Content", "Title, Content", "Tittel og innhold"), may have several slide masters, and
number their placeholders arbitrarily. So each role is found first by name, across every
master, and failing that by what the layout holds: placeholder *types* and their geometry.
The writer then uses each layout's placeholders where the template put them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from ...errors import Problem, TemplateError
from ...ooxml.backdrop import LayoutClash, layout_clashes
from ...ooxml.color import hex_of
from ...ooxml.pptx_compat import placeholder_geometry
from ...ooxml.templates import read_template
from ...resources import layouts_dir

if TYPE_CHECKING:
    from pptx.presentation import Presentation as PresentationT
    from pptx.slide import SlideLayout

Role = Literal["title", "content", "title_only", "section", "two_content"]
ROLES: tuple[Role, ...] = ("title", "content", "title_only", "section", "two_content")

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "p14": "http://schemas.microsoft.com/office/powerpoint/2010/main",
}
_SECTION_EXT = "{521415D9-36F7-43E2-AB2F-B90AF26B5E84}"

# Names as PowerPoint, LibreOffice, Google Slides and Keynote write them, in English and
# Norwegian, normalised by _norm (lower case, letters and digits only).
_NAMES: dict[Role, tuple[str, ...]] = {
    "title": ("titleslide", "tittellysbilde", "tittelside", "tittelbilde", "title"),
    "content": ("titleandcontent", "titlecontent", "tittelooginnhold", "tittelinnhold",
                "tittelogtekst", "titleandbody", "titlebody", "content", "innhold"),
    "title_only": ("titleonly", "baretittel", "kuntittel", "tittelalene", "tittel"),
    "section": ("sectionheader", "sectiontitle", "section", "inndelingsoverskrift",
                "seksjonsoverskrift", "avsnittsoverskrift", "deloverskrift"),
    "two_content": ("twocontent", "title2content", "toinnholdsdeler", "toinnhold",
                    "sammenligning", "comparison"),
}
_TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
_BODY_TYPES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE)
_IGNORED_TYPES = (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER)


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9æøå]", "", name.lower())


@dataclass(frozen=True)
class Rect:
    """A rectangle on the slide, in EMU."""

    left: int
    top: int
    width: int
    height: int

    @property
    def bottom(self) -> int:
        return self.top + self.height

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def area(self) -> int:
        return self.width * self.height


@dataclass(frozen=True)
class PlaceholderInfo:
    """One placeholder of a layout: its type, idx and where it sits."""

    type: PP_PLACEHOLDER
    idx: int
    rect: Rect
    name: str


@dataclass
class LayoutInfo:
    """One layout, where it sits (master, position) and what it holds."""

    layout: SlideLayout
    master_index: int
    name: str
    placeholders: list[PlaceholderInfo]
    clashes: list[LayoutClash] = field(default_factory=list)
    """Title or body text that would sit on a band, picture or fill it cannot be read on."""

    def of(self, *types: PP_PLACEHOLDER) -> list[PlaceholderInfo]:
        return [p for p in self.placeholders if p.type in types]

    @property
    def title(self) -> PlaceholderInfo | None:
        found = self.of(*_TITLE_TYPES)
        return found[0] if found else None

    @property
    def bodies(self) -> list[PlaceholderInfo]:
        return sorted(self.of(*_BODY_TYPES), key=lambda p: (p.rect.top, p.rect.left))


class Found(Enum):
    """How a layout was found for a role."""

    NAME = "name"
    """Its name is one of the role's names (in English or Norwegian)."""
    PLACEHOLDERS = "placeholders"
    """Its placeholders fit the role."""
    OTHER_ROLE = "other role"
    """No layout of its own: it borrows the layout of another role."""
    ANY_TITLED = "any titled"
    """No layout fits any role: the titled layout with the largest body."""


@dataclass(frozen=True)
class Provenance:
    """How the layout of a role was found, and for a borrowed one, from which role."""

    found: Found
    borrowed_from: Role | None = None
    instead_of: str | None = None
    """The layout first chosen, when another was taken because its text was hard to read
    (as ``'name' [master]``)."""

    @property
    def is_fallback(self) -> bool:
        """True when the role has no layout made for it."""
        return self.found in (Found.OTHER_ROLE, Found.ANY_TITLED)

    def __str__(self) -> str:
        """The words ``template-info`` prints."""
        if self.found is Found.OTHER_ROLE:
            words = f"fallback: {self.borrowed_from}"
        elif self.found is Found.ANY_TITLED:
            words = "fallback: any layout with a title"
        else:
            words = self.found.value
        if self.instead_of:
            words += f"; instead of {self.instead_of}, whose text would be hard to read"
        return words


@dataclass
class TemplateMap:
    """The opened template: the presentation, every layout found, and the layout per role."""

    prs: PresentationT
    source: str
    layouts: list[LayoutInfo]
    roles: dict[Role, LayoutInfo]
    how: dict[Role, Provenance]
    warnings: list[str] = field(default_factory=list)
    removed_slides: int = 0

    def layout(self, role: Role) -> LayoutInfo:
        return self.roles[role]


def default_template_path() -> Path:
    """Return the packaged default deck template."""
    return layouts_dir() / "default.pptx"


def open_template(path: Path | str | None = None) -> TemplateMap:
    """Open *path* (or the default template), strip its own slides, and map layouts to roles.

    Raises TemplateError when the file is not a usable template or has no layout with a title
    placeholder at all (every slide needs a real title for screen readers).
    """
    source = Path(path) if path is not None else default_template_path()
    info = read_template(source, "pptx")
    try:
        prs = Presentation(io.BytesIO(info.data))
    except Exception as exc:  # python-pptx raises many kinds on damaged packages
        raise TemplateError(Problem(f"the template cannot be read ({type(exc).__name__}: "
                                    f"{exc})", "save it again from PowerPoint or LibreOffice",
                                    source)) from None
    warnings = list(info.warnings)
    removed = remove_all_slides(prs)
    ensure_view_props(prs)
    layouts = list(_layouts(prs))
    clashes = layout_clashes(info.data)
    for layout in layouts:
        layout.clashes = clashes.get(str(layout.layout.part.partname), [])
    roles, how = _assign_roles(layouts)
    warnings += _avoid_clashes(layouts, roles, how)
    missing = [r for r in ROLES if r not in roles]
    if "content" in missing or "title_only" in missing:
        raise TemplateError(Problem(
            "the template has no slide layout with a title placeholder",
            "add a layout such as 'Title and Content' with a title placeholder to the "
            "template's slide master", source))
    ratio = prs.slide_width / prs.slide_height if prs.slide_height else 0
    if abs(ratio - 16 / 9) > 0.02:
        warnings.append(f"slides are {prs.slide_width / 914400:.2f} x "
                        f"{prs.slide_height / 914400:.2f} in, not 16:9; the deck keeps the "
                        "template's size")
    return TemplateMap(prs, str(source), layouts, roles, how, warnings, removed)


def _layouts(prs: PresentationT) -> Iterator[LayoutInfo]:
    for m, master in enumerate(prs.slide_masters):
        for layout in master.slide_layouts:
            phs: list[PlaceholderInfo] = []
            for ph in layout.placeholders:
                try:
                    kind = ph.placeholder_format.type
                    left, top, width, height = placeholder_geometry(ph)
                    rect = Rect(int(left), int(top), int(width), int(height))
                except (TypeError, ValueError, AttributeError):
                    continue  # a placeholder without geometry anywhere cannot be placed
                if kind in _IGNORED_TYPES:
                    continue
                phs.append(PlaceholderInfo(kind, ph.placeholder_format.idx, rect, ph.name))
            yield LayoutInfo(layout, m, layout.name or "", phs)


def _by_shape(role: Role, info: LayoutInfo, by_name: bool = False) -> bool:
    """Does the layout's set of placeholders fit *role*?

    A layout whose name already says what it is needs only the placeholders the role uses;
    an unnamed one must also have the role's proportions.
    """
    titles = info.of(*_TITLE_TYPES)
    bodies = info.of(PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
    subtitles = info.of(PP_PLACEHOLDER.SUBTITLE)
    others = [p for p in info.placeholders
              if p.type not in (*_TITLE_TYPES, *_BODY_TYPES)]
    if len(titles) != 1:
        return False
    if role == "title":
        return (titles[0].type == PP_PLACEHOLDER.CENTER_TITLE or len(subtitles) == 1) \
            and (by_name or len(bodies) == 0)
    if role == "content":
        if by_name:
            return len(bodies) + len(subtitles) >= 1
        return len(bodies) == 1 and not subtitles and not others \
            and bodies[0].rect.height > titles[0].rect.height
    if role == "title_only":
        return by_name or (not bodies and not subtitles and not others)
    if role == "section":
        if by_name:
            return True
        return len(bodies) == 1 and not others and bodies[0].rect.height <= \
            titles[0].rect.height * 1.6
    if role == "two_content":
        if len(bodies) != 2 or (others and not by_name):
            return False
        a, b = sorted(bodies, key=lambda p: p.rect.left)
        return b.rect.left >= a.rect.right - 10000 and abs(a.rect.top - b.rect.top) < 200000
    return False


def _assign_roles(layouts: list[LayoutInfo]
                  ) -> tuple[dict[Role, LayoutInfo], dict[Role, Provenance]]:
    roles: dict[Role, LayoutInfo] = {}
    how: dict[Role, Provenance] = {}
    for role in ROLES:
        by_name = [li for li in layouts if _norm(li.name) in _NAMES[role]
                   and _by_shape(role, li, by_name=True)]
        by_name.sort(key=lambda li: (_NAMES[role].index(_norm(li.name)), li.master_index))
        if by_name:
            roles[role], how[role] = by_name[0], Provenance(Found.NAME)
    named = {id(li) for li in roles.values()}
    for role in ROLES:
        if role in roles:
            continue
        by_shape = [li for li in layouts if id(li) not in named and _by_shape(role, li)]
        if by_shape:
            roles[role], how[role] = by_shape[0], Provenance(Found.PLACEHOLDERS)
    # Fallbacks between roles, so that a sparse template still gives a full deck.
    fallbacks: dict[Role, tuple[Role, ...]] = {
        "title_only": ("content",),
        "content": ("two_content", "section"),
        "section": ("title", "content"),
        "title": ("section", "content"),
        "two_content": ("content",),
    }
    for _ in range(2):
        for role in ROLES:
            if role in roles:
                continue
            for alt in fallbacks[role]:
                if alt in roles:
                    roles[role], how[role] = roles[alt], Provenance(Found.OTHER_ROLE, alt)
                    break
    if "content" not in roles:
        titled = [li for li in layouts if li.title is not None]
        if titled:
            best = max(titled, key=lambda li: sum(p.rect.area for p in li.bodies))
            for role in ROLES:
                if role not in roles:
                    roles[role], how[role] = best, Provenance(Found.ANY_TITLED)
    return roles, how


def _fixable(info: LayoutInfo) -> bool:
    """True when the writer can keep every clash of the layout readable (another text colour,
    or the part of the box clear of the decoration)."""
    return all(c.better is not None or c.free is not None for c in info.clashes)


def _avoid_clashes(layouts: list[LayoutInfo], roles: dict[Role, LayoutInfo],
                   how: dict[Role, Provenance]) -> list[str]:
    """Give each role a layout whose text can be read on what lies under it.

    A layout without a clash comes first; then the chosen one if the writer can fix its
    clashes (see :func:`_fixable`); then another that fits the role and can be fixed. A role
    left with a clash the writer cannot fix gets a warning.
    """
    warnings: list[str] = []
    for role in ROLES:
        chosen = roles.get(role)
        if chosen is None or not chosen.clashes:
            continue
        if how[role].found is Found.OTHER_ROLE:
            continue  # a role that borrows another role's layout follows it (see below)
        names = _NAMES[role]
        fits = [li for li in layouts if (_norm(li.name) in names and
                                         _by_shape(role, li, by_name=True))
                or _by_shape(role, li)]
        fits.sort(key=lambda li: (_norm(li.name) != _norm(chosen.name),
                                  _norm(li.name) not in names, li.master_index))
        clear = [li for li in fits if not li.clashes]
        fixable = [li for li in fits if _fixable(li)]
        pick = clear[0] if clear else chosen if _fixable(chosen) else \
            fixable[0] if fixable else None
        if pick is not None and pick is not chosen:
            roles[role] = pick
            how[role] = replace(how[role],
                                instead_of=f"'{chosen.name}' [{chosen.master_index}]")
        if pick is None or pick.clashes:
            info = pick or chosen
            clash = info.clashes[0]
            fixed = f"; the deck sets that text in {hex_of(clash.better)}" if clash.better \
                else "; the deck keeps that text clear of it" if clash.free else \
                ": change the layout's text colour or move its decoration"
            warnings.append(f"'{role}' slides use {clash.describe()}{fixed}")
    for role in ROLES:
        borrowed = how[role].borrowed_from if role in how else None
        if borrowed is not None and borrowed in roles:
            roles[role] = roles[borrowed]
    return warnings


def remove_all_slides(prs: PresentationT) -> int:
    """Remove the template's own slides with their relationships, sections and custom shows.

    Leaving either the ``sldId`` or the relationship behind makes PowerPoint offer to repair
    the file; sections and custom shows may still point at removed slides, so they go too.
    Parts no longer reachable (the slides, their notes) are not written when saving.
    """
    pres = prs.element
    sld_id_lst = pres.find("p:sldIdLst", NS)
    count = 0
    if sld_id_lst is not None:
        for sld_id in list(sld_id_lst):
            rid = sld_id.get(f"{{{NS['r']}}}id")
            sld_id_lst.remove(sld_id)
            if rid:
                prs.part.drop_rel(rid)
            count += 1
    for cust in pres.findall("p:custShowLst", NS):
        pres.remove(cust)
    for ext in pres.findall("p:extLst/p:ext", NS):
        if ext.get("uri") == _SECTION_EXT or ext.find("p14:sectionLst", NS) is not None:
            ext.getparent().remove(ext)
    ext_lst = pres.find("p:extLst", NS)
    if ext_lst is not None and len(ext_lst) == 0:
        pres.remove(ext_lst)
    return count


_VIEW_PROPS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<p:viewPr xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    b'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
    b'<p:normalViewPr><p:restoredLeft sz="15620"/><p:restoredTop sz="94660"/>'
    b'</p:normalViewPr><p:gridSpacing cx="72008" cy="72008"/></p:viewPr>'
)


def ensure_view_props(prs: PresentationT) -> bool:
    """Add a view-properties part when the template lacks one (LibreOffice exports none);
    PowerPoint offers to repair a presentation without it. Returns True when added."""
    from pptx.opc.package import Part
    from pptx.opc.packuri import PackURI

    if any(rel.reltype == RT.VIEW_PROPS for rel in prs.part.rels.values()):
        return False
    part = Part(PackURI("/ppt/viewProps.xml"),
                "application/vnd.openxmlformats-officedocument.presentationml.viewProps+xml",
                prs.part.package, _VIEW_PROPS)
    prs.part.relate_to(part, RT.VIEW_PROPS)
    return True


def register_notes_master(prs: PresentationT) -> None:
    """List the notes master in presentation.xml (python-pptx only adds the relationship)."""
    pres = prs.element
    rid = next((r for r, rel in prs.part.rels.items() if rel.reltype == RT.NOTES_MASTER), None)
    if rid is None:
        return
    lst = pres.find("p:notesMasterIdLst", NS)
    if lst is None:
        lst = etree.Element(f"{{{NS['p']}}}notesMasterIdLst")
        pres.find("p:sldMasterIdLst", NS).addnext(lst)
    for child in list(lst):
        lst.remove(child)
    etree.SubElement(lst, f"{{{NS['p']}}}notesMasterId").set(f"{{{NS['r']}}}id", rid)


def theme_fonts(prs: PresentationT, master_index: int = 0) -> tuple[str | None, str | None]:
    """Return the (major, minor) latin typefaces of a master's theme."""
    master = prs.slide_masters[master_index]
    try:
        theme_part = master.part.part_related_by(RT.THEME)
    except KeyError:
        return None, None
    theme = etree.fromstring(theme_part.blob)
    major = theme.find(".//a:fontScheme/a:majorFont/a:latin", NS)
    minor = theme.find(".//a:fontScheme/a:minorFont/a:latin", NS)
    return (major.get("typeface") if major is not None else None,
            minor.get("typeface") if minor is not None else None)
