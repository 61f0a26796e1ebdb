"""``plan_workshop``: from a spec and the library to one format-neutral workshop plan."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..content.library import Library
from ..content.loader import missing_translations
from ..content.models import (
    Block,
    Dilemma,
    Fact,
    Lang,
    LText,
    Method,
    MissingTranslation,
    Question,
    WorkshopSpec,
)
from ..content.spec import read_own_case
from ..errors import PlanningError, Problem, TranslationError
from . import facilitation, rules
from .model import (
    AgendaItem,
    AudienceInfo,
    ChartData,
    FollowUpInfo,
    GlossaryItem,
    MaturityStep,
    MtoCorner,
    OwnCaseRow,
    PartiesAgenda,
    PlannedDilemma,
    PlannedFact,
    PlannedMethod,
    PlannedOwnCase,
    PlannedQuestion,
    PlannedReading,
    PlannedRecommendation,
    PlannedScenario2040,
    PlanOrigin,
    QuestionGroup,
    Segment,
    SegmentKind,
    ThemeNarrative,
    WorkshopPlan,
    sheet_facts,
    sheet_questions,
)
from .selection import Choice, card_questions, choose_dilemmas, questions_for_round
from .timing import budget, focus_budget, split

LANGUAGE_TAGS: dict[Lang, str] = {"nb": "nb-NO", "nn": "nn-NO"}

_BLOCK_FOR: dict[str, str] = {
    "opening": "opening",
    "ground_rules": "ground-rules",
    "status": "status",
    "maturity": "maturity-ladder",
    "mto": "mto",
    "scenario": "dilemma-intro",
    "position_line": "position-line",
    "reflection": "reflection",
    "dilemma_wrapup": "dilemma-wrapup",
    "break": "break",
    "scenario_cross": "scenario-cross",
    "scenario_2040": "scenario-2040-groups",
    "scenario_now": "scenario-2040-now",
    "own_case": "own-case-intro",
    "buffer": "buffer",
    "takeaways": "takeaways",
    "recommendations": "recommendations",
    "parties_next": "parties-next-meeting",
    "evaluation": "evaluation",
    "follow_up_opening": "follow-up-opening",
    "action_status": "action-status",
    "parked_review": "parked-review",
    "next_steps": "next-steps",
}


def plan_workshop(spec: WorkshopSpec, library: Library) -> WorkshopPlan:
    """Return the workshop plan for *spec*: segments, dilemmas and texts in its language.

    Raises PlanningError when the request cannot be met (unknown or ill-fitting dilemmas) and
    TranslationError when a text the workshop needs is missing in the spec's language.
    """
    try:
        if spec.follow_up is not None:
            from ..outcome.files import load_outcome
            from .followup import plan_follow_up

            plan = plan_follow_up(spec, load_outcome(spec.follow_up), library)
        else:
            plan = _Planner(spec, library).plan()
    except MissingTranslation:
        problems = missing_translations(library, spec.language)
        raise TranslationError(problems or [Problem(
            f"a text is missing in '{spec.language}'", "run `etikkverksted validate --lang "
            f"{spec.language}` to list the texts that lack it")]) from None
    return plan.model_copy(update={"origin": plan_origin(spec, library)})


def plan_origin(spec: WorkshopSpec, library: Library) -> PlanOrigin:
    """Return the spec, tool version and library digest a plan is made from.

    Template paths are kept as bare file names: a path names a user's home folder, and the
    minutes that carry the origin travel.
    """
    from .. import __version__

    data = spec.model_dump(mode="json")
    for key in ("template", "docx_template"):
        if data.get(key):
            data[key] = Path(data[key]).name
    return PlanOrigin(spec=data, tool_version=__version__, library_digest=library.digest())


class _Planner:
    def __init__(self, spec: WorkshopSpec, library: Library) -> None:
        self.spec = spec
        self.lib = library
        self.lang: Lang = spec.language
        self.audience = spec.audience
        self.trinn = spec.maturity
        self.digital = spec.format == "digital"
        self.labels = self._labels()
        self.segments: list[Segment] = []
        self.dilemma_number = 0
        self.dilemma_total = 0
        self.clock = dt.datetime.combine(spec.date, spec.start_time)

    # -- text helpers ------------------------------------------------------------------------

    def text(self, text: LText) -> str:
        """*text* in the workshop's written standard."""
        return text.get(self.lang)

    def texts(self, texts: list[LText]) -> list[str]:
        """Each of *texts* in the workshop's written standard."""
        return [text.get(self.lang) for text in texts]

    def label(self, key: str, **values: object) -> str:
        """The library's label *key* in the workshop's written standard, *values* filled in."""
        try:
            text = self.labels[key]
        except KeyError:
            raise PlanningError(Problem(
                f"the library has no label `{key}`",
                "add it to a labels file in dilemmas/blocks/ (with nb and nn)")) from None
        return text.format(**values) if values else text

    def _labels(self) -> dict[str, str]:
        missing = [k for k, v in self.lib.labels.items() if not v.has(self.lang)]
        if missing:
            raise MissingTranslation(self.lang, self.lib.labels[missing[0]])
        return {k: v.get(self.lang) for k, v in self.lib.labels.items()}

    def block(self, kind: str) -> Block:
        return self.block_by_id(_BLOCK_FOR[kind], kind)

    def block_by_id(self, block_id: str, kind: str) -> Block:
        try:
            return self.lib.blocks[block_id]
        except KeyError:
            raise PlanningError(Problem(
                f"the library has no block `{block_id}` for the {kind} segment",
                "add it to a file in dilemmas/blocks/ (the standard segments are in "
                "segments.yaml)")) from None

    def fitting_method(self, method_id: str, minutes: int) -> str:
        """*method_id*, or the lighter fallback when *minutes* are fewer than it needs."""
        while (self.lib.methods[method_id].min_minutes > minutes
               and method_id in rules.METHOD_FALLBACK):
            method_id = rules.METHOD_FALLBACK[method_id]
        return method_id

    def rounds_min(self) -> int:
        """Minutes the reflection rounds of one dilemma need at least."""
        return sum(max(self.lib.methods[r.method].min_minutes, r.min_minutes)
                   for r in rules.ROUNDS[self.audience])

    def dilemma_target(self) -> int:
        """Minutes a dilemma needs so that every round gets its minimum: the rule's (the
        parties' 10 minutes apart and 10 together) or its method's."""
        need = self.rounds_min()
        total = need
        while total - sum(rules.dilemma_parts(total, need)) < need:
            total += 1
        return total

    def method(self, method_id: str) -> PlannedMethod:
        m: Method = self.lib.methods[method_id]
        if self.digital:
            return PlannedMethod(id=m.id, name=self.text(m.digital.name),
                                 summary=self.text(m.summary),
                                 steps=self.texts(m.digital.steps),
                                 materials=self.texts(m.digital.materials), digital=True)
        return PlannedMethod(id=m.id, name=self.text(m.name), summary=self.text(m.summary),
                             steps=self.texts(m.steps), materials=self.texts(m.materials),
                             digital=False)

    def date_text(self, date: dt.date) -> str:
        return f"{date.day}. {self.label(f'plan_month_{date.month}')} {date.year}"

    # -- segments ----------------------------------------------------------------------------

    def add(self, kind: SegmentKind, minutes: int, *, title: str | None = None,
            short_title: str | None = None, seg_id: str | None = None,
            method: PlannedMethod | None = None,
            bullets: list[str] | None = None, notes: list[str] | None = None,
            dilemma_id: str | None = None, groups: list[QuestionGroup] | None = None,
            fact_ids: list[str] | None = None, block_id: str | None = None) -> None:
        """Append a segment of *kind*: the block's texts for this audience (and format), the
        given extras, and the next *minutes* of the clock. Zero minutes adds nothing.
        *block_id* names another block than the kind's own (the own case's steps)."""
        if minutes <= 0:
            return
        block = self.block(kind) if block_id is None else self.block_by_id(block_id, kind)
        variant = block.audience.get(self.audience)
        all_bullets = list(bullets) if bullets is not None else self.texts(block.bullets)
        if bullets is None and variant:
            all_bullets += self.texts(variant.bullets)
        all_notes = self.texts(block.notes)
        if variant:
            all_notes += self.texts(variant.notes)
        if self.digital:
            all_notes += self.texts(block.digital_notes)
        all_notes += notes or []
        if method is None and block.method and kind not in ("scenario", "dilemma_wrapup"):
            # A block's notes are written for its own method, so it keeps it; the brackets
            # in rules.py give each block the minutes its method needs.
            method = self.method(block.method)
        if method is not None and method.digital:
            all_notes.append(self.label("plan_digital_method", name=method.name))
        start = self.clock.time()
        self.clock += dt.timedelta(minutes=minutes)
        cue = self.cue(all_notes, method, minutes, self.clock.time())
        title = title or self.text(block.title)
        progress = self.label("plan_progress", n=self.dilemma_number, total=self.dilemma_total) \
            if dilemma_id and self.dilemma_total else None
        self.segments.append(Segment(
            id=seg_id or kind.replace("_", "-"), kind=kind, title=title,
            short_title=short_title or title, start=start, minutes=minutes, method=method,
            bullets=all_bullets, notes=all_notes, cue=cue,
            dilemma_id=dilemma_id, progress=progress, question_groups=groups or [],
            fact_ids=fact_ids or []))

    def cue(self, notes: list[str], method: PlannedMethod | None, minutes: int,
            end: dt.time) -> list[str]:
        """Two lines for presenter view: the first thing to say or do (the first sentence of
        the segment's first note), then the method, the time box and its first step."""
        first = _first_sentence(notes[0]) if notes else ""
        if method is not None:
            second = self.label("plan_cue_method", method=method.name, minutes=minutes,
                            end=f"{end:%H:%M}", step=_first_sentence(method.steps[0]))
        else:
            second = self.label("plan_cue_time", minutes=minutes, end=f"{end:%H:%M}")
        return [first, second] if first else [second]

    # -- content -----------------------------------------------------------------------------

    def fact(self, fact: Fact) -> PlannedFact:
        chart = None
        if fact.series is not None:
            s = fact.series
            unit = fact.unit or ""
            categories = [self.text(label) for label in s.labels]
            pairs = ", ".join(f"{c}: {_num(v)}{' ' + unit if unit else ''}"
                              for c, v in zip(categories, s.values, strict=True))
            title = self.text(fact.statement)
            chart = ChartData(
                kind=s.chart, title=title,
                series_name=self.text(s.name) if s.name else (unit or title),
                categories=categories, values=list(s.values), unit=fact.unit,
                alt_text=self.label("plan_chart_alt", kind=self.label(f"plan_chart_{s.chart}"),
                                title=title, pairs=pairs, source=fact.source))
        return PlannedFact(id=fact.id, statement=self.text(fact.statement), value=fact.value,
                           unit=fact.unit, source=fact.source, chart=chart)

    def question(self, q: Question) -> PlannedQuestion:
        return PlannedQuestion(id=q.id, text=self.text(q.text), role=q.role,
                               side=q.side if self.audience == "parties" else None,
                               probes=self.texts(q.probes))

    def planned_dilemma(self, number: int, choice: Choice,
                        questions: list[Question]) -> PlannedDilemma:
        d = choice.dilemma
        mto = [self.text(self.lib.mto[m].name) if m in self.lib.mto else m for m in d.mto]
        audience_name = self.text(self.lib.audiences[self.audience].name).lower()
        if choice.named:
            reason = self.label("plan_reason_named", title=self.text(d.title))
        elif choice.strategic:
            s = self.lib.strategic_dilemmas[choice.strategic[0]]
            reason = self.label("plan_reason_strategic", title=self.text(d.title),
                            strategic=self.text(s.title), source=s.source,
                            audience=audience_name)
        elif choice.affinity > 0:
            reason = self.label("plan_reason_affinity", title=self.text(d.title),
                            weight=choice.weight, trinn=self.trinn,
                            mto=", ".join(mto).lower(), audience=audience_name)
        else:
            reason = self.label("plan_reason_auto", title=self.text(d.title), weight=choice.weight,
                            trinn=self.trinn, mto=", ".join(mto).lower())
        return PlannedDilemma(
            id=d.id, number=number, title=self.text(d.title), summary=self.text(d.summary),
            scenario=self.text(d.scenario), pole_left=self.text(d.poles.left),
            pole_right=self.text(d.poles.right), background=self.text(d.background),
            facts=[self.fact(self.lib.facts[f]) for f in d.facts],
            questions=[self.question(q) for q in questions],
            typical_positions=self.texts(d.facilitator.typical_positions),
            listen_for=self.texts(d.facilitator.listen_for),
            pitfalls=self.texts(d.facilitator.pitfalls),
            mto=mto, themes=[self.text(self.lib.themes[x].name) for x in d.themes],
            legal=[self.legal_frame(x) for x in d.legal],
            decision=self.label(f"decision_{d.decision}"), decision_note=self.text(d.decision_note),
            recommendations=list(d.recommendations), source=d.source, selection_reason=reason,
            card_questions=[q.id for q in card_questions(questions)],
            touches_personal_data=self.touches_personal_data(d),
            further_reading=self.reading(d.themes))

    def touches_personal_data(self, d: Dilemma) -> bool:
        protocol = self.lib.protocols.get("disclosure")
        return protocol is not None and bool(set(protocol.legal_frames) & set(d.legal))

    def disclosure_note(self) -> list[str]:
        """One line for the notes: what to do when someone reveals a breach or a conflict."""
        protocol = self.lib.protocols.get("disclosure")
        if protocol is None:
            return []
        return [self.label("plan_disclosure_note", summary=self.text(protocol.summary))]

    def workshop_reading(self, planned: list[PlannedDilemma], case: PlannedOwnCase | None,
                         futures: list[PlannedScenario2040]) -> list[PlannedReading]:
        """Every item the dilemmas point to, then what the own case and the 2040 exercise
        call for (rules.OWN_CASE_THEMES; the scenario themes), each item once."""
        items = [r for d in planned for r in d.further_reading]
        if case is not None:
            items += self.reading(list(rules.OWN_CASE_THEMES))
        if futures:
            items += self.reading([k for k, t in self.lib.themes.items()
                                   if t.kind == "scenario_theme"])
        return list({r.id: r for r in items}.values())

    def reading(self, themes: list[str]) -> list[PlannedReading]:
        """Up to rules.READING_PER_DILEMMA items of further reading for *themes*: the most
        shared themes first, then the library's order."""
        out = []
        for r in self.lib.reading_for(themes, rules.READING_PER_DILEMMA):
            publisher, kind, about = self.text(r.publisher), self.text(r.kind), self.text(r.about)
            key = "plan_reading_cited" if r.cited else "plan_reading"
            out.append(PlannedReading(
                id=r.id, publisher=publisher, title=r.title, kind=kind, about=about,
                cited=r.cited, text=self.label(key, publisher=publisher, title=r.title, kind=kind,
                                           about=about, cited=r.cited or ""),
                short=self.label("plan_reading_short", publisher=publisher, title=r.title)))
        return out

    def legal_frame(self, frame_id: str) -> str:
        """'Name (reference)', or the reference alone when it starts with the name."""
        frame = self.lib.legal_frames[frame_id]
        name, reference = self.text(frame.name), self.text(frame.reference)
        if reference.lower().startswith(name.lower()):
            return reference[0].upper() + reference[1:]
        return f"{name} ({reference})"

    def dilemma_segments(self, number: int, choice: Choice, minutes: int) -> PlannedDilemma:
        d: Dilemma = choice.dilemma
        self.dilemma_number = number
        title = self.text(d.title)
        scen, pos, wrap = rules.dilemma_parts(minutes, self.rounds_min())
        round_rules = rules.ROUNDS[self.audience]
        round_minutes = split(minutes - scen - pos - wrap, [r.share for r in round_rules],
                              [max(rules.MIN_ROUND_MINUTES, r.min_minutes)
                               for r in round_rules])
        prefix = f"dilemma-{number}"
        self.add("scenario", scen, title=self.label("plan_scenario_title", n=number, title=title),
                 short_title=self.label("plan_short_scenario"), seg_id=f"{prefix}-scenario",
                 bullets=[self.text(d.scenario)], dilemma_id=d.id,
                 notes=self.disclosure_note() if self.touches_personal_data(d) else [])
        self.add("position_line", pos, title=self.label("plan_position_title", title=title),
                 short_title=self.label("plan_short_position"), seg_id=f"{prefix}-position",
                 bullets=[self.text(d.poles.left), self.text(d.poles.right)],
                 method=self.method(rules.POSITION_METHOD), dilemma_id=d.id,
                 notes=self.texts(d.facilitator.typical_positions))
        used: list[Question] = []
        for i, (rule, mins) in enumerate(zip(round_rules, round_minutes, strict=True), 1):
            limit = 1 if mins < 6 else rule.max_questions
            groups: list[QuestionGroup] = []
            sides = rule.sides or (None,)
            for side in sides:
                qs = [q for q in questions_for_round(d, self.audience, self.trinn, rule, side,
                                                     limit + len(used))
                      if q not in used][:limit]
                used += qs
                if qs:
                    label = self.label(f"plan_group_{side}") if side else ""
                    groups.append(QuestionGroup(label=label, side=side,
                                                questions=[self.question(q) for q in qs]))
            phase = []
            if self.audience == "parties" and rule.min_minutes:
                key = "plan_parties_together" if rule.sides == ("joint",) else \
                    "plan_parties_apart"
                phase = [self.label(key, minutes=mins)]
            self.add("reflection", mins,
                     title=self.label("plan_reflection_title", title=title, n=i),
                     short_title=self.label("plan_short_reflection", n=i),
                     seg_id=f"{prefix}-round-{i}",
                     method=self.method(self.fitting_method(rule.method, mins)),
                     bullets=[q.text for g in groups for q in g.questions], dilemma_id=d.id,
                     groups=groups,
                     notes=phase + (self.texts(d.facilitator.listen_for) if i == 1 else []))
        self.add("dilemma_wrapup", wrap, title=self.label("plan_wrapup_title", title=title),
                 short_title=self.label("plan_short_wrapup"), seg_id=f"{prefix}-wrapup",
                 dilemma_id=d.id,
                 notes=[*(self.label("plan_pitfall_note", text=p)
                          for p in self.texts(d.facilitator.pitfalls)),
                        self.label("plan_decision_note",
                                   decision=self.label(f"decision_{d.decision}"),
                                   text=self.text(d.decision_note))])
        return self.planned_dilemma(number, choice, used)

    def status_facts(self, count: int) -> list[PlannedFact]:
        out: list[PlannedFact] = []
        for fid in rules.STATUS_FACTS[self.audience]:
            fact = self.lib.facts.get(fid)
            if fact is None or not (fact.maturity[0] <= self.trinn <= fact.maturity[1]):
                continue
            out.append(self.fact(fact))
            if len(out) == count:
                break
        return out

    def ladder(self) -> list[MaturityStep]:
        share_fact = self.lib.facts.get(rules.LADDER_FACT)
        steps = []
        for trinn in sorted(self.lib.maturity_levels):
            level = self.lib.maturity_levels[trinn]
            share = None
            fact = self.lib.facts.get(level.share_fact) if level.share_fact else share_fact
            if fact and fact.series and len(fact.series.values) >= trinn:
                share = fact.series.values[trinn - 1]
            steps.append(MaturityStep(trinn=trinn, name=self.text(level.name),
                                      description=self.text(level.description),
                                      needs=self.text(level.needs), share_percent=share,
                                      current=trinn == self.trinn))
        return steps

    def recommendations(self, dilemmas: list[Dilemma], limit: int) -> list[PlannedRecommendation]:
        linked = {n for d in dilemmas for n in d.recommendations}
        recs = [r for r in self.lib.recommendations.values()
                if r.number in linked or (r.maturity[0] <= self.trinn <= r.maturity[1]
                                          and self.audience in r.audiences)]
        fits = lambda r: r.maturity[0] <= self.trinn <= r.maturity[1]  # noqa: E731
        recs.sort(key=lambda r: (r.number not in linked or not fits(r), r.number not in linked,
                                 r.number))
        recs = sorted(recs[:limit], key=lambda r: r.number)
        any_linked = any(r.number in linked for r in recs)
        return [PlannedRecommendation(number=r.number, title=self.text(r.title),
                                      text=self.text(r.text),
                                      advice_dfd=self.text(r.advice_dfd), linked=r.number in linked,
                                      shown=r.number in linked or not any_linked)
                for r in recs]

    # -- the agency's own case and the 2040 exercise -------------------------------------------

    def own_case(self) -> PlannedOwnCase | None:
        case = self.spec.own_case
        if case is None:
            return None
        title, description = read_own_case(case)
        rows = ("what", "m", "t", "o", "act", "influence", "monitor", "dpia", "ros", "parties",
                "owners")
        return PlannedOwnCase(
            title=title, description=description,
            heading=self.label("plan_own_case_title", title=title),
            minutes_rows=[OwnCaseRow(key=k, label=self.label(f"docx_oc_row_{k}")) for k in rows])

    def own_case_segments(self, case: PlannedOwnCase, total: int) -> None:
        """The own case in four steps (rules.OWN_CASE_BLOCKS) sharing *total* minutes."""
        parts = split(total, list(rules.OWN_CASE_SHARES), 3)
        for i, (block_id, minutes) in enumerate(zip(rules.OWN_CASE_BLOCKS, parts,
                                                    strict=True)):
            block = self.block_by_id(block_id, "own_case")
            bullets = self.texts(block.bullets)
            title = self.text(block.title)
            if i == 0:
                bullets = [case.description, *bullets]
                title = case.heading
            method = self.method(self.fitting_method(block.method, minutes)) \
                if block.method else None
            notes = [self.label("plan_own_case_in_minutes")] if i == len(parts) - 1 else []
            self.add("own_case", minutes, title=title, seg_id=f"own-case-{i + 1}",
                     bullets=bullets, notes=notes, method=method, block_id=block_id,
                     short_title=case.heading if i == 0 else title)

    def scenarios(self) -> list[PlannedScenario2040]:
        """The four futures in the order the cross numbers its quadrants (1 top right, then
        counter-clockwise): high use and strong governance first."""
        out = []
        order = {q: i for i, q in enumerate(rules.SCENARIO_QUADRANTS)}
        ordered = sorted(self.lib.scenarios_2040.values(),
                         key=lambda sc: (order.get((sc.use, sc.governance), 9), sc.id))
        for sc in ordered:
            quadrant = (f"{self.label(f'plan_2040_use_{sc.use}')}, "
                        f"{self.label(f'plan_2040_governance_{sc.governance}')}")
            out.append(PlannedScenario2040(
                id=sc.id, title=self.text(sc.title), quadrant=quadrant,
                summary=self.text(sc.summary),
                themes=[ThemeNarrative(theme=self.text(self.lib.themes[k].name), text=self.text(v))
                        for k, v in sc.themes.items()],
                questions=self.texts(sc.questions)))
        return out

    def scenario_segments(self, total: int, futures: list[PlannedScenario2040]) -> None:
        """The 2040 exercise in three steps sharing *total* minutes: the cross with the four
        futures, one future per group, and from 2040 back to what to do now."""
        intro, groups, now = split(total, list(rules.SCENARIO_SHARES), 3)
        self.add("scenario_cross", intro, method=self.method("plenary"),
                 bullets=[self.label("plan_2040_quadrant_line", n=n, quadrant=f.quadrant,
                                 title=f.title) for n, f in enumerate(futures, 1)])
        group_method = "scenario-cross" if groups >= 20 else "small-groups"
        self.add("scenario_2040", groups,
                 method=self.method(self.fitting_method(group_method, groups)),
                 groups=[QuestionGroup(label=f.title, questions=[
                     PlannedQuestion(id=f"{f.id}-{n}", text=q, role="action")
                     for n, q in enumerate(f.questions, 1)]) for f in futures])
        self.add("scenario_now", now, method=self.method(self.fitting_method("plenary", now)))

    # -- the plan ----------------------------------------------------------------------------

    def plan(self) -> WorkshopPlan:
        spec = self.spec
        case = self.own_case()
        futures: list[PlannedScenario2040] = []
        if spec.focus != "standard":
            return self.focus_plan(case)
        named = len(spec.dilemmas) or None
        plan_budget = budget(spec, named, self.dilemma_target())
        choices = choose_dilemmas(spec, self.lib, len(plan_budget.dilemma_minutes))
        if len(choices) < len(plan_budget.dilemma_minutes):
            # Fewer usable dilemmas than time allows: give the time to the ones we have.
            plan_budget = plan_budget.for_count(len(choices))
        fixed = plan_budget.fixed
        bracket = plan_budget.bracket
        audience = self.lib.audiences[self.audience]
        status = self.status_facts(bracket.status_facts)

        self.add("opening", fixed["opening"],
                 notes=[self.text(audience.description), self.text(audience.produces)])
        self.add("ground_rules", fixed["ground_rules"], notes=self.disclosure_note())
        self.add("status", fixed["status"], fact_ids=[f.id for f in status])
        level = self.lib.maturity_levels[self.trinn]
        self.add("maturity", fixed["maturity"],
                 notes=[self.label("plan_maturity_note", trinn=self.trinn,
                                   name=self.text(level.name)),
                        self.text(level.needs)])
        self.add("mto", fixed["mto"])

        half = spec.duration_minutes / 2
        planned: list[PlannedDilemma] = []
        break_done = fixed["break"] == 0
        self.dilemma_total = len(choices)
        for number, (choice, minutes) in enumerate(
                zip(choices, plan_budget.dilemma_minutes, strict=True), 1):
            planned.append(self.dilemma_segments(number, choice, minutes))
            elapsed = sum(s.minutes for s in self.segments)
            remaining_dilemmas = len(choices) - number
            if not break_done and remaining_dilemmas and \
                    abs(elapsed - half) <= abs(elapsed + minutes - half):
                self.add("break", fixed["break"])
                break_done = True
        if not break_done:
            self.add("break", fixed["break"])
        if case is not None:
            self.own_case_segments(case, fixed["own_case"])
        if fixed["scenario_cross"]:
            futures = self.scenarios()
            self.scenario_segments(fixed["scenario_cross"], futures)
        self.add("buffer", fixed["buffer"])
        self.add("takeaways", fixed["takeaways"], notes=[self.text(audience.produces)])
        recs = self.recommendations([c.dilemma for c in choices], bracket.max_recommendations)
        self.add("recommendations", fixed["recommendations"],
                 notes=[self.text(audience.follow_up)])
        self.add("parties_next", fixed["parties_next"])
        self.add("evaluation", fixed["evaluation"])

        selection = [self.label("plan_reason_intro" if not named else "plan_reason_intro_named")]
        if not named and self.lib.strategic_dilemmas:
            selection.append(self.label("plan_selection_rule"))
        selection += [d.selection_reason for d in planned]
        return self.assemble(planned, status, recs, selection,
                             self.sources(status, planned, futures), case=case,
                             futures=futures)

    def focus_plan(self, case: PlannedOwnCase | None) -> WorkshopPlan:
        """A workshop built around the agency's own case or the 2040 exercise: the frame
        from timing.focus_budget, no dilemmas."""
        spec = self.spec
        minutes = focus_budget(spec)
        bracket = rules.bracket_for(spec.duration_minutes)
        audience = self.lib.audiences[self.audience]
        status = self.status_facts(bracket.status_facts) if "status" in minutes else []
        futures: list[PlannedScenario2040] = []
        for kind, mins in minutes.items():
            if kind == "opening":
                self.add("opening", mins,
                         notes=[self.text(audience.description), self.text(audience.produces)])
            elif kind == "ground_rules":
                self.add("ground_rules", mins, notes=self.disclosure_note())
            elif kind == "status":
                self.add("status", mins, fact_ids=[f.id for f in status])
            elif kind == "own_case":
                assert case is not None
                self.own_case_segments(case, mins)
            elif kind == "scenario_cross":
                futures = self.scenarios()
                self.scenario_segments(mins, futures)
            elif kind == "takeaways":
                self.add("takeaways", mins, notes=[self.text(audience.produces)])
            elif kind == "recommendations":
                self.add("recommendations", mins, notes=[self.text(audience.follow_up)])
            else:
                self.add(kind, mins)  # type: ignore[arg-type]
        recs = self.recommendations([], bracket.max_recommendations) \
            if "recommendations" in minutes else []
        if case is not None:
            selection = [self.label("plan_focus_own_case_reason", title=case.title)]
        else:
            selection = [self.label("plan_focus_2040_reason")]
        return self.assemble([], status, recs, selection, self.sources(status, [], futures),
                             case=case, futures=futures)

    def sources(self, status: list[PlannedFact], planned: list[PlannedDilemma],
                futures: list[PlannedScenario2040]) -> list[str]:
        """The report, then every place in it that the plan cites."""
        citations = sorted({f.source for f in status}
                           | {f.source for d in planned for f in d.facts}
                           | {d.source for d in planned}
                           | ({rules.SCENARIO_SOURCE} if futures else set()), key=_citation_key)
        return [self.label("plan_report_reference"), *citations]

    def assemble(self, planned: list[PlannedDilemma], status: list[PlannedFact],
                 recs: list[PlannedRecommendation], selection: list[str], sources: list[str],
                 *, title_key: str = "plan_title", follows: FollowUpInfo | None = None,
                 case: PlannedOwnCase | None = None,
                 futures: list[PlannedScenario2040] | None = None) -> WorkshopPlan:
        """Return the plan of the segments added so far, around *planned* dilemmas (and the
        agency's own *case* and the 2040 *futures* when the plan runs them)."""
        spec = self.spec
        futures = futures or []
        audience = self.lib.audiences[self.audience]
        total = sum(s.minutes for s in self.segments)
        if total != spec.duration_minutes:  # pragma: no cover - guarded by budget()
            raise PlanningError(f"internal: segments add up to {total}, not "
                                f"{spec.duration_minutes} minutes")
        topics = [d.title for d in planned]
        if case is not None:
            topics.append(case.heading)
        if futures:
            topics.append(self.text(self.block("scenario_cross").title))
        audience_name = self.text(audience.name)
        titles = {d.id: self.label("plan_scenario_title", n=d.number, title=d.title)
                  for d in planned}
        preparation = facilitation.preparation(
            self.label, audience=self.audience, digital=self.digital, agency=spec.agency,
            date=spec.date, start=spec.start_time, end=self.clock.time(),
            audience_name=audience_name, title=self.label(title_key),
            dilemma_titles=topics, facilitator=spec.facilitator,
            segments=self.segments)
        agenda = facilitation.agenda(self.segments, titles.__getitem__)
        reading = self.workshop_reading(planned, case, futures)
        glossary = [(GlossaryItem(term=self.text(g.term), definition=self.text(g.definition)),
                     self.glossary_match(g.id, self.text(g.term)))
                    for g in self.lib.glossary.values()]
        return WorkshopPlan(
            language=self.lang, language_tag=LANGUAGE_TAGS[self.lang], agency=spec.agency,
            date=spec.date, start=spec.start_time, end=self.clock.time(),
            duration_minutes=spec.duration_minutes, format=spec.format,
            facilitator=spec.facilitator, title=self.label(title_key),
            subtitle=self.label("plan_subtitle", agency=spec.agency, audience=audience_name,
                            date=self.date_text(spec.date)),
            audience=AudienceInfo(id=self.audience, name=audience_name,
                                  description=self.text(audience.description),
                                  produces=self.text(audience.produces),
                                  advice=self.texts(audience.advice),
                                  follow_up=self.text(audience.follow_up)),
            maturity=self.trinn, ladder=self.ladder(),
            mto=[MtoCorner(id=m.id, name=self.text(m.name), description=self.text(m.description))
                 for m in (self.lib.mto[k] for k in ("menneske", "teknologi", "organisasjon")
                           if k in self.lib.mto)],
            segments=self.segments, dilemmas=planned, facts=status,
            recommendations=recs,
            glossary=_used_terms(glossary, _shown_text(self.segments, planned, status, recs)),
            participant_glossary=_used_terms(glossary, _sheet_text(
                agenda, self.segments, planned, status, futures, case, reading)),
            sources=sources, selection_notes=selection, labels=self.labels,
            agenda=agenda,
            preparation=preparation,
            follow_up=facilitation.follow_up(self.label, self.text(audience.follow_up), spec.date),
            follow_up_date=facilitation.follow_up_date(spec.date),
            watch_for=facilitation.watch_for(self.lib, self.audience, self.lang),
            disclosure=facilitation.disclosure(self.lib, self.lang),
            template=str(spec.template) if spec.template else None,
            docx_template=str(spec.docx_template) if spec.docx_template else None,
            parties_agenda=self.parties_agenda(),
            further_reading=reading,
            follows=follows,
            focus=spec.focus, own_case=case, scenarios_2040=futures,
        )

    def glossary_match(self, entry_id: str, term: str) -> tuple[list[str], list[str]]:
        """(word beginnings, whole words) that count as a use of a glossary term: from the
        library's glossary_matches, else the term as written."""
        match = self.lib.glossary_matches.get(entry_id)
        if match is None:
            return [], [term]
        return match.begins.get(self.lang, []), match.words.get(self.lang, [])

    def parties_agenda(self) -> PartiesAgenda | None:
        """The agenda template every parties pack carries (rapport kap. 5, anbefaling 3)."""
        if self.audience != "parties":
            return None
        block = self.lib.blocks.get(rules.PARTIES_AGENDA_BLOCK)
        if block is None:
            raise PlanningError(Problem(
                f"the library has no block `{rules.PARTIES_AGENDA_BLOCK}` for the parties' "
                "agenda template", "add it to dilemmas/blocks/parties-meeting.yaml"))
        return PartiesAgenda(title=self.text(block.title), intro=self.texts(block.notes),
                             items=self.texts(block.bullets),
                             agreed_rows=rules.PARTIES_AGENDA_AGREED_ROWS)


