"""The documentation keeps up with the code.

In the style of datasette's ``tests/test_docs.py``: plain pytest over the
sources of the docs, no Sphinx build.  Each check is parametrized so that a
failure names the hook, command, schema field or plugin that lacks its docs.
"""

from __future__ import annotations

import importlib.util
import inspect
import re
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List, Mapping, Tuple

import click
import pytest

from corepress.cli.main import main
from corepress.plugin_system import hookspecs

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
TESTS = ROOT / "tests"
SCHEMA = ROOT / "corepress" / "schemas" / "page-2.json"


def _docs_sources() -> Dict[str, str]:
    return {
        path.relative_to(DOCS).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(DOCS.rglob("*"))
        if path.suffix in (".md", ".rst") and "_build" not in path.parts
    }


DOC_SOURCES = _docs_sources()
ALL_DOCS = "\n".join(DOC_SOURCES.values())


# --- (a) hooks ------------------------------------------------------------------------------------
def _hook_names() -> List[str]:
    return sorted(
        name
        for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
        if name.startswith("corepress_") and fn.__module__ == hookspecs.__name__
    )


HOOKS = _hook_names()


def test_hookspecs_found() -> None:
    assert len(HOOKS) >= 9, HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_autofunction(hook: str) -> None:
    directive = re.compile(
        rf"^\s*(?:\.\. autofunction::|```\{{autofunction\}})\s+corepress\.plugin_system\.hookspecs\.{hook}\s*$", re.MULTILINE
    )
    assert directive.search(ALL_DOCS), f"no '.. autofunction:: corepress.plugin_system.hookspecs.{hook}' in docs/"


def _test_sources() -> Dict[str, str]:
    sources = {
        path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(TESTS.rglob("*.py"))
        if path.name != Path(__file__).name  # this file names every hook: it must not count
    }
    contract = ROOT / "corepress" / "kit" / "contract.py"
    sources[contract.relative_to(ROOT).as_posix()] = contract.read_text(encoding="utf-8")
    return sources


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_tested(hook: str) -> None:
    word = re.compile(rf"\b{hook}\b")
    where = [name for name, text in _test_sources().items() if word.search(text)]
    assert where, f"{hook} is mentioned in no test under tests/ nor in corepress/kit/contract.py"


# --- (b) commands ---------------------------------------------------------------------------------
def _commands(group: click.Group, prefix: Tuple[str, ...] = ()) -> Iterator[Tuple[str, ...]]:
    for name in sorted(group.commands):
        command = group.commands[name]
        yield prefix + (name,)
        if isinstance(command, click.Group):
            yield from _commands(command, prefix + (name,))


COMMANDS = [" ".join(path) for path in _commands(main)]


def test_commands_found() -> None:
    assert "parse" in COMMANDS and len(COMMANDS) >= 6, COMMANDS


def test_cli_reference_uses_sphinx_click() -> None:
    cli = DOC_SOURCES.get("cli.rst", "")
    assert re.search(r"^\.\. click:: corepress\.cli:main\s*$", cli, re.MULTILINE), "docs/cli.rst lacks '.. click:: corepress.cli.main:main'"
    assert re.search(r"^\s+:prog: corepress\s*$", cli, re.MULTILINE), "docs/cli.rst: the click directive needs ':prog: corepress'"
    assert re.search(r"^\s+:nested: full\s*$", cli, re.MULTILINE), "docs/cli.rst: the click directive needs ':nested: full'"


@pytest.mark.parametrize("command", COMMANDS)
def test_command_in_getting_started(command: str) -> None:
    text = DOC_SOURCES["getting-started.md"]
    assert re.search(rf"corepress {re.escape(command)}(?![\w-])", text), (
        f"docs/getting-started.md never shows 'corepress {command}'"
    )


# --- (c) schema -----------------------------------------------------------------------------------
def _load_ext_module(name: str) -> Any:
    path = DOCS / "_ext" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"_docs_ext_{name}", path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def schema_paths(node: Mapping[str, Any], prefix: str = "") -> Iterator[str]:
    """Every property path of a JSON Schema, written independently of the docs generator."""
    if "$ref" in node:
        pytest.fail(f"{SCHEMA.name} uses $ref at {prefix or 'the top'}: teach the schema table and this test about it")
    for key in ("oneOf", "anyOf", "allOf"):
        for branch in node.get(key, ()):
            yield from schema_paths(branch, prefix)
    for name, child in node.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        yield path
        yield from schema_paths(child, path)
    items = node.get("items")
    if isinstance(items, Mapping):
        yield from schema_paths(items, prefix + "[]")


def _real_schema() -> Dict[str, Any]:
    import json

    return json.loads(SCHEMA.read_text(encoding="utf-8"))


SCHEMA_PATHS = sorted(set(schema_paths(_real_schema())))


def test_schema_paths_found() -> None:
    assert "articles[].title" in SCHEMA_PATHS and "masthead.lines[].spans" in SCHEMA_PATHS, SCHEMA_PATHS


