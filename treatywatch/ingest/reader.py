"""``read_input``: one file or URL → one ``InputBatch``; ``iter_inputs``: expand folders.

This is the dispatcher: it reads bytes under the size caps (file or guarded fetch), undoes one
layer of gzip, chooses the reader by content (``sniff``), and turns every failure into a
``Rejection``. It never raises for bad input.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from treatywatch.errors import IngestError
from treatywatch.ingest.build import ReadContext, now_iso
from treatywatch.ingest.decoding import gunzip_bounded, is_gzip
from treatywatch.ingest.feeds import read_feed
from treatywatch.ingest.fetch import Fetched, fetch
from treatywatch.ingest.furniture import RecurringLines
from treatywatch.ingest.jsonl import read_jsonl
from treatywatch.ingest.options import IngestOptions
from treatywatch.ingest.pages import (
    UserMeta,
    load_sidecar,
    merged_meta,
    read_html,
    read_text,
    sidecar_path,
)
from treatywatch.ingest.prefilter import (
    SeenHashes,
    already_seen,
    cheap_decode,
    dropped,
    score_text,
    screen_html,
)
from treatywatch.ingest.sniff import sniff_kind
from treatywatch.ingest.warcs import read_warc
from treatywatch.ingest.warmup import warm_up_parsers
from treatywatch.models import Article, Dropped, InputBatch, Rejection, sha256_bytes

Results = list[Article | Rejection | Dropped]
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
SIDECAR_SUFFIX = ".meta.json"


def is_url(target: str) -> bool:
    """http(s) URLs are fetched; anything else with a scheme is refused, not opened as a file."""
    try:
        return bool(_SCHEME.match(target)) and not os.path.exists(target)
    except (ValueError, OSError):
        return True


def iter_inputs(targets: Sequence[str]) -> Iterator[str]:
    """URLs as given; folders expanded recursively in sorted order (hidden entries and
    ``*.meta.json`` sidecars skipped); other paths as given (a missing one is reported by
    ``read_input`` as ``not_found``)."""
    for target in targets:
        if is_url(target) or not os.path.isdir(target):
            yield target
            continue
        for root, dirs, files in os.walk(target):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if not name.startswith(".") and not name.endswith(SIDECAR_SUFFIX):
                    yield os.path.join(root, name)


def read_input(
    target: str,
    options: IngestOptions,
    *,
    first_seen: str | None = None,
    recurring: RecurringLines | None = None,
    seen: SeenHashes | None = None,
) -> InputBatch:
    """Read one file or URL. Bad input becomes ``Rejection``s in the batch, never an exception.

    ``recurring`` is shared across the inputs of one run so that lines recurring on several
    pages of one site are removed as furniture. With ``options.drop_off_topic``, off-topic
    pages become ``Dropped`` records before they are parsed, and pages whose hash ``seen``
    names (dropped by an earlier run) are skipped without being scored.
    """
    context = ReadContext(options, first_seen or now_iso(), recurring, warm_up=warm_up_parsers, seen=seen)
    try:
        if is_url(target):
            return _read_url(target, context)
        return _read_file(target, context)
    except Exception as exc:  # last resort: a bug must cost one input, not the run
        rejection = Rejection(target, "parse_error", f"internal error: {type(exc).__name__}: {str(exc)[:160]}")
        return InputBatch(target, f"error:{target}", rejections=(rejection,))


def _read_url(url: str, context: ReadContext) -> InputBatch:
    try:
        fetched = fetch(url, context.options)
    except IngestError as exc:
        return InputBatch(url, f"{url} error:{exc.code}", rejections=(Rejection(url, exc.code, exc.message),))
    return _read_fetched(url, fetched, context)


def read_fetched(
    url: str,
    fetched: Fetched,
    options: IngestOptions,
    *,
    first_seen: str | None = None,
    recurring: RecurringLines | None = None,
) -> InputBatch:
    """`read_input` for a URL whose body was already fetched (watch mode fetches conditionally,
    then reads what changed exactly as ``ingest URL`` would). Never raises for bad input."""
    context = ReadContext(options, first_seen or now_iso(), recurring, warm_up=warm_up_parsers)
    try:
        return _read_fetched(url, fetched, context)
    except Exception as exc:  # last resort, as in read_input
        rejection = Rejection(url, "parse_error", f"internal error: {type(exc).__name__}: {str(exc)[:160]}")
        return InputBatch(url, f"error:{url}", rejections=(rejection,))


def _read_fetched(url: str, fetched: Fetched, context: ReadContext) -> InputBatch:
    meta = UserMeta(url=fetched.url, published=context.options.published)
    results = _guarded(url, lambda: _read_bytes(url, fetched.body, context, meta, fetched.charset))
    return _batch(url, f"{url} sha256:{sha256_bytes(fetched.body)}", results)


def _read_file(path_text: str, context: ReadContext) -> InputBatch:
    path = Path(path_text)
    limit = context.options.max_bytes
    try:
        if not path.is_file():
            raise IngestError("not_found", "no such file" if not path.exists() else "not a regular file")
        if path.stat().st_size > limit:
            raise IngestError("too_large", f"{path.stat().st_size} bytes, limit {limit}")
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
        if len(raw) > limit:
            raise IngestError("too_large", f"more than {limit} bytes")
    except IngestError as exc:
        return InputBatch(path_text, f"file:{path_text}", rejections=(Rejection(path_text, exc.code, exc.message),))
    except OSError as exc:
        rejection = Rejection(path_text, "not_found", f"cannot read: {exc.strerror or exc}")
        return InputBatch(path_text, f"file:{path_text}", rejections=(rejection,))
    sidecar_results: Results = []
    sidecar: UserMeta | None = None
    side = sidecar_path(path)
    if side is not None:
        try:
            sidecar = load_sidecar(side)
        except IngestError as exc:
            sidecar_results.append(Rejection(path_text, exc.code, exc.message, "sidecar"))
    meta = merged_meta(context, sidecar)
    results = _guarded(path_text, lambda: _read_bytes(path_text, raw, context, meta, None))
    return _batch(path_text, f"sha256:{sha256_bytes(raw)}", sidecar_results + results)


def _guarded(location: str, read: Callable[[], Results]) -> Results:
    """Run a reader; an ``IngestError`` or any parser crash becomes one rejection."""
    try:
        return read()
    except IngestError as exc:
        return [Rejection(location, exc.code, exc.message)]
    except (MemoryError, RecursionError) as exc:
        return [Rejection(location, "resource_limit", f"{type(exc).__name__} while parsing")]
    except Exception as exc:  # a library bug on hostile input must not stop the run
        return [Rejection(location, "parse_error", f"{type(exc).__name__}: {str(exc)[:160]}")]


def _read_bytes(location: str, raw: bytes, context: ReadContext, meta: UserMeta, charset: str | None) -> Results:
    """Sniff and dispatch; a gzip layer is expanded once (a gzip inside it is refused)."""
    results: Results = []
    kind = sniff_kind(raw)
    if kind == "gzip":
        expanded = gunzip_bounded(raw, context.options.max_decompressed)
        raw = expanded.data
        if expanded.truncated:
            message = f"gzip stream cut off; {len(raw)} bytes of complete members kept"
            results.append(Rejection(location, "truncated", message))
            if (raw or expanded.partial).startswith(b"WARC/"):
                raw += expanded.partial  # the WARC reader drops a record cut short itself
            if not raw:
                return results
        if is_gzip(raw):
            raise IngestError("unsupported_content", "gzip inside gzip refused")
        kind = sniff_kind(raw)
    if kind == "warc":
        return results + read_warc(location, raw, context)
    if kind in ("rss", "atom"):
        return results + read_feed(location, raw, kind, context)
    if kind == "jsonl":
        return results + read_jsonl(location, raw, context)
    if context.options.drop_off_topic and kind in ("html", "text"):
        skip = _screen_page(location, raw, kind, context, meta)
        if skip is not None:
            return [*results, skip]
    if kind == "html":
        return results + read_html(location, raw, context, meta=meta, charset=charset)
    return results + read_text(location, raw, context, meta=meta)


def _screen_page(location: str, raw: bytes, kind: str, context: ReadContext, meta: UserMeta) -> Dropped | None:
    """A single page, before its parse: dropped when seen before or off topic, else None."""
    digest = sha256_bytes(raw)
    if digest in already_seen(context.seen, [digest]):
        return Dropped(location, digest, url=meta.url, again=True)
    verdict = screen_html(raw) if kind == "html" else score_text(f"{meta.title or ''}\n{cheap_decode(raw)}")
    return None if verdict.relevant else dropped(location, raw, verdict, url=meta.url, content_hash=digest)


def _batch(location: str, key: str, results: Results) -> InputBatch:
    articles = tuple(r for r in results if isinstance(r, Article))
    rejections = tuple(r for r in results if isinstance(r, Rejection))
    skipped = tuple(r for r in results if isinstance(r, Dropped))
    return InputBatch(location, key, articles, rejections, skipped)