def _used_terms(items: list[tuple[GlossaryItem, tuple[list[str], list[str]]]],
               text: str) -> list[GlossaryItem]:
    """The glossary entries that *text* uses, sorted by term.

    Each item comes with the word beginnings and whole words that count as a use of it (the
    library's ``glossary_matches``): a glossary explains the words the reader will meet, not
    every word the library knows. Which forms count is content, not code.
    """
    text = text.casefold()

    # A form can match only where it occurs as written: the substring test (fast) skips the
    # regular expression (a scan of the whole text per form) for the forms that do not occur.
    def used(begins: list[str], words: list[str]) -> bool:
        return any(b.casefold() in text
                   and re.search(rf"(?<!\w){re.escape(b.casefold())}", text) for b in begins) or \
            any(w.casefold() in text
                and re.search(rf"(?<!\w){re.escape(w.casefold())}(?!\w)", text) for w in words)

    return sorted((item for item, (begins, words) in items if used(begins, words)),
                  key=lambda g: g.term.casefold())


def _shown_text(segments: list[Segment], dilemmas: list[PlannedDilemma],
                facts: list[PlannedFact], recs: list[PlannedRecommendation]) -> str:
    """Everything participants see in the workshop (slides, cards): what the plan's glossary
    explains. Facilitator notes are not glossed."""
    parts: list[str] = []
    for seg in segments:
        parts += [seg.title, *seg.bullets]
        parts += [q.text for g in seg.question_groups for q in g.questions]
    for d in dilemmas:
        parts += [d.title, d.summary, d.scenario, d.pole_left, d.pole_right, d.background,
                  d.decision_note, *(q.text for q in d.questions), *(f.statement for f in d.facts)]
    parts += [f.statement for f in facts] + [f"{r.title} {r.text}" for r in recs]
    return " ".join(parts)


