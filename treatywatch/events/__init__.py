"""Treaty and weapons events (docs/contracts.md#event-types): typed, dated, attributed, with their evidence.

The public surface is `detect_events(analysis) -> list[Event]`, a pure function of the nlp
stage's analysis of one article. Triggers, modality cues, weapon classes and group actors are
data (``events/data/*.yaml``), and the event types are the registry's
(``treatywatch/data/event_types.yaml``, read through `treatywatch.event_types`): a new trigger
is a rule in ``event_rules.yaml``, and a new event type is an entry in the registry plus a rule
for it, with no code change (tests/test_event_types.py adds one and follows it from extraction
to the knowledge base, the ``claims`` command and the web UI).
"""

from treatywatch.events.detect import detect_events
from treatywatch.events.rules import engine_data, load_engine_data
from treatywatch.models import EVENT_TYPES, MODALITIES

WEAPON_CLASSES = ("anti-personnel mine", "anti-tank mine", "cluster munition", "naval mine")

__all__ = [
    "EVENT_TYPES",
    "MODALITIES",
    "WEAPON_CLASSES",
    "detect_events",
    "engine_data",
    "load_engine_data",
]
