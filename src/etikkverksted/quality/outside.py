"""What in a file reaches outside it or runs: external links, macro parts, attached templates.

A deck or document may point at things its reader's Office fetches or trusts: an attached
Word template at a web address (a known way to deliver malware), a picture linked from a web
or UNC address (``\\\\host\\share`` leaks the opener's Windows credentials), a local file, or a
macro project. ``check`` reports each of them in any file it reads. Ordinary web and mail
hyperlinks in text are normal, so they are warnings in a file from elsewhere and not reported
in etikkverksted's own files (further reading links to its sources).
"""

from __future__ import annotations

from pathlib import Path

from .findings import Finding
from .package import Package, source_of

_MACRO_TYPES = ("vbaproject", "macroenabled", "vbadata", "keymapcustomizations")


def check_outside(pkg: Package, ours: bool, names: dict[str, str] | None = None
                  ) -> list[Finding]:
    """Findings for external relationships, macro parts and attached templates in *pkg*."""
    names = names or {}
    out: list[Finding] = []

    def add(part: str, code: str, severity: str, message: str) -> None:
        out.append(Finding(pkg.path, names.get(part, f"part {part}"), code,
                           severity, message))  # type: ignore[arg-type]

    for part in sorted(pkg.parts):
        lower = part.lower()
        ctype = (pkg.content_type(part) or "").lower()
        if lower.endswith("vbaproject.bin") or any(t in ctype for t in _MACRO_TYPES):
            add(part, "macro", "error", "the file carries a macro project; macros can run "
                "code when the file is opened — remove them (save without macros)")
    for rels in sorted(n for n in pkg.parts if n.endswith(".rels")):
        source = source_of(rels)
        if source is None:
            continue
        for rel in pkg.rels(source).values():
            kind = rel.type.rsplit("/", 1)[-1]
            where = source or rels
            if kind == "attachedTemplate":
                add(where, "attached-template", "error",
                    f"the document is attached to the template {rel.raw_target}; Word "
                    "fetches and trusts it when the file is opened — remove it "
                    "(Developer > Document Template)")
                continue
            if not rel.external:
                continue
            target = rel.raw_target
            lower = target.lower()
            web = lower.startswith(("http://", "https://", "mailto:"))
            if kind == "hyperlink" and web:
                if not ours:
                    add(where, "external-link", "warning", f"a hyperlink to {target}")
                continue
            if target.startswith("\\\\") or lower.startswith(("file:", "smb:")) or \
                    (len(target) > 1 and target[1] == ":"):
                what = "a network or local file, which can leak the opener's credentials"
            elif web:
                what = "a web address that Office or LibreOffice fetches when it opens the file"
            else:
                what = "an outside target"
            add(where, "external-link", "error",
                f"a relationship of type {kind} points at {target} ({what}); embed the "
                "content or remove the link")
    return out


def check_pack_state(path: Path) -> list[Finding]:
    """An error when *path* lies beside a build's staging folder: a build into this folder
    is running, or was killed while it moved its files into place, so the files here may be
    a part of a pack that only looks finished. The next build into the folder completes it
    and removes the staging folder; a finished pack has its ``<stem>.manifest.json``.
    """
    from ..output import STAGING_PREFIX

    try:
        staging = [e.name for e in Path(path).parent.iterdir()
                   if e.name.startswith(STAGING_PREFIX) and e.is_dir()]
    except OSError:
        return []
    if not staging:
        return []
    return [Finding(Path(path), "", "pack-unfinished", "error",
                    f"a build into this folder is running or was stopped ({staging[0]} is "
                    "there): the pack may be unfinished; build it again")]
