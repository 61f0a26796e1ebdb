"""Pydantic models of the content library and of the workshop spec.

The models are the documentation: every ``Field(description=...)`` ends up in the JSON Schema
that ``etikkverksted schema`` writes, so a content author editing YAML sees these texts in the
editor. ``extra="forbid"`` everywhere turns a misspelt key into an error instead of a silently
ignored field.

All Norwegian text lives in the YAML library, never here. A text that a user will read is a
:class:`LText` (localised text): bokmål is required, nynorsk is expected, English is optional.
Asking for a language that a text lacks raises :class:`MissingTranslation`; nothing ever falls
back silently to another written standard.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

Lang = Literal["nb", "nn"]
"""Output languages: the two written standards of Norwegian."""

LANGS: tuple[Lang, ...] = ("nb", "nn")

Audience = Literal["leaders", "parties", "employees"]
"""Who is in the room: a leader group; the parties (employer side and union representatives
together); an employee group."""

AUDIENCES: tuple[Audience, ...] = ("leaders", "parties", "employees")

Trinn = Annotated[int, Field(ge=1, le=4, description="DFØ maturity step, 1-4 (rapport §2.2).")]

def _ordered_range(value: tuple[int, int]) -> tuple[int, int]:
    if value[0] > value[1]:
        raise ValueError("maturity is [from, to]; 'from' must not exceed 'to'")
    return value


MaturityRange = Annotated[tuple[Trinn, Trinn], AfterValidator(_ordered_range)]
"""A range of DFØ steps ``[from, to]``, both included; ``[1, 4]`` is every step."""

MtoDimension = Literal["menneske", "teknologi", "organisasjon"]

QuestionRole = Literal["opening", "deepening", "action"]

PartiesSide = Literal["employer", "union", "joint"]

DecisionMode = Literal["codetermination", "management", "both"]

WorkshopFormat = Literal["in_person", "digital"]

Slug = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        max_length=60,
        description="Identifier: lower-case letters a-z, digits and hyphens.",
    ),
]

# C0 control characters other than tab and newline, and C1 controls. python-pptx turns them
# into literal "_x0001_" text and python-docx raises on them, so they are removed at the model
# boundary (see docs in ooxml-notes). With them go the characters XML cannot hold at all
# (lone surrogates, U+FFFE, U+FFFF: lxml raises ValueError on them), and the invisible ones
# that make a name read differently from what it is: bidi overrides and isolates (U+202E
# turns "gpj.exe" around), zero-width spaces and joiners, the word joiner and a stray BOM.
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]|"
                      + INVISIBLE.pattern)


def clean_text(value: str) -> str:
    """Return *value* without control, non-XML and invisible formatting characters, and
    with surrounding blanks removed."""
    return _CONTROL.sub("", value).strip()


class MissingTranslation(LookupError):
    """A text has no version in the language that was asked for."""

    def __init__(self, lang: str, text: LText) -> None:
        self.lang = lang
        self.text = text
        super().__init__(f"no '{lang}' text for: {text.nb[:60]!r}")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class LText(_Model):
    """A text in bokmål (``nb``, required), nynorsk (``nn``) and optionally English (``en``)."""

    nb: str = Field(min_length=1, description="Bokmål. Required.")
    nn: str | None = Field(
        default=None,
        min_length=1,
        description="Nynorsk. Expected: a deck in nynorsk cannot be built without it.",
    )
    en: str | None = Field(default=None, description="English. Optional, never printed.")

    @field_validator("nb", "nn", "en", mode="before")
    @classmethod
    def _clean(cls, value: Any) -> Any:
        if isinstance(value, str):
            return clean_text(value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        return value

    def get(self, lang: Lang) -> str:
        """Return the text in *lang*; raise :class:`MissingTranslation` if it has none."""
        value = getattr(self, lang, None)
        if not value:
            raise MissingTranslation(lang, self)
        return value

    def has(self, lang: Lang) -> bool:
        return bool(getattr(self, lang, None))


def Limit(chars: int) -> AfterValidator:
    """A length limit for a library text, in characters, in every written standard.

    The limits are what the deck, the handouts and the cards can hold: a longer text is
    shrunk to the smallest readable size and still overflows its box. ``validate`` refuses
    it with the limit, instead of a build that reports overflow on every slide.
    """

    def check(text: LText) -> LText:
        for lang in ("nb", "nn", "en"):
            value = getattr(text, lang)
            if value and len(value) > chars:
                raise PydanticCustomError(
                    "text_too_long",
                    "the text ({lang}) is {length} characters; at most {limit} fit where it "
                    "is printed",
                    {"lang": lang, "length": len(value), "limit": chars})
        return text

    return AfterValidator(check)


def _neutral_label(value: Any) -> Any:
    """Let a chart label such as a year be written once for every language."""
    if isinstance(value, str | int) and not isinstance(value, bool):
        return {"nb": str(value), "nn": str(value)}
    return value


class Series(_Model):
    """A data series that a writer can draw as a native chart."""

    labels: list[Annotated[LText, Field()]] = Field(
        min_length=1,
        description="Category labels. A plain string (for example a year) counts for both "
        "written standards; otherwise give nb and nn.",
    )
    values: list[float] = Field(min_length=1, description="One value per label.")
    name: LText | None = Field(default=None, description="Series name shown in the legend.")
    chart: Literal["column", "bar"] = Field(
        default="bar",
        description="column for time series, bar for categories with long labels.",
    )

    @field_validator("labels", mode="before")
    @classmethod
    def _labels(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [_neutral_label(v) for v in value]
        return value

    @model_validator(mode="after")
    def _same_length(self) -> Series:
        if len(self.labels) != len(self.values):
            raise ValueError(
                f"series has {len(self.labels)} labels but {len(self.values)} values; "
                "give exactly one value per label"
            )
        return self


class Fact(_Model):
    """A fact or figure from the report, always with its citation."""

    id: Slug
    statement: Annotated[LText, Limit(450)] = Field(
        description="The fact in one plain sentence, in your own words.")
    value: float | None = Field(
        default=None, description="The headline number, exactly as the report gives it."
    )
    unit: str | None = Field(
        default=None, description="Unit of value and series: '%', 'prosentpoeng', 'TWh' ..."
    )
    source: str = Field(
        min_length=3,
        description="Citation in the report: section or figure, e.g. 'rapport fig. 2.3'.",
    )
    series: Series | None = Field(
        default=None, description="The figure's whole series, when the report has one."
    )
    maturity: MaturityRange = Field(
        default=(1, 4), description="Maturity range [from, to] where this fact is most useful."
    )
    themes: list[Slug] = Field(default_factory=list, description="Theme ids it speaks to.")


class Question(_Model):
    """A reflection question for one or more audiences and a range of maturity steps."""

    id: Slug
    text: Annotated[LText, Limit(240)] = Field(
        description="Open, short (at most ~25 words), one idea, not yes/no.")
    audiences: list[Audience] = Field(min_length=1, description="Who the question is for.")
    maturity: MaturityRange = Field(
        default=(1, 4), description="Maturity range [from, to] the question fits."
    )
    role: QuestionRole = Field(
        description="opening: gets people talking; deepening: digs into the tension; "
        "action: turns talk into something to do."
    )
    side: PartiesSide = Field(
        default="joint",
        description="For the parties: employer and union reflect separately first "
        "(employer / union), then meet (joint). Ignored for other audiences.",
    )
    probes: list[Annotated[LText, Limit(200)]] = Field(
        default_factory=list, description="Follow-up probes.")

    def fits(self, audience: Audience, trinn: int) -> bool:
        return audience in self.audiences and self.maturity[0] <= trinn <= self.maturity[1]


class Poles(_Model):
    """The two fair end points of the position line ("Hvor står du?")."""

    left: Annotated[LText, Limit(220)]
    right: Annotated[LText, Limit(220)]


class FacilitatorNotes(_Model):
    typical_positions: list[Annotated[LText, Limit(260)]] = Field(min_length=1)
    listen_for: list[Annotated[LText, Limit(260)]] = Field(min_length=1)
    pitfalls: list[Annotated[LText, Limit(260)]] = Field(min_length=1)


class Dilemma(_Model):
    """A real tension between two legitimate values, with everything needed to run it."""

    id: Slug
    title: Annotated[LText, Limit(90)]
    summary: Annotated[LText, Limit(420)] = Field(
        description="The tension in one or two sentences.")
    scenario: Annotated[LText, Limit(1100)] = Field(
        description="60-120 words: a fictional but plausible agency.")
    poles: Poles
    background: Annotated[LText, Limit(4000)]
    facts: list[Slug] = Field(min_length=1, description="Ids of facts (see facts.yaml).")
    questions: list[Question] = Field(min_length=1)
    mto: list[MtoDimension] = Field(min_length=1)
    themes: list[Slug] = Field(min_length=1, description="Theme ids (see themes.yaml).")
    recommendations: list[Annotated[int, Field(ge=1, le=7)]] = Field(
        min_length=1, description="Numbers of the report's recommendations that answer it."
    )
    legal: list[Slug] = Field(default_factory=list, description="Legal frame ids it touches.")
    decision: DecisionMode = Field(
        description="Is this a matter for co-determination between the parties, for "
        "management, or both?"
    )
    decision_note: Annotated[LText, Limit(1200)] = Field(description="Why, in a sentence or two.")
    facilitator: FacilitatorNotes
    method: Slug = Field(description="Suggested method id (see methods.yaml).")
    minutes: int = Field(ge=10, le=90, description="Suggested minutes for the whole dilemma.")
    maturity_relevance: dict[Trinn, Annotated[int, Field(ge=0, le=3)]] = Field(
        description="How relevant the dilemma is at each trinn: 0 (not) to 3 (central). "
        "Give all four steps."
    )
    source: str = Field(min_length=3, description="Where in the report, e.g. 'rapport §4.4'.")

    @model_validator(mode="after")
    def _check(self) -> Dilemma:
        missing = sorted({1, 2, 3, 4} - set(self.maturity_relevance))
        if missing:
            raise ValueError(
                f"maturity_relevance lacks trinn {missing}; give a weight 0-3 for each of 1-4"
            )
        ids = [q.id for q in self.questions]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"question ids repeat within the dilemma: {dupes}")
        return self

    def questions_for(self, audience: Audience, trinn: int) -> list[Question]:
        return [q for q in self.questions if q.fits(audience, trinn)]


class Recommendation(_Model):
    """One of the report's seven recommendations (chapter 5)."""

    number: int = Field(ge=1, le=7)
    title: Annotated[LText, Limit(110)]
    text: Annotated[LText, Limit(600)] = Field(description="The recommendation in your own words.")
    advice_dfd: Annotated[LText, Limit(400)] = Field(
        description="What the report advises DFD to do.")
    maturity: MaturityRange = Field(
        default=(1, 4), description="Maturity range [from, to] where it should be emphasised."
    )
    audiences: list[Audience] = Field(default_factory=lambda: list(AUDIENCES))
    source: str = Field(default="rapport kap. 5")


