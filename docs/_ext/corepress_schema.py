"""The field table of the ``corepress.page/2`` JSON Schema, in plain Python.

Used by the ``corepress-schema`` directive of :mod:`corepress_docs` and by
``tests/test_docs.py`` (which needs no Sphinx to import this module).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

DEFAULT_SCHEMA = Path(__file__).resolve().parents[2] / "corepress" / "schemas" / "page-2.json"


def load_schema(path: Optional[Path] = None) -> Dict[str, Any]:
    with open(path or DEFAULT_SCHEMA, encoding="utf-8") as fh:
        return json.load(fh)


def _branches(node: Mapping[str, Any]) -> List[Mapping[str, Any]]:
    """``oneOf``/``anyOf`` alternatives, or the node itself."""
    for key in ("oneOf", "anyOf"):
        if key in node:
            return list(node[key])
    return [node]


def _parts(node: Mapping[str, Any]) -> List[Mapping[str, Any]]:
    """The node and every subschema that can declare properties for it (oneOf, anyOf, allOf, nested)."""
    out = [node]
    for key in ("oneOf", "anyOf", "allOf"):
        for sub in node.get(key, ()):
            out.extend(_parts(sub))
    return out


def describe_type(node: Mapping[str, Any]) -> str:
    """A short human-readable type: ``string | null``, ``array of [integer, integer]``, ``one of: a, b``."""
    if "const" in node:
        return json.dumps(node["const"], ensure_ascii=False)
    if "enum" in node:
        return "one of: " + ", ".join(json.dumps(v, ensure_ascii=False) for v in node["enum"])
    alternatives = _branches(node)
    if len(alternatives) > 1:
        return " | ".join(describe_type(alt) for alt in alternatives)
    kind = node.get("type", "any")
    kinds = kind if isinstance(kind, list) else [kind]
    out = []
    for k in kinds:
        if k == "array":
            items = node.get("items", {})
            if node.get("minItems") == node.get("maxItems") == 2 and items.get("type") in ("integer", "number"):
                out.append(f"[{items['type']}, {items['type']}]")
            else:
                out.append(f"array of {describe_type(items) if items else 'any'}")
        elif k == "object":
            out.append("object")
        else:
            out.append(str(k))
    text = " | ".join(out)
    extras = []
    if "format" in node:
        extras.append(f"format {node['format']}")
    if "pattern" in node:
        extras.append(f"pattern {node['pattern']}")
    if "minimum" in node and "maximum" in node:
        extras.append(f"{node['minimum']}–{node['maximum']}")
    elif "minimum" in node:
        extras.append(f"≥ {node['minimum']}")
    return text + (f" ({'; '.join(extras)})" if extras else "")


def schema_fields(schema: Optional[Mapping[str, Any]] = None) -> List[Tuple[str, str, bool, str]]:
    """Every field path of the schema, depth first: ``(path, type, required, description)``.

    Array items are written ``name[]``; ``oneOf``/``anyOf``/``allOf`` subschemas
    (``masthead`` is ``null`` or an object) are walked into, so
    ``masthead.lines[].text`` is listed.
    """
    schema = schema if schema is not None else load_schema()
    rows: List[Tuple[str, str, bool, str]] = []

    def walk(node: Mapping[str, Any], prefix: str) -> None:
        for part in _parts(node):
            required = set(part.get("required", ()))
            for name, child in part.get("properties", {}).items():
                path = f"{prefix}.{name}" if prefix else name
                rows.append((path, describe_type(child), name in required, _description(child)))
                walk(child, path)
            items = part.get("items")
            if isinstance(items, Mapping):
                walk(items, prefix + "[]")

    walk(schema, "")
    return rows


def _description(node: Mapping[str, Any]) -> str:
    if node.get("description"):
        return str(node["description"])
    for branch in _branches(node):
        if branch.get("description"):
            return str(branch["description"])
    return ""
