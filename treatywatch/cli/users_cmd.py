"""``treatywatch users add|passwd|delete|token|list|sessions|revoke``: the analysts who may
review and set trust, their API tokens and their web sessions."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

import typer

from treatywatch.cli.common import DbOption, check_format, emit_rows, fail, open_monitor
from treatywatch.errors import KBError, UserError
from treatywatch.kb import users as users_store
from treatywatch.monitor import Monitor

T = TypeVar("T")

users_app = typer.Typer(help="Analyst accounts and API tokens.", no_args_is_help=True)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = typer.prompt("Password", hide_input=True)
    second = typer.prompt("Repeat password", hide_input=True)
    if first != second:
        raise fail("the two passwords differ")
    return str(first)


def _change(db: str | None, change: Callable[[Monitor], T]) -> T:
    """Make one account change in the knowledge base: a refused change (unknown user, weak
    password) or a database error is one line on stderr and exit 2."""
    try:
        with open_monitor(db) as monitor:
            return change(monitor)
    except (UserError, KBError) as exc:
        raise fail(exc) from None


@users_app.command("add")
def add(
    name: str = typer.Argument(..., help="User name (letters, digits, . _ -)."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin."),
    db: str | None = DbOption,
) -> None:
    """Create a local analyst account (password hashed with scrypt)."""
    password = _read_password(password_stdin)
    _change(db, lambda m: m.add_user(name, password))
    typer.echo(f"created user {name}")


@users_app.command("token")
def token(
    name: str = typer.Argument(..., help="The user the token acts for."),
    days: int = typer.Option(30, "--days", help=f"Lifetime in days (1-{users_store.MAX_TOKEN_DAYS})."),
    db: str | None = DbOption,
) -> None:
    """Issue an API token (printed once; only its hash is stored)."""
    issued = _change(db, lambda m: m.create_token(name, days=days))
    typer.echo(issued["token"])
    typer.echo(f"token for {name}, expires {issued['expires_at']}; send it as 'Authorization: Bearer TOKEN'",
               err=True)


@users_app.command("list")
def list_(
    fmt: str = typer.Option("table", "--format", help="table, json or csv."),
    db: str | None = DbOption,
) -> None:
    """Accounts and their numbers of live tokens and web sessions."""
    check_format(fmt)
    with open_monitor(db) as monitor:
        rows = monitor.users()
    emit_rows(rows, ["username", "created_at", "tokens", "sessions"], fmt, title="Analysts")


@users_app.command("passwd")
def passwd(
    name: str = typer.Argument(..., help="The user whose password changes."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the new password from stdin."),
    db: str | None = DbOption,
) -> None:
    """Set a new password; every web session of the user ends (API tokens stay)."""
    password = _read_password(password_stdin)
    ended = _change(db, lambda m: m.change_password(name, password))
    typer.echo(f"changed the password of {name}; ended {ended} web session(s)")


@users_app.command("delete")
def delete(name: str = typer.Argument(...), db: str | None = DbOption) -> None:
    """Delete a user with their API tokens and web sessions (their reviews stay in the history)."""
    ended = _change(db, lambda m: m.delete_user(name))
    typer.echo(f"deleted user {name}; ended {ended['tokens']} token(s) and {ended['sessions']} web session(s)")


@users_app.command("sessions")
def sessions(
    name: str | None = typer.Argument(None, help="Only this user's sessions."),
    fmt: str = typer.Option("table", "--format", help="table, json or csv."),
    db: str | None = DbOption,
) -> None:
    """Web sessions that are signed in (not logged out, revoked or expired), newest first."""
    check_format(fmt)
    with open_monitor(db) as monitor:
        rows = monitor.sessions(name)
    emit_rows(rows, ["id", "username", "client", "created_at", "last_seen", "expires_at"], fmt, title="Sessions")


@users_app.command("revoke")
def revoke(name: str = typer.Argument(...), db: str | None = DbOption) -> None:
    """End every API token and web session of a user."""
    ended = _change(db, lambda m: m.revoke_access(name))
    typer.echo(f"revoked {ended['tokens']} token(s) and {ended['sessions']} web session(s) of {name}")


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
