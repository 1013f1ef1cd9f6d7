"""Loading the event engine's data files (``events/data/*.yaml``) into typed, validated records.

Domain knowledge (triggers, modality cues, weapon classes, group actors) lives in YAML so that a
new trigger or event type is a data change; this module checks those files on load and fails
with a message naming the file and the entry, instead of letting a typo silently match nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from treatywatch.errors import DataFileError
from treatywatch.models import EVENT_TYPES, MODALITIES

ARGUMENTS = ("treaty", "weapon", "quantity", "date")
TENSES = ("past", "present", "future")
SUPPRESS = "none"
PREVIOUS = "previous"


@dataclass(frozen=True)
class EventRule:
    """One trigger rule: an anchor lemma plus the conditions that give an event type."""

    type: str
    anchors: frozenset[str]
    anchor_pos: frozenset[str] = frozenset({"VERB", "NOUN"})
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
    report_authors: tuple[str, ...]
    pair_subjects: tuple[str, ...]
    reciprocal_subjects: tuple[str, ...]
    reciprocal_objects: tuple[str, ...]
    exclusion_markers: tuple[str, ...]


@dataclass(frozen=True)
class EngineData:
    rules: tuple[EventRule, ...]
    modality: ModalityCues
    weapons: WeaponLexicon
    actors: ActorData
    anchors: frozenset[str] = field(default_factory=frozenset)


def _load_yaml(name: str, path: Path | None = None) -> dict[str, Any]:
    where = str(path) if path else f"events/data/{name}"
    try:
        if path is not None:
            text = path.read_text(encoding="utf-8")
        else:
            text = resources.files("treatywatch.events").joinpath("data", name).read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"{where}: {exc}") from None
    if not isinstance(data, dict):
        raise DataFileError(f"{where}: expected a mapping at the top level")
    return data


def _lemmas(values: Any) -> frozenset[str]:
    return frozenset(str(v).lower() for v in (values or ()))


def _rule(entry: dict[str, Any], index: int, source: str = "events/data/event_rules.yaml") -> EventRule:
    where = f"{source}: rule {index + 1}"
    unknown = set(entry) - {
        "type", "anchors", "anchor_pos", "context", "not_context", "requires", "tense", "modalities",
        "quantity_per", "modality_map", "confidence", "also_context", "marks", "org_without_recipient",
        "weapon_from_discourse", "prior_context", "step_map",
    }
    if unknown:
        raise DataFileError(f"{where}: unknown keys {sorted(unknown)}")
    if entry.get("type") not in (*EVENT_TYPES, SUPPRESS, PREVIOUS):
        raise DataFileError(f"{where}: unknown event type {entry.get('type')!r}")
    if entry.get("org_without_recipient") not in (None, *EVENT_TYPES):
        raise DataFileError(f"{where}: unknown event type in org_without_recipient")
    if not entry.get("anchors"):
        raise DataFileError(f"{where}: no anchors")
    requires = tuple(entry.get("requires") or ())
    if set(requires) - set(ARGUMENTS):
        raise DataFileError(f"{where}: requires must be among {ARGUMENTS}")
    tense = entry.get("tense") or ()
    tenses = frozenset([tense] if isinstance(tense, str) else tense)
    if tenses - set(TENSES):
        raise DataFileError(f"{where}: tense must be among {TENSES}")
    if set(entry.get("modalities") or ()) - set(MODALITIES):
        raise DataFileError(f"{where}: modalities must be among {MODALITIES}")
    mapping = entry.get("modality_map") or {}
    if set(mapping) - set(MODALITIES) or set(mapping.values()) - set(MODALITIES):
        raise DataFileError(f"{where}: modality_map uses unknown modalities")
    steps = entry.get("step_map") or {}
    if set(steps) - set(EVENT_TYPES) or set(steps.values()) - set(EVENT_TYPES):
        raise DataFileError(f"{where}: step_map uses unknown event types")
    return EventRule(
        type=entry["type"],
        anchors=_lemmas(entry["anchors"]),
        anchor_pos=frozenset(entry.get("anchor_pos") or ("VERB", "NOUN")),
        context=_lemmas(entry.get("context")),
        also_context=_lemmas(entry.get("also_context")),
        not_context=_lemmas(entry.get("not_context")),
        marks=_lemmas(entry.get("marks")),
        requires=requires,
        tenses=tenses,
        modalities=frozenset(entry.get("modalities") or ()),
        quantity_per=bool(entry.get("quantity_per", False)),
        org_without_recipient=entry.get("org_without_recipient"),
        weapon_from_discourse=bool(entry.get("weapon_from_discourse", False)),
        prior_context=_lemmas(entry.get("prior_context")),
        modality_map=tuple(sorted(mapping.items())),
        step_map=tuple(sorted(steps.items())),
        confidence=float(entry.get("confidence", 0.7)),
    )


def _modality(data: dict[str, Any]) -> ModalityCues:
    classes = data["classes"]
    order = tuple(data["order"])
    if set(order) - set(MODALITIES):
        raise DataFileError("events/data/modality.yaml: order uses unknown modalities")
    return ModalityCues(
        order=order,
        negators=_lemmas(classes["denied"].get("negators")),
        lemmas={name: _lemmas(spec.get("lemmas")) for name, spec in classes.items()},
        modals={name: _lemmas(spec.get("modals")) for name, spec in classes.items()},
        markers=_lemmas(classes["possible"].get("markers")),
        future_markers=_lemmas(classes["planned"].get("markers")),
        particles=dict(classes["denied"].get("particles") or {}),
        would=_lemmas(data["would"]["lemmas"]),
        reporting_verbs=_lemmas(data["would"]["reporting_verbs"]),
        attribution_verbs=_lemmas(data["attribution"]["reporting_verbs"]),
        according_to=tuple(str(p).lower() for p in data["attribution"]["according_to"]),
        confirming_verbs=_lemmas(data["attribution"]["confirming_verbs"]),
    )


def form_pattern(form: str) -> str:
    """Regex for a surface form: hyphens/spaces interchangeable, optional plural ``s``."""
    parts = re.split(r"[\s\-]+", form.strip().lower())
    body = r"[\s\-‐–]*".join(re.escape(p) for p in parts)
    return body + r"s?"


def _weapons(data: dict[str, Any]) -> WeaponLexicon:
    entity_classes: dict[str, str] = {}
    patterns: list[tuple[re.Pattern[str], str]] = []
    for name, spec in data["classes"].items():
        for entity_id in spec.get("entity_ids") or ():
            entity_classes[entity_id] = name
        forms = sorted(spec.get("forms") or (), key=len, reverse=True)
        for form in forms:
            patterns.append((re.compile(r"\b" + form_pattern(form) + r"\b", re.IGNORECASE), name))
    for name, prefixes in (data.get("coordinated_prefixes") or {}).items():
        alternation = "|".join(form_pattern(p)[:-2] for p in prefixes)
        rx = rf"\b(?:{alternation})(?=\s*(?:,|and|or|/)\s*[\w\s\-]{{0,40}}?\bmines?\b)"
        patterns.append((re.compile(rx, re.IGNORECASE), name))
    generic = "|".join(form_pattern(f) for f in sorted(data["generic"], key=len, reverse=True))
    look = data["lookalikes"]
    return WeaponLexicon(
        entity_classes=entity_classes,
        patterns=tuple(patterns),
        generic=re.compile(rf"\b(?:{generic})\b", re.IGNORECASE),
        default_generic_class=data["default_generic_class"],
        lookalike_modifiers=_lemmas(look["modifiers"]),
        lookalike_followers=_lemmas(look["not_before"]),
        industry_words=_lemmas(look["industry_words"]),
        anaphors=_lemmas(data.get("anaphors")),
        self_anaphors=_lemmas(data.get("self_anaphors")),
    )


def _phrase_pattern(form: str) -> re.Pattern[str]:
    words = r"[\s\-]+".join(re.escape(w) for w in form.split())
    return re.compile(rf"\b(?:the\s+)?{words}\b", re.IGNORECASE)


def _actors(data: dict[str, Any]) -> ActorData:
    groups = []
    for entry in data["groups"]:
        for form in sorted(entry["forms"], key=len, reverse=True):
            groups.append(GroupActor(_phrase_pattern(form), tuple(entry["members"])))
    groups.sort(key=lambda g: len(g.pattern.pattern), reverse=True)
    orgs = data["organisations"]
    anaphors = data["anaphors"]
    return ActorData(
        groups=tuple(groups),
        org_home={org: spec["home"] for org, spec in orgs.items()},
        organs=frozenset(org for org, spec in orgs.items() if spec.get("organ")),
        reporters=frozenset(data["reporters"]),
        pronouns=_lemmas(anaphors["pronouns"]),
        anaphor_nouns=_lemmas(anaphors["nouns"]),
        org_nouns=_lemmas(anaphors["org_nouns"]),
        possessed=_lemmas(anaphors["possessed"]),
        generic_determiners=_lemmas(anaphors["generic_determiners"]),
        member_nouns=_lemmas(data["member_nouns"]),
        report_authors=tuple(data["report_authors"]),
        pair_subjects=tuple(s.lower() for s in data["pair_subjects"]),
        reciprocal_subjects=tuple(s.lower() for s in data["reciprocal"]["subjects"]),
        reciprocal_objects=tuple(s.lower() for s in data["reciprocal"]["objects"]),
        exclusion_markers=tuple(s.lower() for s in data["exclusion_markers"]),
    )


@cache
def engine_data() -> EngineData:
    """All packaged data files, loaded and validated once per process (read-only afterwards)."""
    return load_engine_data()


def load_engine_data(rules_path: Path | None = None) -> EngineData:
    """Load and validate the data files; ``rules_path`` replaces the packaged event rules."""
    source = str(rules_path) if rules_path else "events/data/event_rules.yaml"
    entries = _load_yaml("event_rules.yaml", rules_path).get("rules")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise DataFileError(f"{source}: 'rules' must be a list of mappings")
    rules = tuple(_rule(entry, i, source) for i, entry in enumerate(entries))
    anchors = frozenset().union(*(r.anchors for r in rules))
    return EngineData(
        rules=rules,
        modality=_modality(_load_yaml("modality.yaml")),
        weapons=_weapons(_load_yaml("weapons.yaml")),
        actors=_actors(_load_yaml("actors.yaml")),
        anchors=anchors,
    )