class MethodForm(_Model):
    name: LText
    steps: list[LText] = Field(min_length=1)
    materials: list[LText] = Field(default_factory=list)


class Method(_Model):
    """A way to run a discussion step, in the room and online."""

    id: Slug
    name: Annotated[LText, Limit(60)]
    summary: Annotated[LText, Limit(300)]
    steps: list[Annotated[LText, Limit(360)]] = Field(
        min_length=1, description="Step by step, for the facilitator.")
    materials: list[LText] = Field(default_factory=list)
    digital: MethodForm = Field(description="The online form of the method.")
    min_minutes: int = Field(default=5, ge=1, le=60)


class AudienceVariant(_Model):
    bullets: list[LText] = Field(default_factory=list)
    notes: list[LText] = Field(default_factory=list)


class Block(_Model):
    """A reusable workshop segment: opening, ground rules, wrap-up, evaluation ..."""

    id: Slug
    title: Annotated[LText, Limit(70)]
    bullets: list[Annotated[LText, Limit(140)]] = Field(
        default_factory=list, description="What the room sees.")
    notes: list[Annotated[LText, Limit(500)]] = Field(
        default_factory=list, description="What the facilitator does.")
    method: Slug | None = None
    audience: dict[Audience, AudienceVariant] = Field(
        default_factory=dict, description="Extra bullets and notes for one audience."
    )
    digital_notes: list[LText] = Field(
        default_factory=list, description="Extra notes when the workshop runs online."
    )


