"""Read a filled minutes document back into an :class:`~etikkverksted.outcome.model.Outcome`.

The minutes writer stored a description of the form and the workshop in a custom XML part
(:mod:`.form`). The harvester reads that part, then walks the document body in order and finds
each form table by, in turn: the tag of the control around it (Word), a control title inside
it (LibreOffice keeps titles, drops tags), its header row, and its place among the tables
still unmatched. Cell text is read whole, so text typed next to a control instead of in it is
kept, and so is a row added in Word or LibreOffice. Whatever belongs to no field — a paragraph
typed between tables, a table the form never had — goes into ``Outcome.notes`` with where it
was found: nothing is dropped silently.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..errors import OutcomeError, Problem
from .form import TAG_PREFIX, FormTable, MinutesForm, form_from_xml, split_cell_tag
from .model import (
    Action,
    ActionStatusReport,
    Decision,
    DilemmaOutcome,
    NextMeetingPoint,
    Outcome,
    ParkedItem,
    Position,
    SharedPoint,
    TopicNote,
    UnplacedText,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
MAX_PART_BYTES = 64 * 1024 * 1024
"""A minutes document's XML parts are small; a larger one is refused before parsing."""
MAX_DOCX_BYTES = 64 * 1024 * 1024
_KNOWN_KINDS = frozenset({"meeting", "stood", "dilemma_notes", "decisions", "parking",
                          "actions", "shared", "next_meeting", "action_status", "own_case",
                          "scenarios_2040"})
_NUMBER = re.compile(r"^\s*(\d{1,5})\b")


@dataclass
class _FoundTable:
    element: etree._Element
    rows: list[list[str]]
    tags: set[str]
    aliases: set[str]
    section: str


def harvest_minutes(path: Path | str) -> Outcome:
    """Read the filled minutes at *path* and return what the note-taker wrote.

    Raises OutcomeError (one message: file, what is wrong, the fix) for a file that is not a
    Word document, or not minutes made by etikkverksted.
    """
    path = Path(path)
    form, body = _open(path)
    tables, loose = _walk(body)
    outcome = Outcome(workshop=form.workshop)
    matched = _match(form, tables)
    for found in tables:
        table = matched.get(id(found))
        if table is None:
            text = " | ".join(c for row in found.rows for c in row if c)
            if text:
                outcome.notes.append(UnplacedText(section=found.section, text=text))
            continue
        _read_table(outcome, table, found, form)
    for table in form.tables:
        if table.key not in {t.key for t in matched.values()}:
            outcome.problems.append(
                f"the table «{table.caption}» under «{table.section}» was not found "
                "(deleted?); its fields are empty in the outcome")
    static = {_norm(t) for t in form.static_texts}
    for section, text in loose:
        if _norm(text) not in static:
            outcome.notes.append(UnplacedText(section=section, text=text))
    return outcome


# -- reading the package ---------------------------------------------------------------------

def _open(path: Path) -> tuple[MinutesForm, etree._Element]:
    def fail(what: str, fix: str) -> OutcomeError:
        return OutcomeError(Problem(what, fix, path))

    if not path.is_file():
        raise fail("there is no such file" if not path.exists() else "this is not a file",
                   "give the path of the filled minutes (.docx)")
    if path.stat().st_size > MAX_DOCX_BYTES:
        raise fail("the file is larger than any minutes document (64 MB)",
                   "give the minutes made by `etikkverksted build` (referat .docx)")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise fail("this is not a Word document (.docx)",
                   "save the minutes as Word document (.docx) and try again") from None
    with archive:
        names = archive.namelist()
        form = None
        for name in names:
            if name.startswith("customXml/item") and "Props" not in name and \
                    name.endswith(".xml"):
                form = form_from_xml(_read(archive, name, path))
                if form is not None:
                    break
        if form is None:
            if "word/document.xml" not in names:
                raise fail("this is not a Word document (.docx)",
                           "save the minutes as Word document (.docx) and try again")
            raise fail("this Word document is not minutes made by etikkverksted (it has no "
                       "workshop description)",
                       "fill in the minutes template (referat) from the pack that "
                       "`etikkverksted build` wrote, and give that file")
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        try:
            root = etree.fromstring(_read(archive, "word/document.xml", path), parser)
        except (etree.XMLSyntaxError, KeyError):
            raise fail("the document text (word/document.xml) is damaged",
                       "open the file in Word or LibreOffice, save it again, and retry"
                       ) from None
    body = root.find(f"{_W}body")
    if body is None:
        raise fail("the document has no body", "save it again from Word or LibreOffice")
    return form, body


