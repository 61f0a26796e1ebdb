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


def collect_less_often(func: F) -> F:
    """Run Python's cycle collector after 10,000 new objects instead of 700 while the
    command runs; the setting before it is restored when it ends.

    A pack allocates some millions of short-lived objects (pydantic's schemas, the plan,
    python-pptx's and lxml's proxies) and little cyclic garbage, so the default made about
    300 collections a pack, about 0.1 CPU s spent finding next to nothing. Batch workers are
    forked during the command and keep the setting for their life; garbage cycles are still
    collected, later. ``serve`` keeps Python's default.
    """

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import gc

        before = gc.get_threshold()
        gc.set_threshold(10_000, 10, 10)
        try:
            return func(*args, **kwargs)
        finally:
            gc.set_threshold(*before)

    return wrapper  # type: ignore[return-value]


def _load(libraries: tuple[Path, ...], lang: str | None = None) -> Library:
    """The packaged library plus the agency folders; with *lang*, every text must exist in
    that written standard (missing ones are listed with file and line)."""
    from .content.loader import load_library

    return load_library(libraries, lang=lang)  # type: ignore[arg-type]


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
    from .content.presentation import dilemma_summary, trinn_range

    library = _load(libraries, lang)
    rows = [dilemma_summary(d, lang) for d in library.sorted_dilemmas()]  # type: ignore[arg-type]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("No dilemmas in the library.")
        return
    width = max(len(r["id"]) for r in rows)
    for r in rows:
        trinn = f"trinn {trinn_range(r['maturity'])}"
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

    library = _load(libraries, lang)
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
@click.option("--spell", is_flag=True,
              help="Also spell-check the texts with hunspell (in --lang, or both standards).")
@user_errors
def validate(folder: Path | None, lang: str | None, spell: bool) -> None:
    """Validate the content library, or an agency's FOLDER on top of it.

    Reports every error at once, each with file, line, field and a fix. References between
    files and missing translations are checked once every file is valid on its own.

    \b
    Examples:
      etikkverksted validate
      etikkverksted validate --lang nn
      etikkverksted validate ./vare-dilemmaer --lang nn --spell
    """
    from .content.loader import load_library

    library = load_library([folder] if folder else [], lang=lang)  # type: ignore[arg-type]
    if spell:
        from .authoring.spelling import check_spelling
        from .errors import EtikkverkstedError

        only = {p for p in library.sources if folder and str(p).startswith(str(folder))}
        problems = []
        for code in ([lang] if lang else ["nb", "nn"]):
            result = check_spelling(library, code, only=only or None)  # type: ignore[arg-type]
            problems += result.problems
            click.echo(f"spelling ({code}): {result.unknown} unknown of {result.words} words "
                       f"({result.rate:.2%})")
        if problems:
            raise EtikkverkstedError(problems)
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
    from .outcome.model import Outcome
    from .output import write_text_atomic

    for name, model in (("content", LibraryFile), ("spec", WorkshopSpec),
                        ("outcome", Outcome)):
        path = output / f"etikkverksted-{name}.schema.json"
        write_text_atomic(path, json.dumps(model.model_json_schema(), ensure_ascii=False,
                                           indent=2) + "\n")
        click.echo(f"wrote {path}")


@main.command()
@click.argument("minutes", metavar="REFERAT.docx", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="The outcome file (.yaml, or .json); default: outcome.yaml beside the "
                   "minutes.")
