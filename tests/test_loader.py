"""The YAML loader: every problem at once, each with file, line, field and a fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from etikkverksted.content import load_library
from etikkverksted.errors import LibraryError

THREE_ERRORS = """\
facts:
  - id: Feil_id
    statement: {nb: Et utsagn}
    source: rapport fig. 2.2
  - id: ok-fakta
    statment: {nb: Feilstavet felt}
    source: rapport §3.4
  - id: tredje
    statement: {nb: Noe}
    source: rapport §3.5
    maturity: [1, 7]
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_for(folder: Path) -> list:
    with pytest.raises(LibraryError) as info:
        load_library([folder])
    return info.value.problems


def test_three_distinct_errors_give_three_messages_with_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, "egne.yaml", THREE_ERRORS)
    problems = problems_for(tmp_path)
    assert len(problems) == 3
    by_line = {p.line: p for p in problems}
    assert set(by_line) == {2, 6, 11}
    assert all(p.file == tmp_path / "egne.yaml" for p in problems)
    assert by_line[2].field == "facts[0].id"
    assert "a-z" in by_line[2].fix
    assert by_line[6].field == "facts[1].statment"
    assert "unknown field" in by_line[6].message
    assert by_line[11].field.startswith("facts[2].maturity")


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    write(tmp_path, "brudd.yaml", 'facts:\n  - id: a\n    statement: {nb: "uavsluttet}\n')
    (problem,) = problems_for(tmp_path)
    assert problem.line == 3
    assert "not valid YAML" in problem.message
    assert "quote" in problem.fix


def test_a_file_that_is_not_a_mapping_is_explained(tmp_path: Path) -> None:
    write(tmp_path, "liste.yaml", "- bare\n- en liste\n")
    (problem,) = problems_for(tmp_path)
    assert "mapping" in problem.message
    assert "dilemmas:" in problem.fix


def test_unknown_cross_references_are_reported_with_the_line(tmp_path: Path,
                                                            library) -> None:
    base = library.dilemmas[sorted(library.dilemmas)[0]]
    data = base.model_dump(mode="json", exclude_none=True)
    data["id"] = "eget-dilemma"
    data["facts"] = ["finnes-ikke"]
    data["method"] = "ukjent-metode"
    import yaml

    write(tmp_path, "eget.yaml", yaml.safe_dump({"dilemmas": [data]}, allow_unicode=True))
    problems = problems_for(tmp_path)
    messages = {p.message for p in problems}
    assert "unknown fact id `finnes-ikke`" in messages
    assert "unknown method id `ukjent-metode`" in messages
    assert all(p.line for p in problems)


def test_redefining_a_packaged_id_needs_replaces(tmp_path: Path, library) -> None:
    import yaml

    fact = next(iter(library.facts.values())).model_dump(mode="json", exclude_none=True)
    write(tmp_path, "a.yaml", yaml.safe_dump({"facts": [fact]}, allow_unicode=True))
    (problem,) = problems_for(tmp_path)
    assert "already exists" in problem.message
    assert f"replaces: [{fact['id']}]" in problem.fix

    fact["statement"] = {"nb": "Vår egen versjon", "nn": "Vår eigen versjon"}
    write(tmp_path, "a.yaml", yaml.safe_dump({"replaces": [fact["id"]], "facts": [fact]},
                                             allow_unicode=True))
    merged = load_library([tmp_path])
    assert merged.facts[fact["id"]].statement.nb == "Vår egen versjon"


def test_an_agency_folder_adds_new_dilemmas(tmp_path: Path, library) -> None:
    import yaml

    data = library.dilemmas[sorted(library.dilemmas)[0]].model_dump(mode="json",
                                                                    exclude_none=True)
    data["id"] = "vaart-eget"
    write(tmp_path, "vaart.yaml", yaml.safe_dump({"dilemmas": [data]}, allow_unicode=True))
    merged = load_library([tmp_path])
    assert "vaart-eget" in merged.dilemmas
    assert len(merged.dilemmas) == len(library.dilemmas) + 1


def test_duplicate_ids_in_one_folder_are_reported(tmp_path: Path) -> None:
    text = ("labels:\n  x: {nb: a, nn: a}\n")
    write(tmp_path, "a.yaml", text)
    write(tmp_path, "b.yaml", text)
    (problem,) = problems_for(tmp_path)
    assert "defined twice" in problem.message
    assert problem.file == tmp_path / "b.yaml"


def test_missing_translations_are_listed_per_file_and_field(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "labels:\n  egen-etikett: {nb: Bare bokmål}\n")
    with pytest.raises(LibraryError) as info:
        load_library([tmp_path], lang="nn")
    (problem,) = info.value.problems
    assert problem.file == tmp_path / "a.yaml"
    assert problem.line == 2
    assert problem.field == "labels.egen-etikett"
    assert "nn:" in problem.fix


def test_a_missing_folder_is_one_clear_problem(tmp_path: Path) -> None:
    (problem,) = problems_for(tmp_path / "finnes-ikke")
    assert "does not exist" in problem.message


def test_not_utf8_is_explained(tmp_path: Path) -> None:
    (tmp_path / "latin1.yaml").write_bytes("labels:\n  a: {nb: bl\xe5}\n".encode("latin-1"))
    (problem,) = problems_for(tmp_path)
    assert "UTF-8" in problem.message
    assert problem.line == 2


def test_packaged_library_is_complete_in_both_standards() -> None:
    load_library(lang="nb")
    load_library(lang="nn")
