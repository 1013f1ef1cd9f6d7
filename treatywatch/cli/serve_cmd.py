"""``treatywatch serve``: the web UI and REST API on one local port."""

from __future__ import annotations

import contextlib

import typer

from treatywatch.cli.common import DbOption, fail
from treatywatch.errors import ConfigError, KBError
from treatywatch.kb import idempotency
from treatywatch.kb.store import IN_MEMORY, db_name
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
    https_cookies: bool = typer.Option(False, "--https-cookies", help="Mark cookies Secure (the site is "
                                       "reached over https, e.g. through a TLS proxy)."),
    trusted_proxy: list[str] = typer.Option([], "--trusted-proxy", help="Address of a reverse proxy whose "
                                            "X-Forwarded-For/-Proto are believed (client address, https)."),
    header_timeout: float = typer.Option(10.0, "--header-timeout", min=0.1, help="Seconds a client may take "
                                         "to send a request's headers."),
    body_timeout: float = typer.Option(30.0, "--body-timeout", min=0.1, help="Seconds a client may take to "
                                       "send a request's body."),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="Server processes (a SQLite file or "
                                "PostgreSQL; sessions and idempotency keys are shared through the kb)."),
    shared_max_age: int = typer.Option(10, "--shared-max-age", min=0, help="Seconds a reverse proxy may serve "
                                       "an anonymous read before it revalidates (Cache-Control s-maxage)."),
    answer_cache_mb: int = typer.Option(32, "--answer-cache-mb", min=0, help="MiB of answers each "
                                        "process keeps while the kb is unchanged (0: none)."),
) -> None:
    """Serve the web UI and the REST API (/api/v1, documented at /docs).

    TREATYWATCH_SECRET (32 bytes or more) keeps the sign-in form's CSRF cookie valid across
    restarts and server processes; without it a random one is made per process.
    """
    from treatywatch.web.app import create_app
    from treatywatch.web.server import ServerLimits, run, run_workers

    local = is_loopback(host)
    extra = tuple(allowed_host) + (() if local or host in ("0.0.0.0", "::") else (host,))
    try:
        settings = WebSettings(
            allowed_hosts=extra,
            open_reads=local if open_reads is None else open_reads,
            docs=local if docs is None else docs,
            https_only_cookies=https_cookies,
            shared_max_age=shared_max_age,
            response_cache_bytes=answer_cache_mb * 1024 * 1024,
        )
        app = create_app(db, settings=settings)  # opens (and migrates) the kb once, before any worker
    except ConfigError as exc:
        raise fail(exc) from None
    except (KBError, OSError) as exc:
        raise fail(exc, context=f"{db_name(db)}: cannot open the database") from None
    with contextlib.suppress(KBError):  # housekeeping only: a busy database must not stop the server
        idempotency.purge(app.state.kb)
    limits = ServerLimits(header_timeout_s=header_timeout, body_timeout_s=body_timeout)
    processes = f", {workers} processes" if workers > 1 else ""
    typer.echo(f"treatywatch on http://{host}:{port}/ (API docs at /docs{processes})", err=True)
    if workers == 1:
        run(app, host=host, port=port, trusted_proxies=tuple(trusted_proxy), limits=limits)
        return
    if app.state.kb.url == IN_MEMORY:
        raise fail(ConfigError("--workers needs a database file or server; an in-memory one is per process"))
    app.state.kb.close()
    run_workers(db_name(db), settings, workers=workers, host=host, port=port, limits=limits,
                trusted_proxies=tuple(trusted_proxy))


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
