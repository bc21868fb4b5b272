"""Administrator feature settings: one typed model per feature, parsed by one forgiving function.

Each insight declares its settings as a frozen pydantic model whose fields carry their default, type,
range and help text. The admin edits them as JSON in the ``osi_setting`` table (or through the admin
page, which validates with the JSON schema of the same model). :func:`parse_settings` turns the stored
JSON into the model: a field that is missing keeps its default, a field that is wrong keeps its default
*and* is reported by name, and the rest applies, so one typo never switches an insight off or stops a
run.

Cross-field rules (``fair_min`` below ``good_min``) are model validators that raise
:func:`conflict`, naming the fields involved; those fields fall back to their defaults together.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import PydanticCustomError

M = TypeVar("M", bound="FeatureSettings")

_MAX_SHOWN = 60
"""Characters of a rejected value quoted back to the admin (settings may hold long lists)."""


class FeatureSettings(BaseModel):
    """Base of every feature's settings: frozen, unknown keys refused (a typo must not pass silently)."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)

    def as_json(self) -> str:
        """The settings as the JSON an admin reads and edits (sorted keys, indented)."""
        return json.dumps(self.model_dump(mode="json"), sort_keys=True, indent=1, ensure_ascii=False)

    def fingerprint(self) -> str:
        """Compact canonical JSON: equal fingerprints mean equal settings (what the run compares)."""
        return json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))


def conflict(message: str, *fields: str) -> PydanticCustomError:
    """An error for a rule between ``fields``: raise it from a model validator.

    :func:`parse_settings` puts every field it names back to its default and reports the message.
    """
    return PydanticCustomError("conflict", message, {"fields": list(fields)})


def _shown(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + "…"


def _culprits(error: Mapping[str, Any], data: Mapping[str, Any]) -> list[str]:
    """The top-level fields an error is about (all named fields of a cross-field conflict)."""
    if error["type"] == "conflict":
        return [f for f in error.get("ctx", {}).get("fields", []) if f in data]
    loc = error.get("loc") or ()
    return [str(loc[0])] if loc and str(loc[0]) in data else []


def parse_settings(model: type[M], raw: object, *, name: str) -> tuple[M, list[str]]:
    """The feature's settings from the admin's stored value, and a problem per field that was refused.

    Args:
        model: the feature's settings model.
        raw: the decoded JSON value of the ``osi_setting`` row (``None`` when the row is absent).
        name: the setting's name, used in problems (``relationship.good_min: …``).

    Returns:
        the settings (defaults for absent and refused fields) and one sentence per refused field,
        naming it, quoting the value and saying that its default applies.

    Raises:
        ValidationError: the model's own defaults are invalid (a programming error, never bad input).
    """
    if raw is None:
        return model(), []
    if not isinstance(raw, Mapping):
        return model(), [f"{name}: expected a JSON object of settings, got {_shown(raw)}; the defaults apply"]
    data = dict(raw)
    problems: list[str] = []
    # Each round drops at least one field, so this ends after at most one round per field.
    for _ in range(len(data) + 1):
        try:
            return model.model_validate(data), problems
        except ValidationError as exc:
            dropped = _drop_refused(model, exc, data, name, problems)
        if not dropped:
            break
    return model(), [*problems, f"{name}: the settings could not be applied; the defaults apply"]


def _drop_refused(model: type[FeatureSettings], exc: ValidationError, data: dict[str, Any], name: str,
                  problems: list[str]) -> bool:
    """Remove the fields ``exc`` refuses from ``data``, reporting each; whether any was removed."""
    dropped = False
    for error in exc.errors(include_url=False):
        culprits = _culprits(error, data)
        if not culprits:
            continue
        values = {field: data.pop(field) for field in culprits}
        dropped = True
        if error["type"] == "extra_forbidden":
            problems.append(f"{name}.{culprits[0]}: not a setting of {name}; ignored")
        elif error["type"] == "conflict":
            defaults = ", ".join(f"{name}.{f} = {_shown(_default(model, f))}" for f in culprits)
            problems.append(f"{error['msg']}; the defaults apply ({defaults})")
        else:
            problems.append(f"{name}.{culprits[0]}: {error['msg']} (got {_shown(values[culprits[0]])}); "
                            f"the default {_shown(_default(model, culprits[0]))} applies")
    return dropped


def _default(model: type[FeatureSettings], field: str) -> object:
    return _plain(model.model_fields[field].get_default(call_default_factory=True))


def _plain(value: object) -> object:
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else value


def json_schema(model: type[FeatureSettings]) -> dict[str, Any]:
    """The JSON schema of a feature's settings (the admin page validates its form with it)."""
    return model.model_json_schema()


def model_of_dataclass(cls: type[Any], *, name: str) -> type[FeatureSettings]:
    """A settings model with the fields, types and defaults of a frozen dataclass of settings.

    For insights that keep their settings as a dataclass validated in ``__post_init__`` (raising
    :class:`connector.errors.ConfigurationError` with problems that start with ``<name>.<field>:``):
    the model's validator builds the dataclass, and every field a problem names falls back to its
    default, as any refused field does.

    Args:
        cls: the dataclass.
        name: the setting's name (the prefix its problems use).

    Raises:
        TypeError: ``cls`` is not a dataclass.
    """
    import dataclasses
    import re
    import typing

    from pydantic import create_model, model_validator

    from connector.errors import ConfigurationError

    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls!r} is not a dataclass")
    hints = typing.get_type_hints(cls)
    definitions: dict[str, Any] = {f.name: (hints[f.name], f.default) for f in dataclasses.fields(cls)}
    named = re.compile(rf"^{re.escape(name)}\.(\w+):")

    def _dataclass_rules(self: FeatureSettings) -> FeatureSettings:
        try:
            cls(**self.model_dump())
        except ConfigurationError as exc:
            fields = sorted({m.group(1) for p in exc.problems if (m := named.match(p))})
            raise conflict("; ".join(exc.problems), *fields) from None
        return self

    validators: dict[str, Any] = {"dataclass_rules": model_validator(mode="after")(_dataclass_rules)}
    return create_model(f"{cls.__name__}Model", __base__=FeatureSettings, __validators__=validators,
                        **definitions)
