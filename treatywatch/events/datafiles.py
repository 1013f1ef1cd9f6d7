"""The schemas of the event engine's data files (``events/data/*.yaml``), as pydantic models.

Each model says what its file may contain (unknown keys are refused, types are checked);
`treatywatch.events.rules` turns the validated files into the engine's records. Rule types are
checked against the event-type registry passed as validation context (``types``), so a rule for
a type the registry does not define fails at load, naming the rule.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from treatywatch.datafile import DataModel, Iso3
from treatywatch.event_types import Registry
from treatywatch.models import Modality

SUPPRESS = "none"
PREVIOUS = "previous"
Requirement = Literal["treaty", "weapon", "quantity", "date"]
Tense = Literal["past", "present", "future"]


def _as_list(value: Any) -> Any:
    """A single word where a list is expected ("tense: past") is a list of one."""
    return [value] if isinstance(value, str) else value


Words = tuple[str, ...]
Tenses = Annotated[tuple[Tense, ...], BeforeValidator(_as_list)]


def _registry(info: ValidationInfo) -> Registry:
    """The event-type registry the rules are checked against (passed by the loader)."""
    types = (info.context or {}).get("types")
    if not isinstance(types, Registry):
        raise TypeError("event rules are validated against an event-type registry (context 'types')")
    return types


class RuleEntry(DataModel):
    """One trigger rule of ``event_rules.yaml`` (the file's header explains each key)."""

    type: str
    anchors: Words = Field(min_length=1)
    anchor_pos: Words = ("VERB", "NOUN")
    anchor_tags: Words = ()
    anchor_deps: Words = ()
    context: Words = ()
    also_context: Words = ()
    not_context: Words = ()
    marks: Words = ()
    prior_context: Words = ()
    requires: tuple[Requirement, ...] = ()
    tense: Tenses = ()
    modalities: tuple[Modality, ...] = ()
    quantity_per: bool = False
    org_without_recipient: str | None = None
    weapon_from_discourse: bool = False
    actor_from_place: bool = False
    modality_map: dict[Modality, Modality] = Field(default_factory=dict)
    step_map: dict[str, str] = Field(default_factory=dict)
    confidence: float = Field(0.7, gt=0, le=1)

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str, info: ValidationInfo) -> str:
        if value not in (SUPPRESS, PREVIOUS) and value not in _registry(info):
            raise ValueError(f"unknown event type {value!r}: not in {_registry(info).source}")
        return value

    @field_validator("org_without_recipient")
    @classmethod
    def _known_fallback(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and value not in _registry(info):
            raise ValueError(f"unknown event type {value!r}")
        return value

    @field_validator("step_map")
    @classmethod
    def _known_steps(cls, value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        unknown = sorted(t for t in (*value, *value.values()) if t not in _registry(info))
        if unknown:
            raise ValueError(f"step_map uses unknown event types {unknown}")
        return value

    @model_validator(mode="after")
    def _carried(self, info: ValidationInfo) -> RuleEntry:
        """A rule may only require what its type carries: a treaty step has no weapon."""
        spec = _registry(info).get(self.type)
        extra = [r for r in self.requires if r != "date" and spec is not None and not spec.carries(r)]
        if extra:
            raise ValueError(f"requires {extra}, which {self.type} does not carry")
        return self


class Forbidding(DataModel):
    """What a treaty forbids or requires is no step of anyone (``event_rules.yaml``)."""

    verbs: Words = ()
    nouns: Words = ()
    obliging: Words = ()
    subjects: Words = ()


class RulesFile(DataModel):
    rules: tuple[RuleEntry, ...] = Field(min_length=1)
    forbidding: Forbidding = Field(default_factory=Forbidding)


class CueClass(DataModel):
    """The cues of one modality: lemmas anywhere on the chain, modals, clause markers."""

    lemmas: Words = ()
    modals: Words = ()
    markers: Words = ()
    negators: Words = ()
    particles: dict[str, str] = Field(default_factory=dict)


class CueClasses(DataModel):
    denied: CueClass
    alleged: CueClass
    possible: CueClass
    planned: CueClass


class WouldCues(DataModel):
    lemmas: Words
    reporting_verbs: Words


class AttributionCues(DataModel):
    reporting_verbs: Words
    according_to: Words
    confirming_verbs: Words


class ModalityFile(DataModel):
    """``modality.yaml``: the cue classes, the order they are checked in, "would", attribution."""

    order: tuple[Modality, ...]
    classes: CueClasses
    would: WouldCues
    attribution: AttributionCues


class WeaponClass(DataModel):
    entity_ids: Words = ()
    forms: Words = ()


class Lookalikes(DataModel):
    modifiers: Words
    not_before: Words
    industry_words: Words
    maritime_words: Words = ()
    classes: Words = ()


class WeaponsFile(DataModel):
    """``weapons.yaml``: weapon classes, their forms, generic words and look-alikes."""

    default_generic_class: str
    classes: dict[str, WeaponClass] = Field(min_length=1)
    generic: Words = Field(min_length=1)
    lookalikes: Lookalikes
    coordinated_prefixes: dict[str, Words] = Field(default_factory=dict)
    anaphors: Words = ()
    self_anaphors: Words = ()

    @model_validator(mode="after")
    def _known_classes(self) -> WeaponsFile:
        for name in (self.default_generic_class, *self.coordinated_prefixes):
            if name not in self.classes:
                raise ValueError(f"{name!r} is not one of the weapon classes")
        return self


class GroupEntry(DataModel):
    forms: Words = Field(min_length=1)
    members: tuple[Iso3, ...] = Field(min_length=1)


class Organisation(DataModel):
    home: Iso3
    organ: bool = False


class AnaphorWords(DataModel):
    pronouns: Words
    nouns: Words
    possessed: Words
    generic_determiners: Words
    org_nouns: Words


class Reciprocal(DataModel):
    subjects: Words
    objects: Words


class ActorsFile(DataModel):
    """``actors.yaml``: group names, organisations' home states, anaphors, reporters."""

    groups: tuple[GroupEntry, ...]
    organisations: dict[str, Organisation]
    reporters: Words
    anaphors: AnaphorWords
    member_nouns: Words
    victim_nouns: Words = ()
    report_authors: Words
    pair_subjects: Words
    reciprocal: Reciprocal
    exclusion_markers: Words
