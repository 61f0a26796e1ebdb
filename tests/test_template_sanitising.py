"""What a template carries into the pack (issue #18 §1): only its look, and every drop is said.

Two hostile templates, made from the packaged ones, carry what the issue found travelling into
every output file: an http ``attachedTemplate``, http/UNC/file links and externally linked
pictures, a ``vbaProject.bin`` in an ordinary .pptx, custom document properties, ``customXml``,
a hidden shape on a layout, and text, a picture and hidden header text in a Word body.
"""

from __future__ import annotations

import http.server
import io
import re
import subprocess
import threading
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import needs
from etikkverksted.build.pack import build_pack
from etikkverksted.cli import main
from etikkverksted.ooxml.templates import sanitize_template
from etikkverksted.quality import check_files
from etikkverksted.resources import layouts_dir

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "leiargruppe-trinn2-nb.yaml"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MARKERS = (b"HEMMELIG", b"SKJULT", b"127.0.0.1", b"fjernvert", b"planted-secret")


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _zip(parts: dict[str, bytes], path: Path) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    path.write_bytes(buf.getvalue())
    return path


def _add_rels(parts: dict[str, bytes], rels: str, *entries: str) -> None:
    base = parts.get(rels, b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                           b'<Relationships xmlns="http://schemas.openxmlformats.org/package/'
                           b'2006/relationships"></Relationships>')
    parts[rels] = base.replace(b"</Relationships>",
                               "".join(entries).encode() + b"</Relationships>")


def _rel(rid: str, kind: str, target: str, external: bool = False) -> str:
    mode = ' TargetMode="External"' if external else ""
    return f'<Relationship Id="{rid}" Type="{RT}/{kind}" Target="{target}"{mode}/>'


def _types(parts: dict[str, bytes], *entries: str) -> None:
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", "".join(entries).encode() + b"</Types>")


_CUSTOM = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://'
           b'schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://'
           b'schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5'
           b'CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Kilde"><vt:lpwstr>HEMMELIG-EGEN'
           b"SKAP</vt:lpwstr></property></Properties>")


def _common_hidden(parts: dict[str, bytes], main_rels: str) -> None:
    parts["docProps/custom.xml"] = _CUSTOM
    _add_rels(parts, "_rels/.rels",
              _rel("rIdC1", "custom-properties", "docProps/custom.xml"))
    parts["customXml/item1.xml"] = b"<data>HEMMELIG-CUSTOMXML</data>"
    _add_rels(parts, main_rels, _rel("rIdC2", "customXml", "../customXml/item1.xml"))
    _types(parts, '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.'
           'openxmlformats-officedocument.custom-properties+xml"/>')