@click.option("--force", is_flag=True, help="Overwrite an existing outcome file.")
@user_errors
def harvest(minutes: Path, output: Path | None, force: bool) -> None:
    """Read filled minutes (the referat from a pack) back into an outcome file.

    The outcome holds where people stood on each dilemma, the decisions, the agreed actions
    (act / influence / monitor), the parked issues and, for the parties, what they agreed and
    will take to their next meeting. Text typed outside the form is kept under `notes`. It
    keeps the names of action owners: it is the agency's own record. Use it for the
    follow-up workshop (`build --follow-up`) and, anonymised, for DFD's overview (`summary`).

    \b
    Example:
      etikkverksted harvest out/referat.docx -o outcome.yaml
    """
    from .errors import OutputError, Problem
    from .outcome import harvest_minutes
    from .outcome.files import write_outcome

    output = output or minutes.with_name("outcome.yaml")
    if output.exists() and not force:
        raise OutputError(Problem("the outcome file exists already",
                                  "use --force to overwrite it, or -o for another name",
                                  output))
    outcome = harvest_minutes(minutes)
    write_outcome(outcome, output)
    click.echo(f"read {len(outcome.dilemmas)} dilemmas, {len(outcome.decisions)} decisions, "
               f"{len(outcome.actions)} actions, {len(outcome.parking)} parked issues")
    for note in outcome.notes:
        place = " › ".join(p for p in (note.section, note.table,
                                       f"#{note.row}" if note.row else "") if p)
        click.echo(f"kept outside the form ({place}): {note.text}")
    for problem in outcome.problems:
        click.echo(f"warning: {problem}", err=True)
    click.echo(f"wrote {output}")


@main.command()
@click.argument("outcomes", nargs=-1, required=True, metavar="OUTCOME...",
                type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False),
              required=True, help="Folder for oversikt.docx, oversikt.csv and oversikt.json.")
@lang_option
@click.option("--name-agencies", is_flag=True,
              help="List the agencies by name (default: anonymous).")
@click.option("--include-text", is_flag=True,
              help="Include free text from the minutes (it can hold personal data).")
@click.option("--force", is_flag=True, help="Overwrite an existing overview.")
@library_option
@user_errors
def summary(outcomes: tuple[Path, ...], output: Path, lang: str, name_agencies: bool,
            include_text: bool, force: bool, libraries: tuple[Path, ...]) -> None:
    """Write DFD's overview across workshops from many outcome files (or folders of them).

    A Word report with native charts and a CSV and JSON of the same figures: workshops by
    audience, trinn and written standard; the dilemmas used; where people stood; actions by
    act / influence / monitor and theme; what was parked; what the parties take to their next
    meeting. Anonymous by default: no personal names ever, no agency names unless
    --name-agencies, no free text unless --include-text.

    \b
    Example:
      etikkverksted summary innsendt/ -o oversikt --lang nn
    """
    from .errors import OutputError, Problem
    from .outcome.files import load_outcome
    from .outcome.summary import overview_csv, summarize
    from .output import write_text_atomic
    from .writers.docx.overview import write_overview

    files: list[Path] = []
    for item in outcomes:
        if item.is_dir():
            files += sorted(p for p in item.iterdir() if p.suffix.lower() in
                            (".yaml", ".yml", ".json") and p.is_file())
        else:
            files.append(item)
    if not files:
        raise OutputError(Problem("no outcome files (.yaml, .yml or .json) were found",
                                  "give outcome files made by `etikkverksted harvest`, or a "
                                  "folder that holds them", outcomes[0]))
    names = ("oversikt.docx", "oversikt.csv", "oversikt.json")
    existing = [output / n for n in names if (output / n).exists()]
    if existing and not force:
        raise OutputError(Problem("the overview exists already", "use --force to overwrite it",
                                  existing[0]))
    loaded = [load_outcome(f) for f in files]
    library = _load(libraries)
    overview = summarize(loaded, library, lang,  # type: ignore[arg-type]
                         name_agencies=name_agencies, include_text=include_text)
    output.mkdir(parents=True, exist_ok=True)
    newest = max(o.workshop.date for o in loaded)
    write_overview(overview, library, output / names[0], date=newest)
    write_text_atomic(output / names[1], overview_csv(overview))
    write_text_atomic(output / names[2], overview.model_dump_json(indent=2) + "\n")
    click.echo(f"read {len(loaded)} outcomes; wrote " + ", ".join(str(output / n)
                                                                   for n in names))


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


def _spec(spec_path: Path, template: Path | None = None,
          docx_template: Path | None = None) -> Any:
    from .content.spec import load_spec

    spec = load_spec(spec_path)
    updates = {k: v.resolve() for k, v in (("template", template),
                                            ("docx_template", docx_template)) if v}
    return spec.model_copy(update=updates) if updates else spec


