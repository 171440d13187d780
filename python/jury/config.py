# pyright: strict, reportUnnecessaryIsInstance=false
"""The client's global configuration (the reference SDK's ``rapidata_config``): a value assigned in code wins,
else the ``JURY_*`` environment variable (read each time it is used), else the default — as in @jury/sdk."""

from __future__ import annotations

import os
import sys
from datetime import datetime, timezone
from collections.abc import Callable
from typing import Any

LOG_LEVELS = ("debug", "info", "warning", "error")
_TRUTHY = {"1", "true", "yes"}


def _parse_level(raw: str) -> str | None:
    v = raw.strip().lower()
    v = {"warn": "warning", "critical": "error"}.get(v, v)
    return v if v in LOG_LEVELS else None


def _parse_int(raw: str) -> int | None:
    try:
        return int(raw.strip())
    except ValueError:
        return None


class _Section:
    """Attributes backed by (environment variable, parser, default, minimum)."""

    _fields: dict[str, tuple[str, Callable[[str], Any], Any, int | None]] = {}

    def __init__(self) -> None:
        object.__setattr__(self, "_assigned", {})

    def __getattr__(self, name: str) -> Any:
        fields = type(self)._fields
        if name not in fields:
            raise AttributeError(name)
        assigned: dict[str, Any] = object.__getattribute__(self, "_assigned")
        if name in assigned:
            return assigned[name]
        env, parse, default, minimum = fields[name]
        raw = os.environ.get(env)
        if raw:
            value = parse(raw)
            if value is not None and (minimum is None or value >= minimum):
                return value
            print(f"jury: ignoring {env}={raw!r}: not a valid value.", file=sys.stderr)
        return default

    def __setattr__(self, name: str, value: Any) -> None:
        fields = type(self)._fields
        if name not in fields:
            raise AttributeError(f"jury_config has no setting {name!r}; settings: {', '.join(fields)}")
        assigned: dict[str, Any] = object.__getattribute__(self, "_assigned")
        if value is None:
            assigned.pop(name, None)  # back to the environment or the default
            return
        _, _, _, minimum = fields[name]
        if minimum is not None and (not isinstance(value, int) or value < minimum):
            raise ValueError(f"jury_config: {name} must be an integer ≥ {minimum}; got {value!r}.")
        if name == "level":
            level = _parse_level(str(value))
            if level is None:
                raise ValueError(f"jury_config.logging.level must be one of {', '.join(LOG_LEVELS)}.")
            value = level
        assigned[name] = value

    def reset(self) -> None:
        object.__getattribute__(self, "_assigned").clear()


class LoggingConfig(_Section):
    """``level`` (JURY_LOG_LEVEL, default warning), ``log_file`` (JURY_LOG_FILE: log lines appended there too),
    ``silent_mode`` (JURY_SILENT_MODE: no progress output)."""

    _fields = {
        "level": ("JURY_LOG_LEVEL", _parse_level, "warning", None),
        "log_file": ("JURY_LOG_FILE", lambda raw: raw.strip() or None, None, None),
        "silent_mode": ("JURY_SILENT_MODE", lambda raw: raw.strip().lower() in _TRUTHY, False, None),
    }


class UploadConfig(_Section):
    """``maxWorkers`` (JURY_MAX_WORKERS, default 25), ``maxRetries`` (JURY_MAX_RETRIES, default 3)."""

    _fields = {
        "maxWorkers": ("JURY_MAX_WORKERS", _parse_int, 25, 1),
        "maxRetries": ("JURY_MAX_RETRIES", _parse_int, 3, 0),
    }


class JuryConfig:
    def __init__(self) -> None:
        self.logging = LoggingConfig()
        self.upload = UploadConfig()

    def reset(self) -> None:
        """Forget values assigned in code, so environment variables and defaults apply again."""
        self.logging.reset()
        self.upload.reset()


jury_config = JuryConfig()


def log(level: str, message: str) -> None:
    """A line on stderr when ``level`` is at or above ``jury_config.logging.level``."""
    if LOG_LEVELS.index(level) < LOG_LEVELS.index(jury_config.logging.level):
        return
    line = f"jury {level}: {message}"
    print(line, file=sys.stderr)
    log_file: str | None = jury_config.logging.log_file
    if log_file:
        with open(log_file, "a", encoding="utf-8") as f:
            f.write(f"{datetime.now(timezone.utc).isoformat(timespec='milliseconds')} {line}\n")


def say(message: str) -> None:
    """What the client prints for you (links, progress lines): stdout, unless silent mode is on."""
    if not jury_config.logging.silent_mode:
        print(message, flush=True)
