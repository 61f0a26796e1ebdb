"""The ``etikkverksted`` command line: small commands over the public API.

Each command parses its options, calls the API, and prints. A user error is an
:class:`~etikkverksted.errors.EtikkverkstedError`, shown as one clear message with exit code 1;
a traceback means a bug in this tool. Heavy libraries (python-pptx, python-docx) are imported
inside the commands that need them so that ``--help`` stays quick.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__

if TYPE_CHECKING:
    from .content.library import Library

F = TypeVar("F", bound=Callable[..., Any])


class UserError(click.ClickException):
    """An error the user can fix; click prints it without a traceback and exits 1."""

    def format_message(self) -> str:
        return self.message

    def show(self, file: Any = None) -> None:
        click.echo(click.style("Error: ", fg="red", bold=True) + self.format_message(),
                   err=True)


def user_errors(func: F) -> F:
    """Turn the tool's own errors into one clear message and exit code 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .errors import EtikkverkstedError

        try:
            return func(*args, **kwargs)
        except EtikkverkstedError as exc:
            raise UserError(exc.render()) from None

    return wrapper  # type: ignore[return-value]


library_option = click.option(
    "--library", "libraries", multiple=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="An agency's own folder of dilemma YAML files, laid on top of the packaged library. "
         "May be given more than once.",
)
lang_option = click.option(
    "--lang", type=click.Choice(["nb", "nn"]), default="nb", show_default=True,
    help="Written standard: nb (bokmål) or nn (nynorsk).",
)


def _load(libraries: tuple[Path, ...]) -> Library:
    from .content.loader import load_library

    return load_library(libraries)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="etikkverksted")
def main() -> None:
    """Ethics workshops on generative AI for Norwegian state agencies.

    Turns a library of dilemmas and reflection questions into a PowerPoint facilitation deck
    and Word handouts, tailored to the audience, the agency's maturity (DFØ trinn 1-4) and the
    written standard (bokmål or nynorsk).

    \b
    Start here:
      etikkverksted init -o workshop.yaml     write an example spec
      etikkverksted plan workshop.yaml        check the run sheet
      etikkverksted build workshop.yaml -o out/
    """


@main.command("list")
@library_option
@lang_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@user_errors
def list_cmd(libraries: tuple[Path, ...], lang: str, as_json: bool) -> None:
    """List the dilemmas: id, title, audiences and maturity range.

    \b
    Examples:
      etikkverksted list
      etikkverksted list --lang nn --json
    """
    from .content.presentation import dilemma_summary

    library = _load(libraries)
    rows = [dilemma_summary(d, lang) for d in library.sorted_dilemmas()]  # type: ignore[arg-type]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("No dilemmas in the library.")
        return
    width = max(len(r["id"]) for r in rows)
    for r in rows:
        trinn = f"trinn {r['maturity'][0]}-{r['maturity'][1]}"
        audiences = ",".join(r["audiences"])
        click.echo(f"{r['id']:<{width}}  {trinn:<10} {audiences:<26} {r['title']}")
    click.echo(f"\n{len(rows)} dilemmas.")


@main.command()
@click.argument("dilemma_id")
@library_option
@lang_option
@user_errors
def show(dilemma_id: str, libraries: tuple[Path, ...], lang: str) -> None:
    """Show one dilemma in full, readable in a terminal.

    \b
    Example:
      etikkverksted show frigjort-tid --lang nn
    """
    from .content.presentation import render_dilemma_text
    from .errors import EtikkverkstedError, Problem

    library = _load(libraries)
    dilemma = library.dilemmas.get(dilemma_id)
    if dilemma is None:
        import difflib

        close = difflib.get_close_matches(dilemma_id, list(library.dilemmas), n=3)
        hint = f"did you mean {', '.join(close)}?" if close else "see `etikkverksted list`"
        raise UserError(EtikkverkstedError(
            Problem(f"no dilemma with id `{dilemma_id}`", hint)).render())
    click.echo(render_dilemma_text(dilemma, library, lang))  # type: ignore[arg-type]


@main.command()
@click.argument("folder", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option("--lang", type=click.Choice(["nb", "nn"]), default=None,
              help="Also list every text that lacks this written standard.")
@user_errors
def validate(folder: Path | None, lang: str | None) -> None:
    """Validate the content library, or an agency's FOLDER on top of it.

    Reports every error at once, each with file, line, field and a fix.

    \b
    Examples:
      etikkverksted validate
      etikkverksted validate --lang nn
      etikkverksted validate ./vare-dilemmaer --lang nn
    """
    from .content.loader import load_library

    library = load_library([folder] if folder else [], lang=lang)  # type: ignore[arg-type]
    counts = ", ".join(
        f"{len(getattr(library, s))} {s.replace('_', ' ')}"
        for s in ("dilemmas", "facts", "recommendations", "methods", "blocks", "glossary")
    )
    extra = f"; every text has {'nynorsk' if lang == 'nn' else 'bokmål'}" if lang else ""
    click.echo(f"OK: {counts}, {len(library.labels)} labels{extra}.")


@main.command()
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False),
              default=Path("schema"), show_default=True, help="Folder to write the schemas to.")
@user_errors
def schema(output: Path) -> None:
    """Write the JSON Schema of content files and workshop specs.

    Point your editor at them for completion and validation (see README).

    \b
    Example:
      etikkverksted schema -o .schema
    """
    from .content.models import LibraryFile, WorkshopSpec
    from .output import write_text_atomic

    for name, model in (("content", LibraryFile), ("spec", WorkshopSpec)):
        path = output / f"etikkverksted-{name}.schema.json"
        write_text_atomic(path, json.dumps(model.model_json_schema(), ensure_ascii=False,
                                           indent=2) + "\n")
        click.echo(f"wrote {path}")


@main.command()
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              default=None, help="File to write; default: print to standard output.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@user_errors
def init(output: Path | None, force: bool) -> None:
    """Write a commented example workshop spec.

    \b
    Example:
      etikkverksted init -o workshop.yaml
    """
    from .errors import OutputError, Problem
    from .resources import layouts_dir

    text = (layouts_dir() / "example-spec.yaml").read_text(encoding="utf-8")
    if output is None:
        click.echo(text, nl=False)
        return
    if output.exists() and not force:
        raise OutputError(Problem("the file exists already", "use --force to overwrite it",
                                  output))
    from .output import write_text_atomic

    write_text_atomic(output, text)
    click.echo(f"wrote {output}; edit it, then run: etikkverksted build {output} -o out/")


def run() -> None:  # pragma: no cover - console entry point for `python -m`
    main(prog_name="etikkverksted")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
