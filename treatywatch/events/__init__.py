"""Treaty and weapons events (DESIGN §3.3): typed, dated, attributed, with their evidence.

The public surface is `detect_events(analysis) -> list[Event]`, a pure function of the nlp
stage's analysis of one article. Triggers, modality cues, weapon classes and group actors are
data (``events/data/*.yaml``); a new event type or trigger is a data change plus a test.
"""

from treatywatch.events.detect import detect_events
from treatywatch.events.rules import (
    EVENT_TYPES,
    MODALITIES,
    engine_data,
    load_engine_data,
)

WEAPON_CLASSES = ("anti-personnel mine", "anti-tank mine", "cluster munition", "naval mine")

__all__ = [
    "EVENT_TYPES",
    "MODALITIES",
    "WEAPON_CLASSES",
    "detect_events",
    "engine_data",
    "load_engine_data",
]