def hostile_pptx(folder: Path, port: int, secret: Path) -> Path:
    parts = _parts(layouts_dir() / "default.pptx")
    master = "ppt/slideMasters/slideMaster1.xml"
    pics = (
        '<p:pic><p:nvPicPr><p:cNvPr id="901" name="Lenket bilde"/><p:cNvPicPr/><p:nvPr/>'
        '</p:nvPicPr><p:blipFill><a:blip r:link="rIdX1"/><a:stretch><a:fillRect/></a:stretch>'
        '</p:blipFill><p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/>'
        '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>'
        '<p:pic><p:nvPicPr><p:cNvPr id="902" name="Lokal fil"/><p:cNvPicPr/><p:nvPr/>'
        '</p:nvPicPr><p:blipFill><a:blip r:link="rIdX2"/><a:stretch><a:fillRect/></a:stretch>'
        '</p:blipFill><p:spPr><a:xfrm><a:off x="914400" y="0"/><a:ext cx="914400" '
        'cy="914400"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>'
        '<p:sp><p:nvSpPr><p:cNvPr id="903" name="Lenke"><a:hlinkClick r:id="rIdX3"/>'
        '</p:cNvPr><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="0" '
        'y="6000000"/><a:ext cx="914400" cy="300000"/></a:xfrm><a:prstGeom prst="rect">'
        '<a:avLst/></a:prstGeom></p:spPr><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr '
        'lang="nb-NO"><a:hlinkClick r:id="rIdX3"/></a:rPr><a:t>Intranett</a:t></a:r></a:p>'
        '</p:txBody></p:sp>')
    xml = parts[master].decode("utf-8")
    head, tail = xml.rsplit("</p:spTree>", 1)
    parts[master] = (head + pics + "</p:spTree>" + tail).encode("utf-8")
    _add_rels(parts, "ppt/slideMasters/_rels/slideMaster1.xml.rels",
              _rel("rIdX1", "image", f"http://127.0.0.1:{port}/logo.png", True),
              _rel("rIdX2", "image", secret.as_uri(), True),
              _rel("rIdX3", "hyperlink", "file://///fjernvert/deling/intranett.html", True))
    layout = "ppt/slideLayouts/slideLayout2.xml"
    xml = parts[layout].decode("utf-8")
    head, tail = xml.rsplit("</p:spTree>", 1)
    hidden = ('<p:sp><p:nvSpPr><p:cNvPr id="950" name="Skjult" hidden="1"/><p:cNvSpPr '
              'txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext '
              'cx="914400" cy="300000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
              '</a:prstGeom></p:spPr><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>'
              "SKJULT-LAYOUT</a:t></a:r></a:p></p:txBody></p:sp>")
    parts[layout] = (head + hidden + "</p:spTree>" + tail).encode("utf-8")
    parts["ppt/vbaProject.bin"] = b"\xd0\xcf\x11\xe0HEMMELIG-MAKRO" + bytes(64)
    _add_rels(parts, "ppt/_rels/presentation.xml.rels",
              _rel("rIdV1", "vbaProject", "vbaProject.bin"))
    _types(parts, '<Default Extension="bin" ContentType="application/vnd.ms-office.'
           'vbaProject"/>')
    _common_hidden(parts, "ppt/_rels/presentation.xml.rels")
    parts["docProps/app.xml"] = re.sub(
        rb"(<Properties[^>]*>)",
        rb"\1<HyperlinkBase>http://127.0.0.1:%d/base/</HyperlinkBase>" % port,
        parts["docProps/app.xml"], count=1)
    return _zip(parts, folder / "fiendtlig.pptx")


def hostile_docx(folder: Path, port: int) -> Path:
    parts = _parts(layouts_dir() / "default.docx")
    settings = parts["word/settings.xml"].decode("utf-8")
    settings = re.sub(r"(<w:settings[^>]*>)", r'\1<w:attachedTemplate r:id="rIdT1"/>',
                      settings, count=1)
    if 'xmlns:r="' not in settings.split(">", 2)[1]:
        settings = settings.replace("<w:settings ", f'<w:settings xmlns:r="{RT}" ', 1)
    parts["word/settings.xml"] = settings.encode("utf-8")
    _add_rels(parts, "word/_rels/settings.xml.rels",
              _rel("rIdT1", "attachedTemplate", f"http://127.0.0.1:{port}/mal.dotm", True))
    document = parts["word/document.xml"].decode("utf-8")
    body = ('<w:p><w:r><w:t>HEMMELIG-BRODTEKST</w:t></w:r></w:p>'
            '<w:p><w:hyperlink r:id="rIdB1"><w:r><w:t>Lenke i brødteksten</w:t></w:r>'
            "</w:hyperlink></w:p>")
    document = document.replace("<w:body>", "<w:body>" + body, 1)
    header = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr xmlns:w="http://'
              'schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:r><w:t>Etaten'
              '</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>SKJULT-TOPPTEKST</w:t></w:r>'
              "</w:p></w:hdr>")
    parts["word/header1.xml"] = header.encode("utf-8")
    document = document.replace(
        "<w:sectPr ", '<w:sectPr xmlns:r="' + RT + '" ', 1).replace(
        "<w:pgSz", '<w:headerReference w:type="default" r:id="rIdH1"/><w:pgSz', 1)
    parts["word/document.xml"] = document.encode("utf-8")
    _add_rels(parts, "word/_rels/document.xml.rels",
              _rel("rIdB1", "hyperlink", "\\\\fjernvert\\deling\\fil.docx", True),
              _rel("rIdH1", "header", "header1.xml"))
    _types(parts, '<Override PartName="/word/header1.xml" ContentType="application/vnd.'
           'openxmlformats-officedocument.wordprocessingml.header+xml"/>')
    _common_hidden(parts, "word/_rels/document.xml.rels")
    return _zip(parts, folder / "fiendtlig.docx")


