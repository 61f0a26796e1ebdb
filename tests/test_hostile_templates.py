"""Untrusted templates are refused with one clear message, quickly, offline, and read nothing else.

Each hostile template goes through the writers' public entry points (``render_pptx``,
``render_docx``), which open templates through ``ooxml.templates.read_template``. While they
run, an audit hook records every file opened and every socket connection attempted: a
template must not make the tool fetch anything or read a file outside the template.
"""

from __future__ import annotations

import io
import struct
import sys
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from etikkverksted.errors import TemplateError
from etikkverksted.planning import WorkshopPlan
from etikkverksted.resources import layouts_dir

DECK = layouts_dir() / "default.pptx"
WORD = layouts_dir() / "default.docx"
MAX_SECONDS = 10.0
MAX_PEAK_BYTES = 150 * 1024 * 1024


class _Watch:
    """Records opens and connections while active (audit hooks cannot be removed)."""

    active = False
    opened: list[str] = []  # noqa: RUF012 - one shared recorder for the process
    connected: list[object] = []  # noqa: RUF012

    @classmethod
    def hook(cls, event: str, args: tuple) -> None:
        if not cls.active:
            return
        if event == "open" and args and isinstance(args[0], str | bytes | Path):
            cls.opened.append(str(args[0]))
        elif event in ("socket.connect", "socket.getaddrinfo", "urllib.Request"):
            cls.connected.append(args)


sys.addaudithook(_Watch.hook)


@pytest.fixture
def watch() -> Iterator[type[_Watch]]:
    _Watch.opened, _Watch.connected = [], []
    _Watch.active = True
    try:
        yield _Watch
    finally:
        _Watch.active = False


def _allowed(path: str, template: Path, tmp_path: Path) -> bool:
    allowed = (str(template), str(tmp_path), sys.prefix, sys.base_prefix, "/usr/share/fonts",
               "/usr/lib/python3", str(Path(__file__).resolve().parents[1] / "src"),
               str(layouts_dir()), "/dev/urandom", "/etc/localtime", "/usr/share/zoneinfo",
               "/proc/self")
    return path.startswith(allowed) or not path.startswith("/")


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _with(path: Path, changes: dict[str, bytes | None]) -> bytes:
    members = _members(path)
    for name, data in changes.items():
        if data is None:
            members.pop(name, None)
        else:
            members[name] = data
    return _zip(members)


def _lying_sizes() -> bytes:
    """A zip whose headers claim 100 bytes for a member that inflates to 50 MB."""
    data = bytearray(_with(DECK, {"ppt/media/big.bin": b"\0" * (50 * 1024 * 1024)}))
    real = struct.pack("<I", 50 * 1024 * 1024)
    fake = struct.pack("<I", 100)
    start = data.find(b"ppt/media/big.bin")
    while start != -1:
        # Local header: size field 8 bytes before the name length fields (offset 22 of 30);
        # central directory entry: offset 24 of 46. Patch whichever precedes the name.
        for back in (8, 22):
            at = start - back - 2 if back == 8 else start - 22
            if data[at:at + 4] == real:
                data[at:at + 4] = fake
        start = data.find(b"ppt/media/big.bin", start + 1)
    return bytes(data)


def _no_layouts() -> bytes:
    members = _members(DECK)
    master = members["ppt/slideMasters/slideMaster1.xml"].decode()
    head, rest = master.split("<p:sldLayoutIdLst>", 1)
    master = head + rest.split("</p:sldLayoutIdLst>", 1)[1]
    members["ppt/slideMasters/slideMaster1.xml"] = master.encode()
    rels = members["ppt/slideMasters/_rels/slideMaster1.xml.rels"].decode()
    import re

    rels = re.sub(r'<Relationship [^>]*slideLayout[^>]*/>', "", rels)
    members["ppt/slideMasters/_rels/slideMaster1.xml.rels"] = rels.encode()
    for name in [n for n in members if "slideLayout" in n]:
        del members[name]
    ct = members["[Content_Types].xml"].decode()
    ct = re.sub(r'<Override PartName="/ppt/slideLayouts/[^>]*/>', "", ct)
    members["[Content_Types].xml"] = ct.encode()
    return _zip(members)


_XXE = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<!DOCTYPE p:presentation [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n')
_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
           + b"".join(f'<!ENTITY lol{i} "{"&lol" + str(i - 1) + ";" if i > 1 else "&lol;"}'
                      f'{("&lol" + str(i - 1) + ";") * 9 if i > 1 else "&lol;" * 9}">'.encode()
                      for i in range(1, 10)) + b"]>\n")


def _prepend_doctype(path: Path, part: str, doctype: bytes, padding: bytes = b"") -> bytes:
    xml = _members(path)[part]
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    return _with(path, {part: doctype + padding + body})


def _utf16_doctype(path: Path, part: str) -> bytes:
    xml = _members(path)[part].decode("utf-8").split("?>", 1)[1]
    text = ('<?xml version="1.0" encoding="UTF-16"?>\n'
            '<!DOCTYPE x [<!ENTITY e SYSTEM "http://example.invalid/x">]>' + xml)
    return _with(path, {part: text.encode("utf-16")})