class MaturityLevel(_Model):
    trinn: Trinn
    name: LText
    description: LText
    needs: LText = Field(description="What an agency at this step needs most.")
    share_fact: Slug | None = Field(default=None, description="Fact id with the share here.")


class MtoEntry(_Model):
    id: MtoDimension
    name: LText
    description: LText
    examples: list[LText] = Field(default_factory=list)


class Theme(_Model):
    id: Slug
    name: LText
    kind: Literal["dimension", "scenario_theme", "other"]


class LegalFrame(_Model):
    id: Slug
    name: LText
    reference: LText = Field(description="The source a lawyer can look up: law and paragraph, "
                             "article, or agreement and section, e.g. "
                             "'arbeidsmiljøloven §§ 9-1 og 9-2'.")
    description: LText
    checked: dt.date | None = Field(
        default=None, description="For law whose status is changing (a regulation not yet in "
        "force in Norway, say): the date the library's statement about its status was last "
        "checked, so a reader knows when to look again.")


class AudienceProfile(_Model):
    """What an audience decides, and what the room produces."""

    id: Audience
    name: LText = Field(description="E.g. 'Ledergruppe'.")
    description: LText
    produces: LText = Field(description="What the room leaves with.")
    advice: list[LText] = Field(min_length=1, description="Facilitation advice.")
    follow_up: LText = Field(description="Where the results go next.")


