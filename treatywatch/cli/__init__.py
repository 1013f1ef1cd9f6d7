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


def _register_commands() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.endswith("_cmd"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            module.register(app)


_register_commands()


def main() -> None:
    app()