def _sheet_text(agenda: list[AgendaItem], segments: list[Segment],
                dilemmas: list[PlannedDilemma], facts: list[PlannedFact],
                futures: list[PlannedScenario2040], case: PlannedOwnCase | None,
                reading: list[PlannedReading]) -> str:
    """Everything the participant sheet prints: what its glossary explains. It leaves out
    the background, decision notes and probes, so it needs fewer terms than the deck."""
    parts = [item.title for item in agenda]
    for d in dilemmas:
        parts += [d.title, d.scenario, d.pole_left, d.pole_right]
        parts += [q.text for _, qs in sheet_questions(segments, d) for q in qs]
    parts += [f.statement for f in sheet_facts(facts, dilemmas)]
    for future in futures:
        parts += [future.title, future.summary, *future.questions]
        if not dilemmas:  # beside dilemmas the sheet leaves the themes to the slides
            parts += [t.text for t in future.themes]
    if case is not None:
        parts += [case.heading, case.description]
        parts += [b for s in segments if s.kind == "own_case" for b in s.bullets]
    parts += [r.short for r in reading]
    return " ".join(parts)


def _first_sentence(text: str) -> str:
    """The first sentence of *text* (up to the first full stop, question or exclamation mark
    followed by a space)."""
    match = re.search(r"(?<=[.!?])\s", text)
    return text[:match.start()] if match else text


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}".replace(".", ",")


def _citation_key(citation: str) -> tuple:
    import re

    parts = re.findall(r"\d+|\D+", citation)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)
