"""The JSON Schema of an exported line, and short reasons why a line breaks it.

`article.schema.json` is the contract with the archives that ingest the export; the
validation pipeline checks every line against it before the exporter writes it, and the run
manifest records `SCHEMA_VERSION` so an archive knows which contract a file was written to.
The schema ships as package data and is read with `importlib.resources`, so it is found from
an installed wheel or egg as well as from the source tree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

# Bump with the `$id` of article.schema.json whenever a change could refuse a line the
# previous version accepted (or the reverse); the run manifest records it.
SCHEMA_VERSION = "2"
SCHEMA_FILE = "article.schema.json"
# Field name given to a problem with the line as a whole (not an object, for example).
ROOT = "<root>"
MAX_REASON = 200


@dataclass(frozen=True)
class Problem:
    """One way a line breaks the schema.

    - `field`: the top-level field at fault (the missing or unexpected one for a
      `required`/`additionalProperties` error), or `ROOT`.
    - `reason`: `<path>: <message>`, at most `MAX_REASON` characters.
    """

    field: str
    reason: str


@cache
def load_schema() -> dict[str, Any]:
    """The article schema as a dict (parsed once; do not mutate it)."""
    text = files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def fast_validator() -> jsonschema_rs.Validator:
    """The same schema compiled by `jsonschema-rs`: a yes/no answer in microseconds.

    The `jsonschema` package takes about a millisecond per line; the pipeline asks this
    validator first and the `jsonschema` one only for the rare invalid line, for its reasons.
    """
    return jsonschema_rs.validator_for(load_schema(), validate_formats=True)


@cache
def article_validator() -> Draft202012Validator:
    """A reusable validator for export lines.

    The format checker asserts `format: date` (stdlib) and, when `rfc3339-validator` is
    installed, `date-time`; the schema's patterns hold either way.
    """
    return Draft202012Validator(load_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def check(line: Any) -> list[Problem]:
    """Every problem of `line` (a decoded JSON line); `[]` when it is valid.

    Problems come in the schema's field order (those of the line as a whole and unexpected
    fields first), so the first problem, the one a drop reports, is stable from run to run.
    """
    found = [_problem(error) for error in article_validator().iter_errors(line)]
    order = {name: index for index, name in enumerate(load_schema()["required"])}
    return sorted(found, key=lambda problem: order.get(problem.field, -1))


def problems(line: Any) -> list[str]:
    """Short human reasons why `line` breaks the schema; empty when it is valid."""
    return [problem.reason for problem in check(line)]


def _problem(error: ValidationError) -> Problem:
    where = error.json_path.removeprefix("$").removeprefix(".") or ROOT
    reason = f"{where}: {_message(error)}"
    if len(reason) > MAX_REASON:
        reason = reason[: MAX_REASON - 1] + "…"
    return Problem(field=_field(error), reason=reason)


def _message(error: ValidationError) -> str:
    """jsonschema's message, with an unreadable regex replaced by the schema's description.

    Every schema holding a `pattern` describes its value as a noun phrase for this.
    """
    description = error.schema.get("description") if isinstance(error.schema, dict) else None
    if error.validator == "pattern" and description:
        return f"{error.instance!r} is not {description}"
    return error.message


def _field(error: ValidationError) -> str:
    """The top-level field an error is about; `ROOT` when it is about the line as a whole."""
    if error.absolute_path:
        return str(error.absolute_path[0])
    instance = error.instance if isinstance(error.instance, dict) else {}
    if error.validator == "required":
        missing = [name for name in error.validator_value if name not in instance]
        # One error per missing name, each message starting with the name's repr.
        return next((name for name in missing if error.message.startswith(repr(name))), ROOT)
    if error.validator == "additionalProperties":
        known = error.schema.get("properties", {})
        return next((str(name) for name in instance if name not in known), ROOT)
    return ROOT
