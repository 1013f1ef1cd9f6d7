"""Reading data files into pydantic models: one reader, one error format for every stage.

Domain knowledge lives in data files, not in code: rules, gazetteers, treaties, the event-type
registry. Each file has a pydantic model built on `DataModel` (unknown keys refused, types
checked, frozen once read) and is read through `load_yaml` or `validate`, so a bad edit fails
when the file is loaded, with one line naming the file and the field::

    treatywatch/events/data/event_rules.yaml: rules[3].requires[0]: Input should be 'treaty',
    'weapon', 'quantity' or 'date' (got 'moon')

instead of silently matching nothing or surfacing later as a ``KeyError`` in a caller.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints, ValidationError

from treatywatch.errors import DataFileError

M = TypeVar("M", bound=BaseModel)
_SAYS_ITS_INPUT = ("missing", "extra_forbidden", "value_error", "assertion_error")
PACKAGE_ROOT = Path(str(resources.files("treatywatch")))


class DataModel(BaseModel):
    """The base of every data-file model: unknown keys are an error, values are read-only."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _iso_day(value: Any) -> Any:
    """A day written as ``YYYY-MM-DD`` (quoted or not in YAML); nothing else (not a number)."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"not a date (YYYY-MM-DD): {value!r}")


IsoDay = Annotated[date, BeforeValidator(_iso_day)]
Iso3 = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]


def shown(path: Path | str) -> str:
    """How a file is named in messages: relative to the package for packaged files."""
    target = Path(path)
    try:
        return f"treatywatch/{target.resolve().relative_to(PACKAGE_ROOT.resolve()).as_posix()}"
    except ValueError:
        return str(target)


def read_yaml(path: Path | str) -> Any:
    """The YAML document in ``path`` (an empty file is None); unreadable or invalid YAML is a
    `DataFileError` naming the file."""
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DataFileError(f"{shown(path)}: cannot read: {_one_line(str(exc))}") from None


def validate(model: type[M], document: Any, where: str, *, context: Mapping[str, Any] | None = None) -> M:
    """``document`` as a ``model``; the first problem found becomes a one-line `DataFileError`."""
    try:
        return model.model_validate(document, context=dict(context) if context is not None else None)
    except ValidationError as exc:
        raise DataFileError(f"{where}: {describe(exc)}") from None


def load_yaml(model: type[M], path: Path | str, *, context: Mapping[str, Any] | None = None) -> M:
    """Read and validate one YAML data file."""
    return validate(model, read_yaml(path), shown(path), context=context)


def describe(exc: ValidationError) -> str:
    """``field.path: what is wrong (got value)`` for the first error, and how many more."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    message = str(first["msg"]).removeprefix("Value error, ")
    got = first.get("input")
    if first["type"] not in _SAYS_ITS_INPUT and isinstance(got, str | int | float | bool):
        message += f" (got {got!r})"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    where = f"{field_path(first['loc'])}: " if first["loc"] else ""
    return f"{where}{_one_line(message)}{more}"


def field_path(loc: tuple[int | str, ...]) -> str:
    """A pydantic location as a readable path: ``('rules', 3, 'requires')`` → ``rules[3].requires``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not part.startswith(("function-", "list[", "tuple[", "dict[")):
            out += f".{part}" if out else part
    return out


def _one_line(text: str) -> str:
    return " ".join(text.split())
