"""The PowerPoint writer: a facilitation deck from a :class:`WorkshopPlan`.

``render_pptx(plan, path)`` writes the deck; ``template_info(path)`` explains how an agency
template will be used. The writer makes no content decisions: slides, notes and labels all
come from the plan. See the modules for each concern: ``template`` (layouts), ``slides``
(one or more slides per segment), ``notes``, ``charts``, ``diagrams``, ``fit`` and
``language``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ...ooxml.pptx_compat import fast_placeholder_lookup, has_text, package_members
from ...ooxml.properties import build_datetime, set_core_properties
from ...ooxml.textfit import has_metric_twin
from ...ooxml.zipfiles import normalize_members
from ...output import write_bytes_atomic
from .language import localize_prompts, tag_presentation
from .template import ROLES, TemplateMap, open_template, register_notes_master, theme_fonts

if TYPE_CHECKING:
    import datetime as dt

    from pptx.presentation import Presentation

    from ...planning.model import WorkshopPlan

__all__ = ["TemplateReport", "render_pptx", "render_pptx_bytes", "template_info"]


def render_pptx_bytes(plan: WorkshopPlan, template: Path | str | None = None) -> bytes:
    """Return the deck for *plan* as bytes, identical for the same plan and template."""
    from .notes import forget_notes
    from .slides import DeckBuilder

    # The notes maker holds parts of one presentation: start each deck empty, so a batch
    # worker does not keep every earlier deck alive.
    forget_notes()
    try:
        with fast_placeholder_lookup():
            tmpl = open_template(template if template is not None else plan.template)
            stamp = build_datetime(plan.date)
            builder = DeckBuilder(plan, tmpl, stamp)
            builder.build()
            _finish(tmpl.prs, plan, stamp)
        members = package_members(tmpl.prs)
    finally:
        forget_notes()
    return normalize_members(members, stamp)


def render_pptx(plan: WorkshopPlan, path: Path | str, template: Path | str | None = None
                ) -> Path:
    """Write the facilitation deck for *plan* to *path* (atomically) and return the path.

    *template* is an agency's .pptx/.potx; without it the plan's template, else the packaged
    default. Raises TemplateError for an unusable template, OutputError when *path* cannot be
    written.
    """
    path = Path(path)
    write_bytes_atomic(path, render_pptx_bytes(plan, template))
    return path


def _finish(prs: Presentation, plan: WorkshopPlan, stamp: dt.datetime) -> None:
    """Whole-deck passes: empty placeholders, reading order, language, notes master, metadata."""
    for slide in prs.slides:
        tree = slide.shapes.element
        for shape in list(slide.placeholders):
            if not has_text(shape):
                tree.remove(shape.element)
        title = slide.shapes.title
        if title is not None:
            # Screen readers read the shape tree in order: the title goes first.
            tree.remove(title.element)
            tree.insert(2, title.element)
    tag_presentation(prs, plan.language_tag)
    localize_prompts(prs, plan.labels, plan.language_tag, f"{plan.date:%d.%m.%Y}")
    register_notes_master(prs)
    set_core_properties(prs.core_properties, title=plan.title, subject=plan.subtitle,
                        author=plan.facilitator or plan.agency, language=plan.language_tag,
                        stamp=stamp)


@dataclass
class TemplateReport:
    """What ``template-info`` prints: layouts, placeholders, role per slide type, warnings."""

    source: str
    slide_size: tuple[float, float]
    layouts: list[tuple[int, str, list[str]]]
    roles: dict[str, tuple[str, int, str]]
    warnings: list[str] = field(default_factory=list)
    removed_slides: int = 0

    def __str__(self) -> str:
        lines = [f"Template: {self.source}",
                 f"Slide size: {self.slide_size[0]:.2f} x {self.slide_size[1]:.2f} in",
                 f"Example slides removed when building: {self.removed_slides}", "",
                 "Layouts (master, name: placeholders):"]
        for master, name, phs in self.layouts:
            lines.append(f"  [{master}] {name}: {', '.join(phs) if phs else '(none)'}")
        lines += ["", "Slide types and the layout each uses:"]
        for role, (name, master, how) in self.roles.items():
            lines.append(f"  {role:<12} -> [{master}] {name}  ({how})")
        if self.warnings:
            lines += ["", "Warnings:"] + [f"  - {w}" for w in self.warnings]
        else:
            lines += ["", "No problems found."]
        return "\n".join(lines)


def _report(tmpl: TemplateMap) -> TemplateReport:
    layouts = []
    for info in tmpl.layouts:
        phs = []
        for p in info.placeholders:
            r = p.rect
            phs.append(f"{p.type.name.lower()}#{p.idx} at {r.left / 360000:.1f},"
                       f"{r.top / 360000:.1f} cm size {r.width / 360000:.1f}x"
                       f"{r.height / 360000:.1f} cm")
        phs += [f"LOW CONTRAST: {c.placeholder} {c.clash.describe()}" for c in info.clashes]
        layouts.append((info.master_index, info.name, phs))
    roles = {role: (info.name, info.master_index, str(tmpl.how[role]))
             for role, info in tmpl.roles.items()}
    warnings = list(tmpl.warnings)
    for role in ROLES:
        if role not in tmpl.roles:
            warnings.append(f"no layout for '{role}' slides")
        elif tmpl.how[role].is_fallback:
            warnings.append(f"no layout made for '{role}' slides; using "
                            f"'{tmpl.roles[role].name}' instead")
    content = tmpl.roles.get("content")
    if content is not None and content.bodies:
        body = max(content.bodies, key=lambda p: p.rect.area).rect
        share = body.area / max(int(tmpl.prs.slide_width) * int(tmpl.prs.slide_height), 1)
        if share < 0.3:
            warnings.append(f"the content placeholder of '{content.name}' covers only "
                            f"{share:.0%} of the slide: text continues on many slides, and "
                            "diagrams may be too cramped for 18 pt labels")
    fonts = {f for i in range(len(tmpl.prs.slide_masters)) for f in theme_fonts(tmpl.prs, i)}
    for font in sorted(f for f in fonts if f):
        if not font.startswith("+") and not has_metric_twin(font):
            warnings.append(f"font '{font}' has no free metric-compatible twin installed; text "
                            "is measured with a wider stand-in font, so it may be set a little "
                            "smaller than needed")
    return TemplateReport(tmpl.source, (tmpl.prs.slide_width / 914400,
                                        tmpl.prs.slide_height / 914400),
                          layouts, roles, warnings, tmpl.removed_slides)


def template_info(path: Path | str | None = None) -> TemplateReport:
    """Return what the writer finds in the template at *path* (default: the packaged one).

    ``str()`` of the result is the text ``etikkverksted template-info FILE`` prints. Raises
    TemplateError for a template that cannot be used at all.
    """
    return _report(open_template(path))