DECK_CASES: dict[str, Callable[[], bytes]] = {
    "random bytes": lambda: bytes(range(256)) * 40,
    "empty file": lambda: b"",
    "truncated zip": lambda: DECK.read_bytes()[: DECK.stat().st_size // 2],
    "zip without content types": lambda: _with(DECK, {"[Content_Types].xml": None}),
    "Word document as deck template": lambda: WORD.read_bytes(),
    "zip bomb (one 300 MB member)": lambda: _with(
        DECK, {"ppt/media/bomb.bin": b"\0" * (300 * 1024 * 1024)}),
    "zip bomb (5000 members)": lambda: _with(DECK, {f"x/{i}.xml": b"<a/>" for i in range(5000)}),
    "zip with lying sizes": _lying_sizes,
    "external entity (XXE)": lambda: _prepend_doctype(DECK, "ppt/presentation.xml", _XXE),
    "billion laughs": lambda: _prepend_doctype(DECK, "ppt/presentation.xml", _LAUGHS),
    "DOCTYPE after 8 KB of comment": lambda: _prepend_doctype(
        DECK, "ppt/presentation.xml", b'<?xml version="1.0"?>\n<!--' + b"x" * 8192 + b"-->\n"
        + _XXE.split(b"\n", 1)[1]),
    "DOCTYPE in UTF-16": lambda: _utf16_doctype(DECK, "ppt/presentation.xml"),
    "malformed XML part": lambda: _with(DECK, {"ppt/presentation.xml": b"<p:presentation"}),
    "no usable layouts": _no_layouts,
    "macro-enabled content type": lambda: _with(DECK, {"[Content_Types].xml": _members(DECK)[
        "[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        b"application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml")}),
}

WORD_CASES: dict[str, Callable[[], bytes]] = {
    "random bytes": lambda: b"\x89PNG\r\n" + bytes(range(200)),
    "truncated zip": lambda: WORD.read_bytes()[: WORD.stat().st_size // 3],
    "deck as Word template": lambda: DECK.read_bytes(),
    "zip bomb (one 300 MB member)": lambda: _with(
        WORD, {"word/media/bomb.bin": b"\0" * (300 * 1024 * 1024)}),
    "external entity (XXE)": lambda: _prepend_doctype(WORD, "word/styles.xml", _XXE),
    "billion laughs": lambda: _prepend_doctype(WORD, "word/document.xml", _LAUGHS),
    "DOCTYPE in UTF-16": lambda: _utf16_doctype(WORD, "word/styles.xml"),
}


def _run_guarded(render: Callable[[], object], template: Path, tmp_path: Path,
                 watch: type[_Watch]) -> TemplateError:
    tracemalloc.start()
    start = time.monotonic()
    try:
        with pytest.raises(TemplateError) as info:
            render()
    finally:
        elapsed = time.monotonic() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert elapsed < MAX_SECONDS, f"took {elapsed:.1f} s"
    assert peak < MAX_PEAK_BYTES, f"peak memory {peak / 1e6:.0f} MB"
    assert any(p == str(template) for p in watch.opened), "the audit hook saw no open"
    assert watch.connected == [], "a template made the tool try the network"
    outside = [p for p in watch.opened if not _allowed(p, template, tmp_path)]
    assert outside == [], f"files read outside the template: {outside}"
    exc = info.value
    assert len(exc.problems) == 1
    assert exc.problems[0].message and exc.problems[0].fix
    assert "Traceback" not in exc.render()
    assert not list(tmp_path.glob("out*")), "no output may be left behind"
    return exc


@pytest.mark.parametrize("case", sorted(DECK_CASES))
def test_hostile_deck_template(case: str, tmp_path: Path, watch: type[_Watch],
                               make_plan: Callable[..., WorkshopPlan]) -> None:
    from etikkverksted.writers.pptx import render_pptx

    plan = make_plan()
    template = tmp_path / "template.pptx"
    template.write_bytes(DECK_CASES[case]())
    watch.opened.clear()
    exc = _run_guarded(lambda: render_pptx(plan, tmp_path / "out.pptx", template=template),
                       template, tmp_path, watch)
    assert exc.problems[0].file == template


@pytest.mark.parametrize("case", sorted(WORD_CASES))
def test_hostile_word_template(case: str, tmp_path: Path, watch: type[_Watch],
                               make_plan: Callable[..., WorkshopPlan]) -> None:
    from etikkverksted.writers.docx import render_docx

    plan = make_plan()
    template = tmp_path / "template.docx"
    template.write_bytes(WORD_CASES[case]())
    watch.opened.clear()
    exc = _run_guarded(
        lambda: render_docx(plan, "participant", tmp_path / "out.docx", template=template),
        template, tmp_path, watch)
    assert exc.problems[0].file == template


def test_external_links_in_a_template_are_never_fetched(
        tmp_path: Path, watch: type[_Watch], make_plan: Callable[..., WorkshopPlan]) -> None:
    from etikkverksted.writers.pptx import render_pptx

    rels_name = "ppt/slideMasters/_rels/slideMaster1.xml.rels"
    rels = _members(DECK)[rels_name].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/image" Target="http://example.invalid/logo.png" '
        b'TargetMode="External"/><Relationship Id="rIdY" Type="http://schemas.openxmlformats'
        b'.org/officeDocument/2006/relationships/image" Target="../../../../../etc/passwd"/>'
        b"</Relationships>")
    template = tmp_path / "linked.pptx"
    template.write_bytes(_with(DECK, {rels_name: rels}))
    watch.opened.clear()
    try:
        render_pptx(make_plan(), tmp_path / "deck.pptx", template=template)
    except TemplateError as exc:
        assert exc.problems[0].message
    assert watch.connected == []
    assert not any("passwd" in p for p in watch.opened)


def test_missing_template_and_folder(tmp_path: Path, make_plan: Callable[..., WorkshopPlan]
                                     ) -> None:
    from etikkverksted.writers.pptx import render_pptx

    for template in (tmp_path / "nope.pptx", tmp_path):
        with pytest.raises(TemplateError) as info:
            render_pptx(make_plan(), tmp_path / "d.pptx", template=template)
        assert len(info.value.problems) == 1