class GlossaryEntry(_Model):
    id: Slug
    term: Annotated[LText, Limit(60)]
    definition: Annotated[LText, Limit(400)]


class ProtocolCase(_Model):
    """One kind of disclosure and what to do about it."""

    id: Slug
    title: LText = Field(description="E.g. 'Brudd på personopplysningssikkerheten'.")
    signs: LText = Field(description="What a participant says that makes this case apply.")
    steps: list[LText] = Field(min_length=1, description="What the facilitator does, in order.")
    tell: LText = Field(description="Who to tell, and by when.")


class Protocol(_Model):
    """What a facilitator does when something said in the room must not simply be discussed
    on: a personal-data breach, a confidentiality problem, a conflict with a named person."""

    id: Slug
    title: LText
    summary: LText = Field(description="One or two sentences for the notes and the first page.")
    steps: list[LText] = Field(min_length=1,
                               description="What to do in every case, in order (stop first).")
    cases: list[ProtocolCase] = Field(min_length=1)
    notice: LText = Field(description="What the facilitator says to the room when it happens.")
    legal_frames: list[Slug] = Field(
        default_factory=list,
        description="Dilemmas linked to any of these legal frames carry the protocol in the "
        "notes of their scenario.")


class WatchList(_Model):
    """The three things a facilitator watches for with one audience (first page of the guide)."""

    id: Audience
    items: list[LText] = Field(min_length=3, max_length=3)


class GlossaryMatch(_Model):
    """Which words count as a use of a glossary term (so that the glossary lists it)."""

    id: Slug = Field(description="The glossary entry's id.")
    begins: dict[Lang, list[str]] = Field(
        default_factory=dict, description="Beginnings of words, per written standard.")
    words: dict[Lang, list[str]] = Field(
        default_factory=dict, description="Whole words or phrases, per written standard.")


class AssessmentOption(_Model):
    text: LText
    score: int = Field(ge=1, le=4, description="The trinn this answer points to.")


class AssessmentQuestion(_Model):
    id: Slug
    dimension: Slug = Field(description="Theme id of one of the report's five dimensions, "
                            "or 'bruk' for the DFØ ladder itself.")
    text: LText
    options: list[AssessmentOption] = Field(min_length=2)


class StrategicDilemma(_Model):
    """One of the strategic dilemmas of the report's §4.4, and the library dilemmas that
    take it up. The planner spreads these over audiences and trinn so that DFD's standard
    packs cover every one of them."""

    id: Slug
    number: int = Field(ge=1, le=20, description="Its order in the report's §4.4.")
    title: LText = Field(description="The strategic dilemma as a short title, own words.")
    source: str = Field(min_length=3, description="Where in the report, e.g. 'rapport §4.4'.")
    dilemmas: list[Slug] = Field(
        min_length=1, description="Ids of the library dilemmas that address it, best first.")


ScenarioAxis = Literal["high", "low"]