def _read(archive: zipfile.ZipFile, name: str, path: Path) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise OutcomeError(Problem(f"the part {name} is too large for a minutes document",
                                   "give the minutes made by `etikkverksted build`", path))
    with archive.open(info) as stream:
        data = stream.read(MAX_PART_BYTES + 1)
    if len(data) > MAX_PART_BYTES:
        raise OutcomeError(Problem(f"the part {name} is too large for a minutes document",
                                   "give the minutes made by `etikkverksted build`", path))
    return data


# -- walking the body ------------------------------------------------------------------------

def _walk(body: etree._Element) -> tuple[list[_FoundTable], list[tuple[str, str]]]:
    """Return the body's tables and its loose paragraphs (with the heading above each)."""
    tables: list[_FoundTable] = []
    loose: list[tuple[str, str]] = []
    section = ""

    def visit(element: etree._Element, wrapper_tags: set[str], wrapper_aliases: set[str]
              ) -> None:
        nonlocal section
        for child in element:
            if child.tag == f"{_W}p":
                text = _text(child)
                if not text:
                    continue
                if _is_heading(child):
                    section = text
                loose.append((section, text))
            elif child.tag == f"{_W}tbl":
                tags, aliases = _controls(child)
                tables.append(_FoundTable(child, _rows(child), tags | wrapper_tags,
                                          aliases | wrapper_aliases, section))
            elif child.tag == f"{_W}sdt":
                props = child.find(f"{_W}sdtPr")
                tag = _val(props, "tag")
                alias = _val(props, "alias")
                content = child.find(f"{_W}sdtContent")
                if content is not None:
                    visit(content, {tag} if tag else set(), {alias} if alias else set())
            elif child.tag in (f"{_W}customXml", f"{_W}ins", f"{_W}moveTo"):
                visit(child, set(), set())

    visit(body, set(), set())
    return tables, loose


def _is_heading(p: etree._Element) -> bool:
    style = p.find(f"{_W}pPr/{_W}pStyle")
    if style is not None and (style.get(f"{_W}val") or "").lower().startswith(
            ("heading", "overskrift")):
        return True
    outline = p.find(f"{_W}pPr/{_W}outlineLvl")
    return outline is not None


def _val(props: etree._Element | None, name: str) -> str:
    if props is None:
        return ""
    el = props.find(f"{_W}{name}")
    return (el.get(f"{_W}val") or "") if el is not None else ""


def _controls(tbl: etree._Element) -> tuple[set[str], set[str]]:
    tags: set[str] = set()
    aliases: set[str] = set()
    for props in tbl.iter(f"{_W}sdtPr"):
        if tag := _val(props, "tag"):
            tags.add(tag)
        if alias := _val(props, "alias"):
            aliases.add(alias)
    return tags, aliases


def _rows(tbl: etree._Element) -> list[list[str]]:
    rows = []
    for tr in tbl.iter(f"{_W}tr"):
        if tr.getparent() is not tbl and tr.getparent().tag != f"{_W}sdtContent":
            continue  # a row of a nested table
        cells = []
        for tc in tr:
            if tc.tag == f"{_W}sdt":  # a control around a whole cell (row-level in Word)
                inner = tc.find(f"{_W}sdtContent/{_W}tc")
                if inner is not None:
                    cells.append(_cell_text(inner))
            elif tc.tag == f"{_W}tc":
                cells.append(_cell_text(tc))
        rows.append(cells)
    return rows


def _cell_text(tc: etree._Element) -> str:
    paragraphs = [_text(p) for p in tc.iter(f"{_W}p")]
    return "\n".join(p for p in paragraphs if p)


def _text(p: etree._Element) -> str:
    parts: list[str] = []
    for el in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}delText"):
        if el.tag == f"{_W}t":
            parts.append(el.text or "")
        elif el.tag in (f"{_W}tab",):
            parts.append(" ")
        elif el.tag == f"{_W}br":
            parts.append("\n")
    return "".join(parts).strip()


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


# -- matching tables to the form -------------------------------------------------------------