@main.command()
@click.argument("spec_path", metavar="SPEC.yaml", type=click.Path(path_type=Path))
@library_option
@click.option("--json", "as_json", is_flag=True, help="Print the whole plan as JSON.")
@user_errors
def plan(spec_path: Path, libraries: tuple[Path, ...], as_json: bool) -> None:
    """Print the run sheet of a workshop: clock time, minutes, segment, method.

    Check and adjust the spec before you build.

    \b
    Examples:
      etikkverksted plan examples/leiargruppe-trinn2-nn.yaml
      etikkverksted plan workshop.yaml --json > plan.json
    """
    from .planning import plan_workshop

    spec = _spec(spec_path)
    result = plan_workshop(spec, _load(libraries))
    if as_json:
        click.echo(result.model_dump_json(indent=2))
        return
    click.echo(f"{result.title}\n{result.subtitle}\n")
    width = max(len(s.title) for s in result.segments)
    for s in result.segments:
        method = s.method.name if s.method else ""
        click.echo(f"{s.start:%H:%M}  {s.minutes:>3} {result.label('minutes_short')}  "
                   f"{s.title:<{width}}  {method}")
    click.echo(f"{result.end:%H:%M}\n")
    for note in result.selection_notes:
        click.echo(note)


@main.command()
@click.argument("spec_path", metavar="[SPEC.yaml]", required=False,
                type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False),
              default=Path("out"), show_default=True, help="Folder for the pack.")
@click.option("--follow-up", "follow_up", type=click.Path(path_type=Path, dir_okay=False),
              help="An outcome file (from `harvest`): build the follow-up workshop. Without "
                   "SPEC it takes the first workshop's group, on the date its guide suggested, "
                   "for 60 minutes.")
@click.option("--template", type=click.Path(path_type=Path, dir_okay=False),
              help="The agency's PowerPoint template (.pptx/.potx); overrides the spec.")
@click.option("--docx-template", type=click.Path(path_type=Path, dir_okay=False),
              help="The agency's Word template (.docx/.dotx); overrides the spec.")
@click.option("--pdf", is_flag=True, help="Also write PDFs (needs LibreOffice).")
@click.option("--force", is_flag=True, help="Overwrite an existing pack.")
@library_option
@user_errors
@collect_less_often
def build(spec_path: Path | None, output: Path, follow_up: Path | None,
          template: Path | None, docx_template: Path | None, pdf: bool, force: bool,
          libraries: tuple[Path, ...]) -> None:
    """Build the workshop pack for one meeting: deck, participant sheet, facilitator guide,
    minutes template and dilemma cards.

    \b
    Examples:
      etikkverksted build examples/leiargruppe-trinn2-nb.yaml -o out/
      etikkverksted build workshop.yaml -o out/ --template agency.potx --pdf
      etikkverksted build --follow-up outcome.yaml -o oppfolging/
    """
    import os

    from .build.pack import build_pack, deck_standby

    if spec_path is None and follow_up is None:
        raise click.UsageError("give a SPEC.yaml, or --follow-up OUTCOME for a follow-up")
    processes = os.cpu_count() or 1
    # The deck's process starts now and imports its writer while this one reads and plans.
    with deck_standby(processes) as standby:
        if spec_path is None:
            from .outcome.files import load_outcome
            from .planning.followup import follow_up_spec

            assert follow_up is not None
            spec = follow_up_spec(load_outcome(follow_up), follow_up)
            updates = {k: v.resolve() for k, v in (("template", template),
                                                    ("docx_template", docx_template)) if v}
            spec = spec.model_copy(update=updates) if updates else spec
        else:
            spec = _spec(spec_path, template, docx_template)
            if follow_up is not None:
                spec = spec.model_copy(update={"follow_up": follow_up.resolve()})

        result = build_pack(spec, _load(libraries), output, force=force, pdf=pdf,
                            processes=processes, standby=standby)
    for path in result.files:
        click.echo(f"wrote {path}")
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if result.findings:
        from .quality import format_findings

        click.echo(format_findings(result.findings), err=True)
    else:
        click.echo("check: no findings")
    errors = sum(1 for f in result.findings if f.severity == "error")
    if errors:
        raise UserError(f"the quality check found {errors} error(s) in the pack (listed above); "
                        "the files are written, but fix the cause before you use them")