@pytest.fixture(scope="module")
def generated_schema_paths() -> List[str]:
    module = _load_ext_module("corepress_schema")
    assert Path(module.DEFAULT_SCHEMA).resolve() == SCHEMA.resolve(), "the schema table reads another file"
    return [row[0] for row in module.schema_fields(module.load_schema())]


@pytest.mark.parametrize("path", SCHEMA_PATHS)
def test_schema_field_documented(path: str, generated_schema_paths: List[str]) -> None:
    assert path in generated_schema_paths, f"the schema table (docs/_ext/corepress_schema.py) does not list {path}"


def test_schema_table_lists_only_real_fields(generated_schema_paths: List[str]) -> None:
    assert sorted(set(generated_schema_paths)) == SCHEMA_PATHS
    assert len(generated_schema_paths) == len(set(generated_schema_paths)), "a field is listed twice"


def test_schema_page_uses_the_generator() -> None:
    assert re.search(r"^```\{corepress-schema\}", DOC_SOURCES.get("schema.md", ""), re.MULTILINE), (
        "docs/schema.md does not render the generated table (```{corepress-schema}```)"
    )


# --- (d) papers -----------------------------------------------------------------------------------
def _entry_points(pyproject: Path) -> Dict[str, str]:
    text = pyproject.read_text(encoding="utf-8")
    try:
        import tomllib  # Python 3.11+
    except ImportError:  # pragma: no cover - older Pythons
        section = re.search(r"^\[project\.entry-points\.corepress\]\s*$(.*?)(?=^\[|\Z)", text, re.MULTILINE | re.DOTALL)
        if not section:
            return {}
        return dict(re.findall(r'^\s*([\w.-]+)\s*=\s*"([^"]+)"', section.group(1), re.MULTILINE))
    return dict(tomllib.loads(text).get("project", {}).get("entry-points", {}).get("corepress", {}))


def _bundled_plugins() -> List[Tuple[str, str, List[str]]]:
    """``(plugin id, module file, paper ids)`` for every plugin under plugins/."""
    found = []
    for pyproject in sorted((ROOT / "plugins").glob("*/pyproject.toml")):
        for plugin_id, module in _entry_points(pyproject).items():
            module = module.split(":")[0].strip()  # "corepress_x" or "corepress_x:plugin"
            source = pyproject.parent / module.replace(".", "/") / "__init__.py"
            text = source.read_text(encoding="utf-8") if source.exists() else ""
            papers = re.findall(r'Paper\(\s*id="([^"]+)"', text)
            found.append((plugin_id, str(source), papers))
    return found


ALL_BUNDLED = _bundled_plugins()
BUNDLED = [b for b in ALL_BUNDLED if b[2] or "PaperPlugin" in Path(b[1]).read_text(encoding="utf-8")]
"""The paper plugins; the others (a boundary model) are documented on a page of their own."""
OTHER_BUNDLED = [b for b in ALL_BUNDLED if b not in BUNDLED]


@pytest.mark.parametrize("plugin_id,source,papers", OTHER_BUNDLED, ids=[b[0] for b in OTHER_BUNDLED])
def test_bundled_non_paper_plugin_has_its_page(plugin_id: str, source: str, papers: List[str]) -> None:
    assert f"{plugin_id}.md" in {Path(name).name for name in DOC_SOURCES}, f"docs/{plugin_id}.md documents no bundled plugin {plugin_id}"


def test_bundled_plugins_found() -> None:
    ids = [plugin_id for plugin_id, _, _ in BUNDLED]
    assert {"yingkou", "guilin", "liaoyuan", "liaoning"} <= set(ids), ids


@pytest.mark.parametrize("plugin_id,source,papers", BUNDLED, ids=[b[0] for b in BUNDLED])
def test_bundled_plugin_has_papers_page(plugin_id: str, source: str, papers: List[str]) -> None:
    page = f"papers/{plugin_id}.md"
    assert page in DOC_SOURCES, f"no docs/{page} for the bundled plugin {plugin_id!r}"
    text = DOC_SOURCES[page]
    toctree = re.search(r"```\{toctree\}(.*?)```", DOC_SOURCES.get("papers/index.md", ""), re.DOTALL)
    assert toctree and re.search(rf"^{plugin_id}\s*$", toctree.group(1), re.MULTILINE), (
        f"docs/papers/index.md does not list {plugin_id} in its toctree"
    )
    assert re.search(rf"^```\{{corepress-paper\}} {plugin_id}\s*$", text, re.MULTILINE), f"docs/{page} lacks ```{{corepress-paper}} {plugin_id}"
    assert re.search(rf"^```\{{corepress-sample\}} {plugin_id}\s*$", text, re.MULTILINE), f"docs/{page} lacks ```{{corepress-sample}} {plugin_id}"
    assert papers, f"no Paper(id=...) found in {source}"
    for paper_id in papers:
        assert f"`{paper_id}`" in text, f"docs/{page} never names the paper id {paper_id!r}"