def _match(form: MinutesForm, found: list[_FoundTable]) -> dict[int, FormTable]:
    """Map each found table (by id) to its form table."""
    by_key = {t.key: t for t in form.tables}
    by_caption: dict[str, list[FormTable]] = {}
    for table in form.tables:
        by_caption.setdefault(table.caption, []).append(table)
    taken: set[str] = set()
    result: dict[int, FormTable] = {}

    def take(f: _FoundTable, table: FormTable | None) -> bool:
        if table is None or table.key in taken:
            return False
        taken.add(table.key)
        result[id(f)] = table
        return True

    # 1. tags (Word keeps them)
    for f in found:
        keys = {t[len(TAG_PREFIX):] for t in f.tags if t.startswith(TAG_PREFIX) and "|" not in t}
        keys |= {parts[0] for t in f.tags if (parts := split_cell_tag(t))}
        for key in sorted(keys):
            if take(f, by_key.get(key)):
                break
    # 2. control titles (LibreOffice keeps them; a cell's title starts with its table's caption)
    for f in found:
        if id(f) in result:
            continue
        for alias in sorted(f.aliases):
            candidates = by_caption.get(alias) or [
                t for caption, ts in by_caption.items() if alias.startswith(caption + " – ")
                for t in ts]
            if any(take(f, t) for t in candidates if t.key not in taken):
                break
    # 3. header row, then 4. order among the tables left, under the same heading
    left = [t for t in form.tables if t.key not in taken]
    for f in found:
        if id(f) in result or not f.rows:
            continue
        header = [_norm(c) for c in f.rows[0]]
        for table in left:
            if table.key in taken:
                continue
            same_header = table.has_header_row and header[:len(table.columns)] == [
                _norm(c.header) for c in table.columns]
            same_section = _norm(table.section) == _norm(f.section)
            first_labels = table.rows is not None and not table.has_header_row and \
                [_norm(r[0]) for r in f.rows if r] == [_norm(r.label) for r in table.rows]
            if (same_header and same_section) or first_labels:
                take(f, table)
                break
    return result


# -- reading one table -----------------------------------------------------------------------

def _records(table: FormTable, found: _FoundTable) -> list[dict[str, str]]:
    """Return the table's rows as {column key: text}, header row left out."""
    rows = found.rows[1:] if table.has_header_row else found.rows
    keys = [c.key for c in table.columns]
    records = []
    for row in rows:
        record = {key: (row[i] if i < len(row) else "") for i, key in enumerate(keys)}
        extra = [c for c in row[len(keys):] if c]
        if extra:
            record["_extra"] = " | ".join(extra)
        records.append(record)
    return records


def _dilemma_ids(text: str, form: MinutesForm) -> list[str]:
    numbers = form.workshop.dilemma_numbers
    return [numbers[n] for n in re.findall(r"\d+", text) if n in numbers]


def _read_table(outcome: Outcome, table: FormTable, found: _FoundTable,
                form: MinutesForm) -> None:
    records = _records(table, found)
    for n, record in enumerate(records, start=1):
        if extra := record.pop("_extra", ""):
            outcome.notes.append(_unplaced(table, n, extra))
    if table.kind not in _KNOWN_KINDS:  # a newer form than this harvester: keep the text
        for n, record in enumerate(records, start=1):
            if text := " | ".join(v for v in record.values() if v):
                outcome.notes.append(_unplaced(table, n, text))
        return
    if table.rows is not None:
        by_key = _fixed_rows(outcome, table, records)
        _apply_fixed(outcome, table, by_key, form)
        return
    for n, record in enumerate(records, start=1):
        values = {k: v for k, v in record.items() if k != "no"}
        if not any(values.values()):
            continue
        _apply_record(outcome, table, record, n, form)


def _unplaced(table: FormTable, row: int, text: str) -> UnplacedText:
    return UnplacedText(section=table.section, table=table.caption, row=row, text=text)


def _fixed_rows(outcome: Outcome, table: FormTable, records: list[dict[str, str]]
                ) -> dict[str, dict[str, str]]:
    """Match a fixed table's rows to their keys: by printed label, else by position."""
    assert table.rows is not None
    first = table.columns[0].key
    labels = {_norm(r.label): r.key for r in table.rows}
    result: dict[str, dict[str, str]] = {}
    unlabelled: list[dict[str, str]] = []
    for record in records:
        key = labels.get(_norm(record.get(first, "")))
        if key is not None and key not in result:
            result[key] = record
        else:
            unlabelled.append(record)
    free = [r.key for r in table.rows if r.key not in result]
    for record in unlabelled:
        label = record.get(first, "")
        if free and (not label or not any(_norm(label).startswith(k) for k in labels)):
            result[free.pop(0)] = record
        elif any(v for v in record.values()):
            outcome.notes.append(_unplaced(table, records.index(record) + 1,
                                           " | ".join(v for v in record.values() if v)))
    return result


def _value(record: dict[str, str] | None, key: str) -> str:
    return (record or {}).get(key, "").strip()