@main.command()
@click.option("--answers", "answers_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Answers file (YAML) instead of questions in the terminal.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              default=Path("workshop.yaml"), show_default=True,
              help="Where to write the recommended workshop spec.")
@click.option("--agency", default=None, help="The agency's name for the spec.")
@click.option("--audience", type=click.Choice(["leaders", "parties", "employees"]),
              default=None, help="Audience of the workshop; default: recommended.")
@click.option("--duration", type=click.IntRange(45, 240), default=None,
              help="Workshop minutes (default 90).")
@click.option("--force", is_flag=True, help="Overwrite an existing spec file.")
@library_option
@lang_option
@user_errors
def assess(answers_path: Path | None, output: Path, agency: str | None, audience: str | None,
           duration: int | None, force: bool, libraries: tuple[Path, ...], lang: str) -> None:
    """Place the agency on DFØ's ladder, rate how its work is organised, write a spec.

    Keeps two things apart: where the agency is on DFØ's usage ladder (the `bruk`
    questions; this becomes the workshop's trinn) and how mature its organisation of the
    work is (strategic anchoring, organisation, competence, legal and ethical assessment,
    involvement). The recommendation uses both: the weakest dimension chooses the audience,
    and the balance between use and organisation says where to start. Writes a ready spec.

    \b
    Examples:
      etikkverksted assess --lang nn -o workshop.yaml
      etikkverksted assess --answers answers.yaml -o workshop.yaml
    \b
    An answers file:
      agency: Direktoratet for eksempelforvaltning
      answers: {sf-mal: 2, bruk-trinn: 3, ...}
    """
    import datetime as dt

    from .errors import OutputError, Problem
    from .output import write_text_atomic
    from .planning.assessment import load_answers, score, spec_yaml

    library = _load(libraries)
    if output.exists() and not force:
        raise OutputError(Problem("the spec file exists already", "use --force or -o", output))
    extra: dict[str, Any] = {}
    if answers_path is not None:
        extra = load_answers(answers_path)
        answers = extra["answers"]
    else:
        answers = {}
        click.echo(library.label("assess_intro", lang) + "\n")  # type: ignore[arg-type]
        questions = list(library.assessment.values())
        for n, q in enumerate(questions, 1):
            click.echo(f"{n}/{len(questions)}  {q.text.get(lang)}")  # type: ignore[arg-type]
            for i, option in enumerate(q.options, 1):
                click.echo(f"   {i}. {option.text.get(lang)}")  # type: ignore[arg-type]
            answers[q.id] = click.prompt(library.label("assess_prompt", lang),  # type: ignore[arg-type]
                                         type=click.IntRange(1, len(q.options)))
            click.echo()
    lang = extra.get("language") or lang
    result = score(answers, library, lang)  # type: ignore[arg-type]
    for line in result.explanation:
        click.echo(line)
    click.echo("\n" + library.label("assess_profile_organisation", lang))  # type: ignore[arg-type]
    for d in result.profile:
        if d.dimension != "bruk":
            click.echo(f"  {d.name:<36} {d.score:.1f}  {'#' * round(d.score * 5)}")
    click.echo("\n" + library.label("assess_profile_use", lang))  # type: ignore[arg-type]
    click.echo(f"  {library.label('assess_use', lang):<36} {result.usage:.1f}  "  # type: ignore[arg-type]
               f"{'#' * round(result.usage * 5)}")
    text = spec_yaml(result, agency=agency or extra.get("agency")
                     or library.label("plan_default_agency", lang),  # type: ignore[arg-type]
                     audience=audience or extra.get("audience"),  # type: ignore[arg-type]
                     lang=lang,  # type: ignore[arg-type]
                     date=extra.get("date") or dt.date.today() + dt.timedelta(days=14),
                     duration=duration or extra.get("duration_minutes") or 90)
    write_text_atomic(output, text)
    click.echo(f"\nwrote {output}; build it with: etikkverksted build {output} -o out/")


