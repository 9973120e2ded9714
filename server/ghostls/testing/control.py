"""The JSON side of the control endpoints and of `--rules` files.

A rules document looks like::

    {
      "rules": [{"contains": "def add", "text": "return a + b", "times": 1}],
      "default": "pass",
      "fault": {"kind": "status", "status": 429, "retry_after": 0.5, "times": 2},
      "profile": "groq"
    }

Every key is optional. A rule or "default" may be a plain string or an object with "text",
"fault", "profile" and "finish_reason"; a profile is a name or {"name": ...} or explicit
Profile fields.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from .replies import Fault, Profile, RecordedRequest, Reply, resolve_profile


@dataclass(frozen=True)
class Rule:
    """A reply for the prompts that contain `contains`, at most `times` times."""

    reply: Reply
    contains: str | None = None
    times: int | None = None


@dataclass(frozen=True)
class ControlUpdate:
    """What a rules document asks the server to change."""

    rules: list[Rule]
    default: Reply | None = None
    fault: Fault | None = None
    fault_times: int = 1
    profile: Profile | None = None


def _object(value: Any, what: str, allowed: set[str]) -> dict[str, Any]:
    """Check that value is a JSON object with only the allowed keys."""
    if not isinstance(value, dict):
        raise ValueError(f"{what} must be a JSON object")
    unknown = set(value) - allowed
    if unknown:
        raise ValueError(f"unknown {what} fields: {', '.join(sorted(unknown))}")
    return value


def _field_names(cls: type[Any]) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)}


def profile_from_json(value: Any) -> Profile:
    """A profile from a name, {"name": ...}, or explicit Profile fields."""
    if isinstance(value, str):
        return resolve_profile(value)
    fields = _object(value, "profile", {"name"} | _field_names(Profile))
    if "name" in fields:
        return resolve_profile(fields["name"])
    return Profile(**fields)


def fault_from_json(value: Any) -> Fault:
    """A Fault from its fields."""
    return Fault(**_object(value, "fault", _field_names(Fault)))


def reply_from_json(value: Any, extra: frozenset[str] = frozenset()) -> Reply:
    """A Reply from a string or an object (which may also hold the `extra` keys)."""
    if isinstance(value, str):
        return Reply(text=value)
    fields = _object(value, "reply", _field_names(Reply) | extra)
    return Reply(
        text=fields.get("text", ""),
        fault=fault_from_json(fields["fault"]) if "fault" in fields else None,
        profile=profile_from_json(fields["profile"]) if "profile" in fields else None,
        finish_reason=fields.get("finish_reason", "stop"),
    )


def _rule_from_json(value: Any) -> Rule:
    reply = reply_from_json(value, frozenset({"contains", "times"}))
    fields = value if isinstance(value, dict) else {}
    return Rule(reply, contains=fields.get("contains"), times=fields.get("times"))


def parse_update(payload: Any) -> ControlUpdate:
    """Read a rules document; raises ValueError (or TypeError) when it is not one."""
    doc = _object(payload, "rules document", {"rules", "default", "fault", "profile"})
    fault = doc.get("fault")
    fault_fields = dict(_object(fault, "fault", _field_names(Fault) | {"times"})) if fault else {}
    fault_times = fault_fields.pop("times", 1)
    return ControlUpdate(
        rules=[_rule_from_json(rule) for rule in doc.get("rules", [])],
        default=reply_from_json(doc["default"]) if "default" in doc else None,
        fault=fault_from_json(fault_fields) if fault_fields else None,
        fault_times=fault_times,
        profile=profile_from_json(doc["profile"]) if "profile" in doc else None,
    )


def record_to_json(record: RecordedRequest) -> dict[str, Any]:
    """A recorded request as JSON, with its prompt_text and stream properties."""
    return dataclasses.asdict(record) | {"prompt_text": record.prompt_text, "stream": record.stream}