def _position(text: str) -> Position:
    match = _NUMBER.match(text)
    if match and text.strip() == match.group(1):
        return Position(count=int(match.group(1)))
    if match:
        return Position(count=int(match.group(1)), text=text.strip())
    return Position(text=text.strip())


def _dilemma(outcome: Outcome, dilemma_id: str, form: MinutesForm) -> DilemmaOutcome:
    for d in outcome.dilemmas:
        if d.id == dilemma_id:
            return d
    d = DilemmaOutcome(id=dilemma_id, title=form.workshop.dilemma_titles.get(dilemma_id, ""))
    outcome.dilemmas.append(d)
    return d


def _apply_fixed(outcome: Outcome, table: FormTable, rows: dict[str, dict[str, str]],
                 form: MinutesForm) -> None:
    if table.kind == "meeting":
        outcome.note_taker = _value(rows.get("note_taker"), "value")
        outcome.participants = _value(rows.get("participants"), "value")
    elif table.kind == "stood" and table.dilemma_id:
        d = _dilemma(outcome, table.dilemma_id, form)
        for key in ("left", "between", "right"):
            setattr(d, key, _position(_value(rows.get(key), "value")))
    elif table.kind == "dilemma_notes" and table.dilemma_id:
        d = _dilemma(outcome, table.dilemma_id, form)
        for key in ("points", "disagreements", "consequences"):
            setattr(d, key, _value(rows.get(key), "notes"))
    elif table.kind == "action_status":
        choices = next((c.choices for c in table.columns if c.key == "status"), None) or {}
        assert table.rows is not None
        for row in table.rows:
            record = rows.get(row.key)
            status, comment = _status(_value(record, "status"), choices)
            extra = _value(record, "comment")
            outcome.action_status.append(ActionStatusReport(
                action=row.label, status=status,  # type: ignore[arg-type]
                comment="\n".join(x for x in (comment, extra) if x)))
    elif table.kind in ("own_case", "scenarios_2040"):
        assert table.rows is not None
        notes = [TopicNote(key=row.key, topic=row.label, notes=text)
                 for row in table.rows if (text := _value(rows.get(row.key), "notes"))]
        getattr(outcome, table.kind).extend(notes)
    elif table.kind == "shared":
        for dilemma_id, record in rows.items():
            if agreed := _value(record, "agreed"):
                outcome.shared_understanding.append(
                    SharedPoint(dilemma_id=dilemma_id, agreed=agreed))


def _status(text: str, choices: dict[str, str]) -> tuple[str, str]:
    """Map a status cell to a choice value; what is not a choice is kept as a comment."""
    norm = _norm(text)
    if not norm:
        return "unknown", ""
    for value, shown in sorted(choices.items(), key=lambda kv: -len(kv[1])):
        if norm == _norm(shown):
            return value, ""
        if norm.startswith(_norm(shown)):
            return value, text.strip()[len(shown):].strip(" :,.-–")
    return "unknown", text.strip()


def _apply_record(outcome: Outcome, table: FormTable, record: dict[str, str], row: int,
                  form: MinutesForm) -> None:
    v = {k: s.strip() for k, s in record.items()}
    rest = " | ".join(s for k, s in v.items() if s and k != "no")
    if table.kind == "decisions":
        if v.get("decision"):
            outcome.decisions.append(Decision(decision=v["decision"],
                                              decided_by=v.get("decided_by", ""),
                                              date=v.get("date", "")))
        else:
            outcome.notes.append(_unplaced(table, row, rest))
    elif table.kind == "parking":
        if v.get("issue"):
            outcome.parking.append(ParkedItem(
                issue=v["issue"], owner=v.get("owner", ""), next_step=v.get("next_step", ""),
                dilemma_ids=_dilemma_ids(v.get("dilemma", ""), form)))
        else:
            outcome.notes.append(_unplaced(table, row, rest))
    elif table.kind == "actions" and table.action_kind:
        if v.get("what"):
            outcome.actions.append(Action(
                kind=table.action_kind, what=v["what"], who=v.get("who", ""),  # type: ignore[arg-type]
                by_when=v.get("by_when", ""), dilemma_ids=_dilemma_ids(v.get("dilemma", ""),
                                                                       form)))
        else:
            outcome.notes.append(_unplaced(table, row, rest))
    elif table.kind == "next_meeting":
        if v.get("point"):
            outcome.next_parties_meeting.append(NextMeetingPoint(
                point=v["point"], raised_by=v.get("raised_by", ""),
                prepare=v.get("prepare", ""),
                dilemma_ids=_dilemma_ids(v.get("dilemma", ""), form)))
        else:
            outcome.notes.append(_unplaced(table, row, rest))