class Scenario2040(_Model):
    """One of the four 2040 scenarios of the report's 2x2 (use of generative AI high/low x
    governance strong/weak, rapport §1.3.5), told along the five scenario themes."""

    id: Slug
    use: ScenarioAxis = Field(description="How much generative AI is used in 2040.")
    governance: ScenarioAxis = Field(description="How strongly its use is governed: "
                                     "high = strong governance, low = weak.")
    title: LText
    summary: LText = Field(description="The scenario in one sentence.")
    themes: dict[Slug, LText] = Field(
        min_length=1, description="A short narrative per scenario theme id (arbeidsmiljo, "
        "samarbeid, kompetanseutvikling, innovasjon, ledelse).")
    questions: list[LText] = Field(
        min_length=2, description="Questions that step back from this 2040 to what to do now.")


class ReadingItem(_Model):
    """Existing guidance a participant would look for next: named by publisher and title,
    never by a URL that will rot."""

    id: Slug
    publisher: LText = Field(description="Who publishes it, e.g. 'Datatilsynet'.")
    title: str = Field(min_length=3, description="The title as published (not translated).")
    kind: LText = Field(description="What it is, e.g. 'veileder', 'sluttrapport'.")
    about: LText = Field(description="One sentence: what a participant finds in it.")
    themes: list[Slug] = Field(min_length=1, description="Theme ids it speaks to; a "
                               "dilemma with one of them points to it.")
    cited: str | None = Field(default=None, description="Where the report cites it, if it "
                              "does, e.g. 'rapport §3.4'.")


class LibraryFile(_Model):
    """One YAML file of the content library. Each file holds any of these sections."""

    dilemmas: list[Dilemma] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    recommendations: list[Recommendation] = Field(default_factory=list)
    methods: list[Method] = Field(default_factory=list)
    blocks: list[Block] = Field(default_factory=list)
    maturity_levels: list[MaturityLevel] = Field(default_factory=list)
    mto: list[MtoEntry] = Field(default_factory=list)
    themes: list[Theme] = Field(default_factory=list)
    legal_frames: list[LegalFrame] = Field(default_factory=list)
    audiences: list[AudienceProfile] = Field(default_factory=list)
    glossary: list[GlossaryEntry] = Field(default_factory=list)
    assessment: list[AssessmentQuestion] = Field(default_factory=list)
    protocols: list[Protocol] = Field(default_factory=list)
    watch_lists: list[WatchList] = Field(default_factory=list)
    glossary_matches: list[GlossaryMatch] = Field(default_factory=list)
    strategic_dilemmas: list[StrategicDilemma] = Field(default_factory=list)
    scenarios_2040: list[Scenario2040] = Field(default_factory=list)
    further_reading: list[ReadingItem] = Field(default_factory=list)
    labels: dict[str, LText] = Field(
        default_factory=dict,
        description="Fixed labels a writer prints, by key. Writers never hold Norwegian text.",
    )
    replaces: list[str] = Field(
        default_factory=list,
        description="In an agency's own folder: ids of packaged items that this file "
        "deliberately replaces. Redefining an id without listing it here is an error.",
    )


FIRST_YEAR, LAST_YEAR = 2000, 2099
"""The years a workshop date may have."""


