"""Loading the event engine's data files (``events/data/*.yaml``) into typed, validated records.

Domain knowledge (triggers, modality cues, weapon classes, group actors) lives in YAML so that a
new trigger or event type is a data change; the files are validated on load by the models of
`treatywatch.events.datafiles`, which fail with one line naming the file and the field instead
of letting a typo silently match nothing. The event types themselves come from the registry
(`treatywatch.event_types`); the environment variable ``TREATYWATCH_EVENT_RULES`` names another
rules file to use instead of the packaged one.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from treatywatch.datafile import load_yaml
from treatywatch.event_types import Registry, registry
from treatywatch.events.datafiles import (
    PREVIOUS,
    SUPPRESS,
    ActorsFile,
    ModalityFile,
    RuleEntry,
    RulesFile,
    WeaponsFile,
)

__all__ = ["PREVIOUS", "SUPPRESS", "EngineData", "EventRule", "engine_data", "load_engine_data"]

DATA_DIR = Path(__file__).parent / "data"
RULES_ENV_VAR = "TREATYWATCH_EVENT_RULES"


@dataclass(frozen=True)
class EventRule:
    """One trigger rule: an anchor lemma plus the conditions that give an event type."""

    type: str
    anchors: frozenset[str]
    anchor_pos: frozenset[str] = frozenset({"VERB", "NOUN"})
    anchor_tags: frozenset[str] = frozenset()
    anchor_deps: frozenset[str] = frozenset()
    context: frozenset[str] = frozenset()
    also_context: frozenset[str] = frozenset()
    not_context: frozenset[str] = frozenset()
    marks: frozenset[str] = frozenset()
    requires: tuple[str, ...] = ()
    tenses: frozenset[str] = frozenset()
    modalities: frozenset[str] = frozenset()
    quantity_per: bool = False
    org_without_recipient: str | None = None
    weapon_from_discourse: bool = False
    actor_from_place: bool = False
    prior_context: frozenset[str] = frozenset()
    modality_map: tuple[tuple[str, str], ...] = ()
    step_map: tuple[tuple[str, str], ...] = ()
    confidence: float = 0.7

    def remap(self, modality: str) -> str:
        return dict(self.modality_map).get(modality, modality)

    def restep(self, step: str) -> str:
        """For ``type: previous``: the step as this rule reports it ("considering" it is less)."""
        return dict(self.step_map).get(step, step)


@dataclass(frozen=True)
class ModalityCues:
    order: tuple[str, ...]
    negators: frozenset[str]
    lemmas: dict[str, frozenset[str]]
    modals: dict[str, frozenset[str]]
    markers: frozenset[str]
    future_markers: frozenset[str]
    particles: dict[str, str]
    would: frozenset[str]
    reporting_verbs: frozenset[str]
    attribution_verbs: frozenset[str]
    according_to: tuple[str, ...]
    confirming_verbs: frozenset[str]


@dataclass(frozen=True)
class WeaponLexicon:
    """Weapon classes, their surface-form patterns and the look-alikes to refuse."""

    entity_classes: dict[str, str]
    patterns: tuple[tuple[re.Pattern[str], str], ...]
    generic: re.Pattern[str]
    default_generic_class: str
    lookalike_modifiers: frozenset[str]
    lookalike_followers: frozenset[str]
    industry_words: frozenset[str]
    lookalike_classes: frozenset[str] = frozenset()
    anaphors: frozenset[str] = frozenset()
    self_anaphors: frozenset[str] = frozenset()


@dataclass(frozen=True)
class GroupActor:
    pattern: re.Pattern[str]
    members: tuple[str, ...]


@dataclass(frozen=True)
class ActorData:
    groups: tuple[GroupActor, ...]
    org_home: dict[str, str]
    organs: frozenset[str]
    reporters: frozenset[str]
    pronouns: frozenset[str]
    anaphor_nouns: frozenset[str]
    org_nouns: frozenset[str]
    possessed: frozenset[str]
    generic_determiners: frozenset[str]
    member_nouns: frozenset[str]
    victim_nouns: frozenset[str]
    report_authors: tuple[str, ...]
    pair_subjects: tuple[str, ...]
    reciprocal_subjects: tuple[str, ...]
    reciprocal_objects: tuple[str, ...]
    exclusion_markers: tuple[str, ...]


@dataclass(frozen=True)
class ForbiddingWords:
    """ "the convention prohibits the use, production and transfer of mines": content, not steps."""

    verbs: frozenset[str] = frozenset()
    nouns: frozenset[str] = frozenset()
    obliging: frozenset[str] = frozenset()
    subjects: frozenset[str] = frozenset()


@dataclass(frozen=True)
class EngineData:
    """Everything the engine reads: rules, cues, weapons, actors and the event-type registry."""

    rules: tuple[EventRule, ...]
    modality: ModalityCues
    weapons: WeaponLexicon
    actors: ActorData
    types: Registry
    anchors: frozenset[str] = field(default_factory=frozenset)
    forbidding: ForbiddingWords = field(default_factory=ForbiddingWords)


def _words(values: tuple[str, ...]) -> frozenset[str]:
    return frozenset(v.lower() for v in values)


def _rule(entry: RuleEntry) -> EventRule:
    return EventRule(
        type=entry.type,
        anchors=_words(entry.anchors),
        anchor_pos=frozenset(entry.anchor_pos),
        anchor_tags=frozenset(entry.anchor_tags),
        anchor_deps=frozenset(entry.anchor_deps),
        context=_words(entry.context),
        also_context=_words(entry.also_context),
        not_context=_words(entry.not_context),
        marks=_words(entry.marks),
        requires=entry.requires,
        tenses=frozenset(entry.tense),
        modalities=frozenset(entry.modalities),
        quantity_per=entry.quantity_per,
        org_without_recipient=entry.org_without_recipient,
        weapon_from_discourse=entry.weapon_from_discourse,
        actor_from_place=entry.actor_from_place,
        prior_context=_words(entry.prior_context),
        modality_map=tuple(sorted(entry.modality_map.items())),
        step_map=tuple(sorted(entry.step_map.items())),
        confidence=entry.confidence,
    )


def _modality(data: ModalityFile) -> ModalityCues:
    classes = {name: getattr(data.classes, name) for name in type(data.classes).model_fields}
    return ModalityCues(
        order=data.order,
        negators=_words(data.classes.denied.negators),
        lemmas={name: _words(spec.lemmas) for name, spec in classes.items()},
        modals={name: _words(spec.modals) for name, spec in classes.items()},
        markers=_words(data.classes.possible.markers),
        future_markers=_words(data.classes.planned.markers),
        particles=dict(data.classes.denied.particles),
        would=_words(data.would.lemmas),
        reporting_verbs=_words(data.would.reporting_verbs),
        attribution_verbs=_words(data.attribution.reporting_verbs),
        according_to=tuple(p.lower() for p in data.attribution.according_to),
        confirming_verbs=_words(data.attribution.confirming_verbs),
    )


def form_pattern(form: str) -> str:
    """Regex for a surface form: hyphens/spaces interchangeable, optional plural ``s``."""
    parts = re.split(r"[\s\-]+", form.strip().lower())
    body = r"[\s\-‐–]*".join(re.escape(p) for p in parts)
    return body + r"s?"


def _weapons(data: WeaponsFile) -> WeaponLexicon:
    entity_classes: dict[str, str] = {}
    patterns: list[tuple[re.Pattern[str], str]] = []
    for name, spec in data.classes.items():
        for entity_id in spec.entity_ids:
            entity_classes[entity_id] = name
        for form in sorted(spec.forms, key=len, reverse=True):
            patterns.append((re.compile(r"\b" + form_pattern(form) + r"\b", re.IGNORECASE), name))
    for name, prefixes in data.coordinated_prefixes.items():
        alternation = "|".join(form_pattern(p)[:-2] for p in prefixes)
        rx = rf"\b(?:{alternation})(?=\s*(?:,|and|or|/)\s*[\w\s\-]{{0,40}}?\bmines?\b)"
        patterns.append((re.compile(rx, re.IGNORECASE), name))
    generic = "|".join(form_pattern(f) for f in sorted(data.generic, key=len, reverse=True))
    look = data.lookalikes
    return WeaponLexicon(
        entity_classes=entity_classes,
        patterns=tuple(patterns),
        generic=re.compile(rf"\b(?:{generic})\b", re.IGNORECASE),
        default_generic_class=data.default_generic_class,
        lookalike_modifiers=_words(look.modifiers),
        lookalike_followers=_words(look.not_before),
        industry_words=_words(look.industry_words) | _words(look.maritime_words),
        lookalike_classes=frozenset(look.classes),
        anaphors=_words(data.anaphors),
        self_anaphors=_words(data.self_anaphors),
    )


def _phrase_pattern(form: str) -> re.Pattern[str]:
    words = r"[\s\-]+".join(re.escape(w) for w in form.split())
    return re.compile(rf"\b(?:the\s+)?{words}\b", re.IGNORECASE)


def _actors(data: ActorsFile) -> ActorData:
    groups = []
    for entry in data.groups:
        for form in sorted(entry.forms, key=len, reverse=True):
            groups.append(GroupActor(_phrase_pattern(form), entry.members))
    groups.sort(key=lambda g: len(g.pattern.pattern), reverse=True)
    anaphors = data.anaphors
    return ActorData(
        groups=tuple(groups),
        org_home={org: spec.home for org, spec in data.organisations.items()},
        organs=frozenset(org for org, spec in data.organisations.items() if spec.organ),
        reporters=frozenset(data.reporters),
        pronouns=_words(anaphors.pronouns),
        anaphor_nouns=_words(anaphors.nouns),
        org_nouns=_words(anaphors.org_nouns),
        possessed=_words(anaphors.possessed),
        generic_determiners=_words(anaphors.generic_determiners),
        member_nouns=_words(data.member_nouns),
        victim_nouns=_words(data.victim_nouns),
        report_authors=data.report_authors,
        pair_subjects=tuple(s.lower() for s in data.pair_subjects),
        reciprocal_subjects=tuple(s.lower() for s in data.reciprocal.subjects),
        reciprocal_objects=tuple(s.lower() for s in data.reciprocal.objects),
        exclusion_markers=tuple(s.lower() for s in data.exclusion_markers),
    )


def engine_data() -> EngineData:
    """The data in force, loaded and validated once per process (read-only afterwards): the
    packaged files, with the event rules of ``$TREATYWATCH_EVENT_RULES`` if it is set, checked
    against the event-type registry in force."""
    return _engine_data_at(os.environ.get(RULES_ENV_VAR, ""), registry())


@cache
def _engine_data_at(rules_path: str, types: Registry) -> EngineData:
    return load_engine_data(Path(rules_path) if rules_path else None, types=types)


def load_engine_data(rules_path: Path | None = None, *, types: Registry | None = None) -> EngineData:
    """Load and validate the data files; ``rules_path`` replaces the packaged event rules and
    ``types`` the event-type registry in force."""
    types = types or registry()
    rules_file = load_yaml(RulesFile, rules_path or DATA_DIR / "event_rules.yaml", context={"types": types})
    converted = tuple(_rule(entry) for entry in rules_file.rules)
    f = rules_file.forbidding
    return EngineData(
        rules=converted,
        modality=_modality(load_yaml(ModalityFile, DATA_DIR / "modality.yaml")),
        weapons=_weapons(load_yaml(WeaponsFile, DATA_DIR / "weapons.yaml")),
        actors=_actors(load_yaml(ActorsFile, DATA_DIR / "actors.yaml")),
        types=types,
        anchors=frozenset().union(*(r.anchors for r in converted)),
        forbidding=ForbiddingWords(_words(f.verbs), _words(f.nouns), _words(f.obliging), _words(f.subjects)),
    )
