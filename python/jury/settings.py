# pyright: strict, reportUnnecessaryIsInstance=false
"""Display settings of job definitions and examples; each is sent as its name (``settings: ["NoShuffle"]``)."""

from __future__ import annotations

from collections.abc import Iterable


class JurySetting:
    """A setting; ``name`` is its wire form."""

    name: str = ""

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class NoShuffleSetting(JurySetting):
    """Keep answer options (and compare sides) in the given order instead of shuffling them per labeler."""

    name = "NoShuffle"


class MarkdownSetting(JurySetting):
    """Render the instruction, contexts and text items as Markdown."""

    name = "Markdown"


class AllowNeitherBothSetting(JurySetting):
    """Compare only: labelers may also answer "Both" or "Neither"."""

    name = "AllowNeitherBoth"


def setting_names(settings: Iterable[JurySetting | str] | None) -> list[str]:
    """The wire names, without duplicates, in the given order."""
    out: list[str] = []
    for s in settings or []:
        name = s if isinstance(s, str) else s.name
        if name not in out:
            out.append(name)
    return out
