"""treatywatch: a sourced, reviewable, computable monitor of arms-control treaties.

The flow (docs/architecture.md#the-flow): ingest → provenance → nlp/events → kb → status → cli/web.
"""

__version__ = "0.1.0"