class _Listener:
    """An HTTP listener on 127.0.0.1 that records every request (and every connection)."""

    def __init__(self) -> None:
        requests: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                requests.append(self.path)
                self.send_response(404)
                self.end_headers()

            do_HEAD = do_OPTIONS = do_PROPFIND = do_GET

            def log_message(self, *args: object) -> None:
                pass

        self.requests = requests
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> _Listener:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    """A local picture a file:// link points at; it must never reach a pack."""
    from PIL import Image

    path = tmp_path / "planted-secret.png"
    Image.new("RGB", (173, 71), (200, 30, 30)).save(path)
    return path


@pytest.fixture
def templates(tmp_path: Path, planted: Path) -> tuple[Path, Path, int]:
    port = 9  # nothing listens; the PDF test brings its own listener
    return hostile_pptx(tmp_path, port, planted), hostile_docx(tmp_path, port), port


def test_the_pptx_template_is_cleaned_and_every_drop_is_a_warning(templates) -> None:
    deck, _, _ = templates
    info = sanitize_template(deck)
    parts = _parts_of(info.data)
    assert "ppt/vbaProject.bin" not in parts
    assert "docProps/custom.xml" not in parts
    assert not any(n.startswith("customXml/") for n in parts)
    for name, data in parts.items():
        for marker in MARKERS:
            assert marker not in data, (name, marker)
        assert b'TargetMode="External"' not in data, name
    text = "\n".join(info.warnings)
    for words in ("macro project", "custom document properties", "customXml", "hyperlink base",
                  "hidden shapes", "a web address (http://127.0.0.1", "a network or local file"):
        assert words in text, text
    assert all(w.startswith("fiendtlig.pptx: ") for w in info.warnings)


def test_the_docx_template_is_cleaned_and_every_drop_is_a_warning(templates) -> None:
    _, word, _ = templates
    info = sanitize_template(word)
    parts = _parts_of(info.data)
    for name, data in parts.items():
        for marker in MARKERS:
            assert marker not in data, (name, marker)
        assert b'TargetMode="External"' not in data, name
    assert b"attachedTemplate" not in parts["word/settings.xml"]
    assert b"Etaten" in parts["word/header1.xml"], "the visible header stays"
    text = "\n".join(info.warnings)
    for words in ("mal.dotm", "body", "hidden text",
                  "custom document properties", "customXml"):
        assert words in text, text


def _parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def test_a_pack_from_hostile_templates_carries_none_of_it(library, make_spec, templates,
                                                          tmp_path: Path) -> None:
    deck, word, _ = templates
    spec = make_spec().model_copy(update={"template": deck, "docx_template": word})
    result = build_pack(spec, library, tmp_path / "ut")
    assert result.files
    for path in result.files:
        for name, data in _parts(path).items():
            for marker in MARKERS:
                assert marker not in data, (path.name, name, marker)
            # (the minutes carry customXml of their own, for their content controls)
            assert name != "docProps/custom.xml"
            assert not name.endswith("vbaProject.bin")
    text = "\n".join(result.warnings)
    assert "fiendtlig.pptx: dropped a macro project" in text
    assert "fiendtlig.docx: dropped an attached template linked to a web address" in text
    errors = [f for f in result.findings if f.severity == "error"]
    assert errors == [], errors


