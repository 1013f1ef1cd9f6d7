"""Analyst accounts and API tokens: the only writers of reviews and trust levels.

Passwords are hashed with the standard library's scrypt (salted, memory-hard) and compared in
constant time; a password must have at least 12 characters and not be easy to guess (zxcvbn
score 3 or more: common passwords, repeats, keyboard walks and the user's own name fail). API
tokens are random, shown once, stored only as their SHA-256 and always carry an expiry: a
leaked database cannot be replayed as tokens, and a forgotten token dies by itself.

Deleting a user ends their tokens and sessions with them; changing a password ends their
sessions; `revoke_access` ends both (web sessions: `kb.sessions`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import delete, func, select, update
from zxcvbn import zxcvbn

from treatywatch.errors import UserError
from treatywatch.kb.schema import api_tokens, sessions, users
from treatywatch.kb.sessions import revoke_sessions
from treatywatch.kb.store import KB, utcnow

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
MIN_PASSWORD = 12
MAX_PASSWORD = 1024
MIN_STRENGTH = 3  # zxcvbn score, 0-4: 3 is "safely unguessable: moderate protection from offline attack"
_STRENGTH_CHARS = 72  # zxcvbn reads at most this many characters (longer ones are cut, not refused)
MAX_TOKEN_DAYS = 366
TOKEN_PREFIX = "tw_"
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """``scrypt$N$r$p$salt$hash`` with base64 parts: self-describing, so parameters can grow."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    b64 = base64.urlsafe_b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def check_password(password: str, stored: str) -> bool:
    """True when ``password`` matches the stored hash (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.urlsafe_b64decode(digest)
        actual = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.urlsafe_b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


@cache
def _unknown_user_hash() -> str:
    """A hash to check passwords of unknown users against: the same scrypt work as a real one."""
    return hash_password(secrets.token_urlsafe(16))


def check_password_policy(name: str, password: str) -> None:
    """UserError saying what is wrong with a new password (too short, too long, guessable)."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise UserError(f"password must have {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    verdict = zxcvbn(password[:_STRENGTH_CHARS], user_inputs=[name, "treatywatch"])
    if verdict["score"] < MIN_STRENGTH:
        hint = verdict["feedback"].get("warning") or "add more words or characters that do not follow a pattern"
        raise UserError(f"password is too easy to guess: {hint.rstrip('.')}; try a few unrelated words")


def _check_name(name: str) -> str:
    if not _NAME_RE.match(name or ""):
        raise UserError(f"invalid user name {name!r}: use letters, digits, '.', '_' or '-' (max 64)")
    return name


def add_user(kb: KB, name: str, password: str) -> None:
    """Create a local analyst account; raises UserError if the name is taken or the password weak."""
    _check_name(name)
    check_password_policy(name, password)
    password_hash = hash_password(password)
    with kb.write() as conn:
        if conn.execute(select(users.c.username).where(users.c.username == name)).first():
            raise UserError(f"user {name!r} already exists")
        conn.execute(users.insert().values(username=name, password_hash=password_hash, created_at=utcnow()))


def authenticate(kb: KB, name: str, password: str) -> bool:
    """True when the account exists and the password is right.

    A known and an unknown user cost the same: one read and one scrypt, so timing does not
    tell which names exist.
    """
    with kb.read() as conn:
        stored = conn.execute(select(users.c.password_hash).where(users.c.username == name)).scalar()
    matches = check_password(password, stored if stored is not None else _unknown_user_hash())
    return matches and stored is not None


def user_exists(kb: KB, name: str) -> bool:
    with kb.read() as conn:
        return conn.execute(select(users.c.username).where(users.c.username == name)).first() is not None


def list_users(kb: KB) -> list[dict[str, Any]]:
    """Accounts with their numbers of live tokens and sessions (never the hashes)."""
    now = utcnow()
    live = (
        select(api_tokens.c.username, func.count().label("tokens"))
        .where(api_tokens.c.expires_at > now)
        .group_by(api_tokens.c.username)
        .subquery()
    )
    signed_in = (
        select(sessions.c.username, func.count().label("sessions"))
        .where(sessions.c.expires_at > now, sessions.c.revoked_at.is_(None))
        .group_by(sessions.c.username)
        .subquery()
    )
    query = (
        select(users.c.username, users.c.created_at, func.coalesce(live.c.tokens, 0).label("tokens"),
               func.coalesce(signed_in.c.sessions, 0).label("sessions"))
        .select_from(users.outerjoin(live, live.c.username == users.c.username)
                     .outerjoin(signed_in, signed_in.c.username == users.c.username))
        .order_by(users.c.username)
    )
    with kb.read() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(kb: KB, name: str, *, days: int = 30) -> dict[str, str]:
    """Issue an API token for ``name`` valid for ``days``; the plain token is returned only here."""
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise UserError(f"token lifetime must be 1 to {MAX_TOKEN_DAYS} days")
    if not user_exists(kb, name):
        raise UserError(f"no user {name!r}; create it with `treatywatch users add {name}`")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = datetime.now(UTC).replace(microsecond=0)
    expires = (now + timedelta(days=days)).isoformat()
    with kb.write() as conn:
        conn.execute(api_tokens.delete().where(api_tokens.c.expires_at <= now.isoformat()))
        conn.execute(
            api_tokens.insert().values(
                token_hash=token_hash(token), username=name, created_at=now.isoformat(), expires_at=expires
            )
        )
    return {"token": token, "username": name, "expires_at": expires}


def user_for_token(kb: KB, token: str) -> str | None:
    """The user a live token belongs to, or None (unknown or expired)."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    with kb.read() as conn:
        row = conn.execute(
            select(api_tokens.c.username, api_tokens.c.expires_at)
            .select_from(api_tokens.join(users, users.c.username == api_tokens.c.username))
            .where(api_tokens.c.token_hash == token_hash(token))
        ).first()
    if row is None or row.expires_at <= utcnow():
        return None
    return str(row.username)


def revoke_access(kb: KB, name: str) -> dict[str, int]:
    """End every token and web session of ``name``; returns how many of each there were."""
    with kb.write() as conn:
        tokens = int(conn.execute(delete(api_tokens).where(api_tokens.c.username == name)).rowcount)
        return {"tokens": tokens, "sessions": revoke_sessions(conn, name)}


def change_password(kb: KB, name: str, password: str) -> int:
    """Set a new password (same policy as a new account); every web session of the user ends.

    Returns how many sessions were ended. API tokens stay: end them with `revoke_access`.
    """
    check_password_policy(name, password)
    password_hash = hash_password(password)
    with kb.write() as conn:
        if not conn.execute(update(users).where(users.c.username == name).values(password_hash=password_hash)).rowcount:
            raise UserError(f"no user {name!r}")
        return revoke_sessions(conn, name)


def delete_user(kb: KB, name: str) -> dict[str, int]:
    """Delete an account with its tokens and sessions, in one transaction. Reviews it made stay
    in the history under its name. Returns how many tokens and live sessions ended."""
    with kb.write() as conn:
        if conn.execute(select(users.c.username).where(users.c.username == name)).first() is None:
            raise UserError(f"no user {name!r}")
        ended = revoke_sessions(conn, name)
        conn.execute(delete(sessions).where(sessions.c.username == name))
        tokens = int(conn.execute(delete(api_tokens).where(api_tokens.c.username == name)).rowcount)
        conn.execute(delete(users).where(users.c.username == name))
    return {"tokens": tokens, "sessions": ended}
