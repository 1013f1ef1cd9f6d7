"""``treatywatch serve``: the web UI and REST API on one local port."""

from __future__ import annotations

import contextlib

import typer

from treatywatch.cli.common import DbOption, fail
from treatywatch.errors import KBError
from treatywatch.kb import idempotency
from treatywatch.kb.store import db_name
from treatywatch.web.settings import WebSettings, is_loopback


def serve(
    db: str | None = DbOption,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    allowed_host: list[str] = typer.Option([], "--allowed-host", help="Extra Host header value to accept."),
    docs: bool | None = typer.Option(None, "--docs/--no-docs", help="Serve /docs and /openapi.json "
                                     "(default: on for loopback, off otherwise)."),
    open_reads: bool | None = typer.Option(None, "--open-reads/--closed-reads", help="Let anyone read "
                                           "(default: on for loopback, off otherwise)."),
) -> None:
    """Serve the web UI and the REST API (/api/v1, documented at /docs)."""
    import uvicorn

    from treatywatch.web.app import create_app

    local = is_loopback(host)
    extra = tuple(allowed_host) + (() if local or host in ("0.0.0.0", "::") else (host,))
    settings = WebSettings(
        allowed_hosts=extra,
        open_reads=local if open_reads is None else open_reads,
        docs=local if docs is None else docs,
    )
    try:
        app = create_app(db, settings=settings)
    except (KBError, OSError) as exc:
        raise fail(exc, context=f"{db_name(db)}: cannot open the database") from None
    with contextlib.suppress(KBError):  # housekeeping only: a busy database must not stop the server
        idempotency.purge(app.state.kb)
    typer.echo(f"treatywatch on http://{host}:{port}/ (API docs at /docs)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False,
                limit_concurrency=256, timeout_graceful_shutdown=10)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