@main.command()
@click.argument("specs", required=False, type=click.Path(path_type=Path))
@click.option("--standard", is_flag=True,
              help="DFD's standard packs: every audience x trinn 1-4 x nb/nn (24 packs).")
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False),
              required=True, help="Folder for the packs.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Parallel processes (default: the number of cores).")
@click.option("--zip", "zip_it", is_flag=True, help="Also write each pack as a .zip.")
@click.option("--pdf", is_flag=True, help="Also write PDFs (needs LibreOffice).")
@click.option("--force", is_flag=True, help="Overwrite existing packs.")
@click.option("--date", "date_", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Date for standard packs (default: today).")
@click.option("--duration", type=click.IntRange(45, 240), default=90, show_default=True,
              help="Minutes for standard packs.")
@click.option("--no-check", is_flag=True, help="Skip the quality check of what was written.")
@library_option
@user_errors
@collect_less_often
def batch(specs: Path | None, standard: bool, output: Path, jobs: int | None, zip_it: bool,
          pdf: bool, force: bool, date_: Any, duration: int, no_check: bool,
          libraries: tuple[Path, ...]) -> None:
    """Build many packs: DFD's standard packs, a folder of specs, or a CSV of agencies.

    A CSV has one agency per row and the columns agency, audience, maturity, date and
    optionally language, duration_minutes, format, start_time, facilitator, dilemmas
    (ids separated by spaces). Comma, semicolon or tab as delimiter, UTF-8. Failing packs
    do not stop the others; all failures are listed at the end and the exit code is 1.
    Writes manifest.json and index.html.

    \b
    Examples:
      etikkverksted batch --standard -o standardpakker --zip
      etikkverksted batch agencies.csv -o pakker --jobs 2
      etikkverksted batch specs/ -o pakker
    """
    import datetime as dt

    from .build.batch import BatchInterrupted, jobs_from_path, run_batch, standard_jobs
    from .content.loader import load_library

    if standard == (specs is not None):
        raise UserError("give either SPECS (a folder of specs or a CSV) or --standard")
    library = load_library(libraries)  # fail early, once, on a broken library
    if standard:
        date = date_.date() if date_ else dt.date.today()
        todo = standard_jobs(date, duration, library)
    else:
        assert specs is not None
        todo = jobs_from_path(specs, library)
    failures: list[str] = []
    with click.progressbar(length=len(todo), label=f"Building {len(todo)} packs",
                           file=sys.stderr, show_pos=True) as bar:
        def progress(result: Any) -> None:
            bar.update(1)
            if result.error:
                failures.append(f"{result.job.name} ({result.job.origin}): {result.error}")

        try:
            # The CLI is one thread, so its workers may be forked (the fastest start).
            results = run_batch(todo, output, library=library, jobs_n=jobs or 0, force=force,
                                pdf=pdf, zip_it=zip_it, check=not no_check,
                                progress=progress, start_method="fork")
        except BatchInterrupted as stopped:
            kept = sum(1 for r in stopped.results if r.error is None)
            click.echo(f"\nInterrupted: {kept} of {stopped.total} packs were finished and "
                       f"are kept in {output} (manifest.json, index.html list them).", err=True)
            sys.exit(130)
    ok = [r for r in results if r.error is None]
    findings = sum(r.findings for r in ok)
    click.echo(f"{len(ok)} of {len(results)} packs built in {output} "
               f"(manifest.json, index.html).")
    if findings:
        click.echo(f"warning: the quality check found {findings} error(s); run "
                   f"`etikkverksted check` on the files for details", err=True)
    if failures:
        raise UserError(f"{len(failures)} pack(s) failed:\n" + "\n".join(
            f"  - {f}" for f in failures))


@main.command("template-info")
@click.argument("template", type=click.Path(path_type=Path, dir_okay=False))
@user_errors
def template_info_cmd(template: Path) -> None:
    """List the layouts and placeholders of a PowerPoint template (.pptx/.potx), which slide
    type will use which layout, and what is missing.

    \b
    Example:
      etikkverksted template-info agency.potx
    """
    from .writers.pptx import template_info

    click.echo(str(template_info(template)))


@main.command()
@click.argument("files", nargs=-1, required=True,
                type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@user_errors
def check(files: tuple[Path, ...], as_json: bool) -> None:
    """Check .pptx and .docx files for accessibility and quality problems.

    Missing or duplicate slide titles, missing alt text, missing or wrong language, small
    text, low contrast, overflowing text, empty placeholders, missing speaker notes, missing
    document properties, headings out of order. Exit code 1 when an error is found.

    \b
    Examples:
      etikkverksted check out/*.pptx out/*.docx
      etikkverksted check deck.pptx --json
    """
    from .quality import check_files, findings_json, format_findings

    findings = check_files(list(files))
    click.echo(findings_json(findings) if as_json else format_findings(findings))
    if any(f.severity == "error" for f in findings):
        sys.exit(1)


@main.command("draft-nn")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Where to write the result (default: FILE itself; only nn: lines are "
                   "added).")
@user_errors
def draft_nn(file: Path, output: Path | None) -> None:
    """Draft nynorsk for every bokmål text in FILE that lacks it, with Apertium.

    Each drafted text is marked with a comment; words Apertium did not know are listed.
    A machine draft is a start: read it through before you use it.

    \b
    Example:
      etikkverksted draft-nn vare-dilemmaer/budsjett.yaml
    """
    from .authoring.drafting import draft_nynorsk

    report = draft_nynorsk(file, output)
    if not report.drafted:
        click.echo(f"{file}: every text has nynorsk already; nothing written")
        return
    click.echo(f"wrote {report.target}: {report.drafted} nynorsk draft(s), each marked "
               "for proofreading")
    if report.unknown:
        words = ", ".join(f"{w} ({n})" if n > 1 else w for w, n in sorted(report.unknown.items()))
        click.echo(f"words Apertium did not know (check them): {words}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. 0.0.0.0 makes the page reachable from other "
                   "machines: there is no login, so put it behind a reverse proxy with sign-in.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@library_option
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the browser.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Build processes (default: the number of cores).")
@click.option("--queue", type=click.IntRange(0, 1000), default=None,
              help="Builds that may wait for a free worker before the server answers 503 "
                   "(default: 3 per worker).")
@click.option("--timeout", type=click.IntRange(5, 3600), default=120, show_default=True,
              help="Seconds one build may take.")
@click.option("--max-upload-mb", type=click.IntRange(1, 1024), default=25, show_default=True,
              help="Largest upload in MB (413 above it).")
@user_errors
def serve(host: str, port: int, libraries: tuple[Path, ...], open_browser: bool,
          workers: int | None, queue: int | None, timeout: int, max_upload_mb: int) -> None:
    """Start the web page where HR staff plan a workshop and download its pack.

    \b
    Examples:
      etikkverksted serve                  then open http://127.0.0.1:8000/
      etikkverksted serve --open --library vare-dilemmaer/
    """
    try:
        import uvicorn

        from .web import create_app
    except ImportError as exc:  # pragma: no cover - the web parts are regular dependencies
        raise UserError(f"the web server needs its parts installed ({exc.name}); run "
                        "`pip install etikkverksted` again") from None
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(click.style("Warning: ", fg="yellow", bold=True)
                   + f"listening on {host}: anyone who can reach this address can use the "
                   "page; there is no login. Put it behind the agency's reverse proxy with "
                   "sign-in (see the README, section 'Web page').", err=True)
    app = create_app(libraries, workers=workers, queue=queue, timeout=timeout,
                     max_upload=max_upload_mb * 1024 * 1024)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    click.echo(f"etikkverksted: {url} (Ctrl-C stops the server)")
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.5, webbrowser.open, args=(url,)).start()
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False,
                proxy_headers=False)


def run() -> None:  # pragma: no cover - console entry point for `python -m`
    main(prog_name="etikkverksted")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
