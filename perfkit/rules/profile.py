"""Rule profiles: versioned YAML files of every number the rules use, each with its source tag.

A profile has an ``id``, a ``version`` and may ``extends:`` another profile (by id or path); the
child overrides leaves of the parent. A leaf ``{value: X, source: "..."}`` is a number with its
provenance; plain leaves are allowed. The content hash (sha256 of the canonical JSON of the
resolved values, ids and versions included) goes into every result and manifest.

Only safe loading is used (:func:`perfkit._yaml.load_yaml`): Python tags and aliases are refused.
"""
from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

from .._yaml import load_yaml
from ..errors import RuleError

__all__ = ["Profile", "load_profile", "available_profiles", "PROFILE_DIR"]

PROFILE_DIR = Path(__file__).with_name("profiles")
_META_KEYS = {"id", "version", "title", "extends", "todo"}
_CACHE: dict[tuple, "Profile"] = {}


def _is_leaf(node: Any) -> bool:
    return isinstance(node, dict) and "value" in node and set(node) <= {"value", "source", "note"}


def _split(node: Any, path: str, values: dict, sources: dict) -> Any:
    """Return the plain-value tree; record sources by dotted path."""
    if _is_leaf(node):
        if "source" in node:
            sources[path] = str(node["source"])
        return copy.deepcopy(node["value"])
    if isinstance(node, dict):
        return {str(k): _split(v, f"{path}.{k}" if path else str(k), values, sources)
                for k, v in node.items()}
    return copy.deepcopy(node)


