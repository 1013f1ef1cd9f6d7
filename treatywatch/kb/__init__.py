"""The knowledge base: the only package that speaks SQL.

Open one with `open_kb(db)`; the modules `articles`, `claims` and `stories` read and write it.
"""

from treatywatch.errors import KBError
from treatywatch.kb.store import KB, database_url, open_kb, utcnow

__all__ = ["KB", "KBError", "database_url", "open_kb", "utcnow"]
