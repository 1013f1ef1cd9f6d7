"""``treatywatch users add|token|list|revoke``: the analysts who may review and set trust."""

from __future__ import annotations

import sys

import typer

from treatywatch.cli.common import DbOption, check_format, emit_rows, fail, open_monitor
from treatywatch.errors import KBError, UserError
from treatywatch.kb import users as users_store

users_app = typer.Typer(help="Analyst accounts and API tokens.", no_args_is_help=True)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = typer.prompt("Password", hide_input=True)
    second = typer.prompt("Repeat password", hide_input=True)
    if first != second:
        raise fail("the two passwords differ")
    return str(first)


@users_app.command("add")
def add(
    name: str = typer.Argument(..., help="User name (letters, digits, . _ -)."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin."),
    db: str | None = DbOption,
) -> None:
    """Create a local analyst account (password hashed with scrypt)."""
    password = _read_password(password_stdin)
    try:
        with open_monitor(db) as monitor:
            monitor.add_user(name, password)
    except (UserError, KBError) as exc:
        raise fail(exc) from None
    typer.echo(f"created user {name}")


@users_app.command("token")
def token(
    name: str = typer.Argument(..., help="The user the token acts for."),
    days: int = typer.Option(30, "--days", help=f"Lifetime in days (1-{users_store.MAX_TOKEN_DAYS})."),
    db: str | None = DbOption,
) -> None:
    """Issue an API token (printed once; only its hash is stored)."""
    try:
        with open_monitor(db) as monitor:
            issued = monitor.create_token(name, days=days)
    except (UserError, KBError) as exc:
        raise fail(exc) from None
    typer.echo(issued["token"])
    typer.echo(f"token for {name}, expires {issued['expires_at']}; send it as 'Authorization: Bearer TOKEN'",
               err=True)


@users_app.command("list")
def list_(
    fmt: str = typer.Option("table", "--format", help="table, json or csv."),
    db: str | None = DbOption,
) -> None:
    """Accounts and their number of live tokens."""
    check_format(fmt)
    with open_monitor(db) as monitor:
        rows = monitor.users()
    emit_rows(rows, ["username", "created_at", "tokens"], fmt, title="Analysts")


@users_app.command("revoke")
def revoke(name: str = typer.Argument(...), db: str | None = DbOption) -> None:
    """Delete every API token of a user."""
    with open_monitor(db) as monitor:
        n = monitor.revoke_tokens(name)
    typer.echo(f"revoked {n} token(s) of {name}")


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