def _merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and not _is_leaf(v) and isinstance(out.get(k), dict) \
                and not _is_leaf(out.get(k)):
            out[k] = _merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def _read_yaml(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise RuleError(f"cannot read rule profile {path}: {e.strerror}") from None
    try:
        data = load_yaml(text, what="rule profile")  # safe, no Python tags, no aliases
    except yaml.YAMLError as e:
        raise RuleError(f"rule profile {path} is not valid YAML (only plain YAML is accepted, "
                        f"no Python tags): {e}") from None
    if not isinstance(data, dict) or "id" not in data:
        raise RuleError(f"rule profile {path} must be a mapping with an 'id'")
    return data


def _resolve_path(ref: str | Path, relative_to: Path | None = None) -> Path:
    p = Path(ref)
    if p.suffix in (".yaml", ".yml"):
        if not p.is_absolute() and relative_to is not None and (relative_to / p).exists():
            return relative_to / p
        return p
    cand = PROFILE_DIR / f"{ref}.yaml"
    if not cand.exists():
        raise RuleError(f"unknown rule profile {ref!r}; available: {', '.join(available_profiles())}")
    return cand


@dataclass(frozen=True, eq=False)
class Profile:
    """A resolved rule profile. ``get("grades.bands")`` returns a value; ``source(...)`` its tag."""

    id: str
    version: str
    title: str
    values: Mapping[str, Any]
    sources: Mapping[str, str] = field(default_factory=dict)
    chain: tuple[str, ...] = ()        # ids from this profile up to the root
    todo: tuple[str, ...] = ()

    @property
    def hash(self) -> str:
        payload = json.dumps({"id": self.id, "version": self.version, "chain": list(self.chain),
                              "values": self.values}, sort_keys=True, ensure_ascii=False,
                             separators=(",", ":"))
        return "sha256:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def get(self, path: str, default: Any = ...) -> Any:
        node: Any = self.values
        for part in path.split("."):
            if isinstance(node, Mapping) and part in node:
                node = node[part]
            elif default is not ...:
                return default
            else:
                raise RuleError(f"rule profile {self.id!r} has no rule {path!r}")
        return copy.deepcopy(node)

    def source(self, path: str) -> str | None:
        return self.sources.get(path)

    def ref(self) -> dict:
        """The identification that goes into results and manifests."""
        return {"id": self.id, "version": self.version, "hash": self.hash}

    def with_overrides(self, overrides: Mapping[str, Any], *, version_suffix: str = "+local") \
            -> "Profile":
        """A copy with dotted-path overrides, e.g. ``{"grades.bands": {...}}`` (source 'override')."""
        vals = copy.deepcopy(dict(self.values))
        srcs = dict(self.sources)
        for path, v in overrides.items():
            node = vals
            parts = path.split(".")
            for part in parts[:-1]:
                node = node.setdefault(part, {})
            node[parts[-1]] = copy.deepcopy(v)
            srcs[path] = "override"
        return Profile(self.id, self.version + version_suffix, self.title, vals, srcs, self.chain,
                       self.todo)

    def provenance(self) -> list[dict]:
        return [{"rule": k, "source": v} for k, v in sorted(self.sources.items())]


def _load_raw(path: Path, seen: tuple = ()) -> tuple[dict, dict, tuple[str, ...]]:
    """(raw header, merged raw body, chain): merge happens on the raw trees, where a
    ``{value: …}`` leaf replaces the parent's leaf whole (a child's grade bands are not mixed
    with the parent's)."""
    if path.resolve() in seen:
        raise RuleError(f"rule profile {path} extends itself (cycle: "
                        f"{' → '.join(map(str, seen + (path.resolve(),)))})")
    raw = _read_yaml(path)
    body = {k: v for k, v in raw.items() if k not in _META_KEYS}
    chain = (str(raw["id"]),)
    parent_ref = raw.get("extends")
    if parent_ref:
        _, pbody, pchain = _load_raw(_resolve_path(str(parent_ref), path.parent),
                                     seen + (path.resolve(),))
        body = _merge(pbody, body)
        chain = chain + pchain
    return raw, body, chain


def load_profile(ref: str | Path | Profile = "national") -> Profile:
    """Load a profile by id (``national``, ``sichuan2025`` …) or by path to a YAML file."""
    if isinstance(ref, Profile):
        return ref
    path = _resolve_path(ref)
    try:
        key = (str(path.resolve()), path.stat().st_mtime_ns, path.stat().st_size)
    except OSError:
        key = None
    if key is not None and key in _CACHE:
        return _CACHE[key]
    prof = _load_uncached(path)
    if key is not None and len(prof.chain) == 1:   # a child's parents may change: no cache
        _CACHE[key] = prof
    return prof


def _load_uncached(path: Path) -> Profile:
    raw, body, chain = _load_raw(path)
    pid, version = str(raw["id"]), str(raw.get("version", "0"))
    sources: dict[str, str] = {}
    values = _split(body, "", {}, sources)
    _check(pid, values)
    todo = tuple(str(t) for t in raw.get("todo") or ())
    return Profile(pid, version, str(raw.get("title", pid)), values, sources, chain, todo)


def _check(pid: str, v: dict) -> None:
    """Structural checks so that a broken profile fails at load, not mid-scoring."""
    try:
        se = v["self_eval"]
        w = se["weights"]
        total = float(se["total"])
        if abs(sum(float(x) for x in w.values()) - total) > 1e-9:
            raise RuleError(f"profile {pid!r}: self_eval.weights sum to "
                            f"{sum(w.values())}, not self_eval.total = {total}")
        bands = v["grades"]["bands"]
        if not isinstance(bands, dict) or not bands:
            raise RuleError(f"profile {pid!r}: grades.bands must map grade → lower bound")
        for name, (lo, hi) in v["scoring"]["qualitative_bands"].items():
            if not 0 <= lo <= hi <= 1:
                raise RuleError(f"profile {pid!r}: qualitative band {name} must lie in [0, 1]")
        if v["scoring"]["reverse_mode"] not in ("ratio", "linear"):
            raise RuleError(f"profile {pid!r}: scoring.reverse_mode must be ratio or linear")
    except (KeyError, TypeError, ValueError) as e:
        if isinstance(e, RuleError):
            raise
        raise RuleError(f"profile {pid!r} is missing or mistypes a rule: {e}") from None


def available_profiles() -> list[str]:
    return sorted(p.stem for p in PROFILE_DIR.glob("*.yaml"))
