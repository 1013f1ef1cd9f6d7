"""The ``treatywatch`` command line: a thin shell over the library.

Each ``*_cmd`` module in this package defines ``register(app)`` and adds its commands; the app
collects them all, so a new command is a new module, not an edit of a central list.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer

app = typer.Typer(
    name="treatywatch",
    help="Monitor arms-control treaties from the news: ingest, extract, review, compute status.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


# The order of `treatywatch --help`: the flow of a working day. Modules not listed follow.
COMMAND_ORDER = ("demo", "ingest", "batch", "articles", "extract", "claims", "status", "stories", "sources",
                 "serve", "users", "backup")


def _register_commands() -> None:
    names = [m.name for m in pkgutil.iter_modules(__path__) if m.name.endswith("_cmd")]
    rank = {f"{name}_cmd": i for i, name in enumerate(COMMAND_ORDER)}
    for name in sorted(names, key=lambda n: (rank.get(n, len(rank)), n)):
        importlib.import_module(f"{__name__}.{name}").register(app)


_register_commands()


def main() -> None:
    app()
