"""treatywatch.ingest: files, folders and URLs → ``InputBatch``es of clean ``Article``s.

Public surface::

    IngestOptions                     limits and user-given metadata (frozen)
    iter_inputs(targets)              expand folders (sorted, recursive); URLs kept
    read_input(target, options, *, first_seen=None, recurring=None) -> InputBatch
    fetch(url, options, *, etag=None, last_modified=None) -> Fetched   the guarded (conditional) GET
    read_fetched(url, fetched, options, ...) -> InputBatch   read_input for a body already fetched
    RecurringLines                    per-site recurring-line furniture detector, shared per run
    clean_html(raw, url) -> CleanPage the pure HTML → text + metadata step

Input kinds are chosen by content (HTML, plain text, JSONL, RSS, Atom, WARC, and any of these
gzipped). ``read_input`` never raises for bad input: each failure is a ``models.Rejection``
with a reason code. Ingest never touches the database. The parsers of untrusted bytes run in
a reusable child process under memory and time limits (``ingest.sandbox``; on by default,
``IngestOptions(sandbox=False)`` parses in-process).
"""

from treatywatch.ingest.fetch import Fetched, fetch
from treatywatch.ingest.furniture import RecurringLines
from treatywatch.ingest.htmlclean import CleanPage, clean_html
from treatywatch.ingest.options import IngestOptions
from treatywatch.ingest.reader import iter_inputs, read_fetched, read_input

__all__ = ["CleanPage", "Fetched", "IngestOptions", "RecurringLines", "clean_html", "fetch", "iter_inputs",
           "read_fetched", "read_input"]
