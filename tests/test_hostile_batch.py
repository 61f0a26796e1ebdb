"""Bad rows and Ctrl-C in ``batch`` (issue #18 §5).

A CSV is read as Excel writes it: quotes doubled inside a quoted field, and ``;`` as the
separator where Excel is set up for Norwegian. Ctrl-C stops the batch at once, keeps the packs
already finished and writes the manifest and the index for them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from etikkverksted.build.batch import jobs_from_path

HEADER = ["agency", "audience", "maturity", "date", "facilitator"]
ROWS = [
    ['Direktoratet "Nord"', "leaders", "2", "2026-12-03", 'Kari "K" Nordmann'],
    ["Etaten for tall, data og sånt", "parties", "3", "2026-12-04", ""],
    ['Tilsynet for "A; B"', "employees", "1", "2026-12-05", "Ola"],
]


def _excel(rows: list[list[str]], sep: str) -> str:
    """What Excel writes: fields with a quote, a separator or a line break quoted, quotes
    inside doubled, CRLF line ends."""
    def field(value: str) -> str:
        if any(c in value for c in ('"', sep, "\n", "\r")):
            return '"' + value.replace('"', '""') + '"'
        return value
    return "".join(sep.join(field(v) for v in row) + "\r\n" for row in rows)


@pytest.mark.parametrize("sep", [",", ";"], ids=["comma", "semicolon"])
def test_csv_as_excel_writes_it(tmp_path: Path, library, sep: str) -> None:
    path = tmp_path / "virksomheter.csv"
    path.write_bytes(b"\xef\xbb\xbf" + _excel([HEADER, *ROWS], sep).encode("utf-8"))
    jobs = jobs_from_path(path, library)
    assert [j.spec.agency for j in jobs] == [r[0] for r in ROWS]
    assert jobs[0].spec.facilitator == 'Kari "K" Nordmann'
    assert [j.spec.audience for j in jobs] == ["leaders", "parties", "employees"]


def test_doubled_quotes_in_the_header_row_are_no_clue_needed(tmp_path: Path,
                                                             library) -> None:
    """The header has no quotes at all; the rows have them. Sniffing the header alone used to
    read the doubled quotes wrong."""
    path = tmp_path / "v.csv"
    path.write_text('agency,audience,maturity,date\n"Direktoratet ""Nord""",leaders,2,'
                    "2026-12-03\n", encoding="utf-8")
    assert jobs_from_path(path, library)[0].spec.agency == 'Direktoratet "Nord"'