def test_build_and_template_info_print_the_warnings(templates, tmp_path: Path) -> None:
    deck, word, _ = templates
    run = CliRunner().invoke(main, ["build", str(EXAMPLE), "-o", str(tmp_path / "ut"),
                                    "--template", str(deck), "--docx-template", str(word)])
    assert run.exit_code == 0, run.output
    assert "warning: fiendtlig.pptx: dropped a macro project" in run.output
    assert "warning: fiendtlig.docx: dropped custom document properties" in run.output
    info = CliRunner().invoke(main, ["template-info", str(deck)])
    assert info.exit_code == 0
    assert "dropped a macro project" in info.output
    assert "hidden shapes" in info.output


def test_check_reports_external_links_macros_and_attached_templates(templates) -> None:
    deck, word, _ = templates
    codes = {(f.file.name, f.code, f.severity) for f in check_files([deck, word])}
    assert ("fiendtlig.pptx", "macro", "error") in codes
    assert ("fiendtlig.pptx", "external-link", "error") in codes
    assert ("fiendtlig.docx", "attached-template", "error") in codes
    assert ("fiendtlig.docx", "external-link", "error") in codes
    messages = "\n".join(f.message for f in check_files([deck, word]))
    assert "127.0.0.1" in messages and "fjernvert" in messages


@needs("soffice")
@needs("pdfimages")
def test_pdf_export_makes_no_request_and_embeds_no_local_file(library, make_spec,
                                                              planted: Path,
                                                              tmp_path: Path) -> None:
    with _Listener() as listener:
        deck = hostile_pptx(tmp_path, listener.port, planted)
        word = hostile_docx(tmp_path, listener.port)
        spec = make_spec().model_copy(update={"template": deck, "docx_template": word})
        result = build_pack(spec, library, tmp_path / "ut", pdf=True, check=False)
        pdfs = [p for p in result.files if p.suffix == ".pdf"]
        assert len(pdfs) == len(result.files) // 2
    assert listener.requests == [], listener.requests
    for pdf in pdfs:
        listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True,
                                 text=True, check=True).stdout
        sizes = {tuple(line.split()[3:5]) for line in listing.splitlines()[2:]}
        assert ("173", "71") not in sizes, f"{pdf.name} embeds the planted file"


def test_templates_are_inflated_through_caps(tmp_path: Path) -> None:
    """A part that unpacks past the XML cap is refused before a parser sees it, though its
    compression ratio passes the zip-bomb test."""
    from etikkverksted.errors import TemplateError
    from etikkverksted.ooxml.zipfiles import MAX_XML_PART
    from hostile import template_with_big_part

    path = template_with_big_part(layouts_dir() / "default.pptx", tmp_path / "stor.pptx",
                                  "ppt/slideLayouts/slideLayout3.xml", MAX_XML_PART + 4096)
    with pytest.raises(TemplateError) as info:
        sanitize_template(path)
    assert "unpacks to more than" in info.value.problems[0].message


def test_libreoffice_runs_without_network_where_the_platform_allows(tmp_path: Path) -> None:
    import sys

    from etikkverksted.build.pack import offline_prefix

    prefix = offline_prefix()
    if not prefix:
        pytest.skip("no network namespaces here (not Linux, or user namespaces are off)")
    with _Listener() as listener:
        probe = ("import socket,sys\ntry:\n socket.create_connection(('127.0.0.1', "
                 f"{listener.port}), timeout=3)\nexcept OSError:\n sys.exit(7)\n")
        inside = subprocess.run([*prefix, sys.executable, "-c", probe], check=False)
        outside = subprocess.run([sys.executable, "-c", probe], check=False)
    assert outside.returncode == 0, "the listener must be reachable without the sandbox"
    assert inside.returncode == 7, "the sandbox must not reach 127.0.0.1"
