"""The event-type registry: every event type and what it means to each stage, from one file.

``treatywatch/data/event_types.yaml`` defines each type of the event ontology:
its family, label and order, the arguments it carries and those that identify it, who can be
its actor, and the status step it feeds. Extraction (`events`), the knowledge base, the status
engine, the CLI and the web UI all ask the registry; none tests a type's name. A new type is a
data change: an entry in that file plus a trigger rule in ``events/data/event_rules.yaml``.

`registry()` is the registry in force: the packaged file, or the file named by the environment
variable ``TREATYWATCH_EVENT_TYPES`` (for an experiment, or a test of a new type), read and
validated once per file. `load_registry(path)` reads one file directly.
"""

from __future__ import annotations

import os
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Annotated, Literal, get_args

from pydantic import Field, StringConstraints, field_validator, model_validator

from treatywatch.datafile import PACKAGE_ROOT, DataModel, load_yaml, shown

ENV_VAR = "TREATYWATCH_EVENT_TYPES"
PACKAGED = PACKAGE_ROOT / "data" / "event_types.yaml"

Argument = Literal["treaty", "weapon", "recipient", "place", "quantity"]
ARGUMENTS: tuple[Argument, ...] = get_args(Argument)
Family = Literal["treaty", "weapon"]
ActorRule = Literal["state", "state_or_company", "named"]
TypeId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]


class EventType(DataModel):
    """One event type as the registry file defines it (the file's header explains each field)."""

    id: TypeId
    family: Family
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    order: int
    arguments: tuple[Argument, ...]
    identified_by: tuple[Argument, ...]
    actor: ActorRule = "named"
    needs_actor: bool = True
    actor_from_discourse: bool = True
    once: bool = False
    gapped: bool = False
    figure: bool = False
    dated_by_statement: bool = False
    unconfirmed_as: TypeId | None = None
    status_step: TypeId | None = None
    status_context: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> EventType:
        if set(self.identified_by) - set(self.arguments):
            raise ValueError("identified_by must be among the type's arguments")
        if self.status_step is not None and self.status_context:
            raise ValueError("a type is a status step or status context, not both")
        return self

    def carries(self, argument: Argument) -> bool:
        """Whether events of this type have this argument (only then is it looked for)."""
        return argument in self.arguments


class RegistryFile(DataModel):
    """The registry file: a version and the types."""

    version: Literal[1]
    types: tuple[EventType, ...] = Field(min_length=1)

    @field_validator("types")
    @classmethod
    def _distinct(cls, types: tuple[EventType, ...]) -> tuple[EventType, ...]:
        for name in ("id", "label", "order"):  # labels compared as people read them
            counts = Counter(str(getattr(t, name)).casefold() for t in types)
            repeated = sorted(value for value, n in counts.items() if n > 1)
            if repeated:
                raise ValueError(f"two types share the {name} {', '.join(repeated)}")
        ids = {t.id for t in types}
        for spec in types:
            if spec.unconfirmed_as is not None and spec.unconfirmed_as not in ids:
                raise ValueError(f"{spec.id}: unconfirmed_as names an unknown type {spec.unconfirmed_as!r}")
            if spec.label.casefold() in {i.casefold() for i in ids - {spec.id}}:
                raise ValueError(f"{spec.id}: its label is another type's id")
        return types


class Registry:
    """The event types of one registry file, in their listing order, with the lookups every
    stage needs."""

    def __init__(self, types: tuple[EventType, ...], source: str) -> None:
        self.source = source
        self.types = tuple(sorted(types, key=lambda t: t.order))
        self._by_id = {t.id: t for t in self.types}
        self.ids = tuple(t.id for t in self.types)
        self.treaty_ids = tuple(t.id for t in self.types if t.family == "treaty")
        self.weapon_ids = tuple(t.id for t in self.types if t.family == "weapon")
        self.key_columns: tuple[Argument, ...] = tuple(
            a for a in ARGUMENTS if any(a in t.identified_by for t in self.types)
        )

    def __contains__(self, type_id: object) -> bool:
        return type_id in self._by_id

    def __getitem__(self, type_id: str) -> EventType:
        return self._by_id[type_id]

    def get(self, type_id: str | None) -> EventType | None:
        return self._by_id.get(type_id) if type_id is not None else None

    def label(self, type_id: str | None) -> str:
        """How a type is shown; a type the registry does not know (a correction may set any
        word) is shown as it is stored, so it can never look like a known one."""
        spec = self.get(type_id)
        return spec.label if spec is not None else (type_id or "")

    def rank(self, type_id: str | None) -> int:
        """Listing position: known types in registry order, unknown ones after them."""
        spec = self.get(type_id)
        return self.types.index(spec) if spec is not None else len(self.types)

    def identified_by(self, type_id: str | None) -> tuple[Argument, ...]:
        """The arguments that identify a step of this type; for an unknown type, all that
        identify any type (the safe reading: nothing is merged that might differ)."""
        spec = self.get(type_id)
        return spec.identified_by if spec is not None else self.key_columns

    def status_steps(self) -> dict[str, str]:
        """Type → status-engine step, for the types that are steps."""
        return {t.id: t.status_step for t in self.types if t.status_step is not None}

    def status_context(self) -> frozenset[str]:
        """The types shown beside a status as context, never deciding it."""
        return frozenset(t.id for t in self.types if t.status_context)


def load_registry(path: Path | str | None = None) -> Registry:
    """Read and validate a registry file (default: the packaged one)."""
    target = Path(path) if path else PACKAGED
    return Registry(load_yaml(RegistryFile, target).types, shown(target))


@cache
def _registry_at(path: str) -> Registry:
    return load_registry(path or None)


def registry() -> Registry:
    """The registry in force: ``$TREATYWATCH_EVENT_TYPES`` if set, else the packaged file."""
    return _registry_at(os.environ.get(ENV_VAR, ""))