class OwnCase(_Model):
    """The agency's own plan or use of generative AI, worked through in the workshop: a
    title and a short description, or a file that holds them."""

    title: str | None = Field(default=None, min_length=1, max_length=120,
                              description="A short name for the case.")
    description: str | None = Field(
        default=None, min_length=1, max_length=1500,
        description="What the case is, in a few sentences: what AI will do, for whom.")
    file: Path | None = Field(
        default=None, description="Instead of title and description: a .yaml file with "
        "`title:` and `description:`, or a .txt/.md file whose first line is the title. "
        "Relative to the spec's folder.")

    @field_validator("title", "description", mode="before")
    @classmethod
    def _clean(cls, value: Any) -> Any:
        return clean_text(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _either(self) -> OwnCase:
        if self.file is None and not (self.title and self.description):
            raise ValueError("give `title` and `description`, or `file`")
        if self.file is not None and (self.title or self.description):
            raise ValueError("give either `file` or `title` and `description`, not both")
        return self


Focus = Literal["standard", "own-case", "scenario-2040"]
"""What the workshop is built around: dilemmas (standard), the agency's own case, or the
2040 scenario exercise."""


class WorkshopSpec(_Model):
    """The user's input: one workshop for one meeting."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="Workshop spec")

    agency: str = Field(min_length=1, max_length=150, description="The agency's name.")
    date: dt.date = Field(description="Date of the meeting, YYYY-MM-DD.")
    audience: Audience
    maturity: Trinn
    language: Lang = "nb"
    duration_minutes: int = Field(ge=45, le=240, description="45-240 minutes.")
    dilemmas: list[Slug] = Field(
        default_factory=list, description="Dilemma ids; empty = choose automatically."
    )
    facilitator: str | None = Field(default=None, max_length=120)
    template: Path | None = Field(default=None, description="An agency .pptx/.potx.")
    docx_template: Path | None = Field(default=None, description="An agency .docx/.dotx.")
    format: WorkshopFormat = Field(default="in_person", description="in_person | digital")
    start_time: dt.time = Field(default=dt.time(9, 0), description="Clock time, HH:MM.")
    scenario_cross: bool | None = Field(
        default=None,
        description="Include the 2040 scenario exercise (four written futures and the way "
        "back to now); allowed from 90 minutes, default: when there is time (>= 180 min).",
    )
    follow_up: Path | None = Field(
        default=None,
        description="An outcome file from `etikkverksted harvest`: plan the follow-up workshop "
        "of that meeting instead (45-90 minutes, the same audience).",
    )
    focus: Focus = Field(
        default="standard",
        description="standard: dilemmas; own-case: a short workshop on the agency's own case "
        "(needs own_case); scenario-2040: the 2040 scenario exercise on its own (60 min or "
        "more).",
    )
    own_case: OwnCase | None = Field(
        default=None,
        description="One real plan or use of AI in the agency, worked through with MTO, act / "
        "influence / monitor and what must be assessed next. A segment of any workshop of 75 "
        "minutes or more, or the whole workshop with focus: own-case.",
    )

    @model_validator(mode="after")
    def _focus_fits(self) -> WorkshopSpec:
        if self.focus == "own-case" and self.own_case is None:
            raise ValueError("focus: own-case needs `own_case:` with a title and a "
                             "description (or a file)")
        if self.focus != "standard" and self.dilemmas:
            raise ValueError(f"focus: {self.focus} has no dilemmas; remove `dilemmas:` or "
                             "set focus: standard")
        if self.focus == "scenario-2040" and self.scenario_cross is False:
            raise ValueError("focus: scenario-2040 is the scenario exercise; remove "
                             "scenario_cross: false")
        if self.focus == "scenario-2040" and self.duration_minutes < 60:
            raise ValueError("focus: scenario-2040 needs at least 60 minutes "
                             "(duration_minutes)")
        return self

    @field_validator("agency", "facilitator", mode="before")
    @classmethod
    def _clean(cls, value: Any) -> Any:
        return clean_text(value) if isinstance(value, str) else value

    @field_validator("date")
    @classmethod
    def _plausible_date(cls, value: dt.date) -> dt.date:
        # Office files store zip timestamps from 1980 to 2107; a workshop is planned for
        # this century.
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValueError(f"the date must be in the years {FIRST_YEAR}-{LAST_YEAR}")
        return value

    @field_validator("agency")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value:
            raise ValueError("the agency name is empty")
        return value

    @field_validator("start_time", mode="before")
    @classmethod
    def _minutes_since_midnight(cls, value: Any) -> Any:
        # YAML 1.1 reads an unquoted 09:00 as the sexagesimal integer 540.
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
            return dt.time(value // 60, value % 60)
        return value

    def resolve_paths(self, base: Path) -> WorkshopSpec:
        """Return a copy whose relative template paths are taken relative to *base*."""
        updates: dict[str, Path] = {}
        for name in ("template", "docx_template", "follow_up"):
            path = getattr(self, name)
            if path is not None and not path.is_absolute():
                updates[name] = (base / path).resolve()
        case = self.own_case
        if case is not None and case.file is not None and not case.file.is_absolute():
            updates["own_case"] = case.model_copy(update={"file": (base / case.file).resolve()})
        return self.model_copy(update=updates) if updates else self
