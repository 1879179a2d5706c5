"""The one way perfkit reads YAML: safe loading (no Python tags) and no aliases.

An alias (``*name``) lets a small file expand exponentially when it is used or printed (the
"billion laughs" alias bomb); perfkit's params files, rule profiles and indicator sets never
need them, so they are refused. The event scan and the load use libyaml's C classes when built.
"""
from __future__ import annotations

import yaml

__all__ = ["load_yaml", "YAMLRefused"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YAMLRefused(yaml.YAMLError):
    """The text is YAML but uses a feature perfkit refuses (aliases)."""


def load_yaml(text: str, *, what: str = "file"):
    """Parse ``text`` safely; raise :class:`yaml.YAMLError` (or :class:`YAMLRefused`) when it is
    not plain YAML. ``what`` names the kind of file in the message."""
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
            raise YAMLRefused(f"aliases (*name) are not allowed in a {what}{where}")
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
