"""Local Sphinx extension for the corepress docs: content generated at build time.

Five directives, usable from reStructuredText and from MyST Markdown
(```` ```{corepress-schema} ```` …):

``corepress-schema``
    A table of every field path of the ``corepress.page/2`` JSON Schema
    (``articles[].title``, ``masthead.lines[].spans``…) with its type, whether it
    is required and its description, read from ``corepress/schemas/page-2.json``.

``corepress-paper ID``
    What a bundled paper plugin registers (paper facts, hooks, detection
    signals, masthead configuration, formulas), read from the installed plugin.

``corepress-sample ID``
    The first lines of the Markdown rendering of the plugin's sample pages,
    parsed by corepress while the docs build.

``corepress-enum DOTTED.NAME``
    A table of an enum's values with the comment each has in the source, so the
    vocabulary in the docs is always the one the code checks against.  Content
    lines ``value: text`` describe values the source leaves uncommented.

``corepress-api``
    One row per name in ``corepress.api.__all__``: a link to where the name is
    documented, the module it comes from and what it is (its docstring's first
    line, or a content line ``NAME: text``).  A name with neither is a build
    warning, so a new export cannot go undocumented.

A ``missing-reference`` handler lets docstrings say ``corepress.api.Paper``
(the name plugin authors import) while the object is documented under the
module that defines it.

The two plugin directives never fail the build when a plugin is not installed:
they say so in a note instead.  The schema walk lives in :mod:`corepress_schema`,
plain Python, so that ``tests/test_docs.py`` can check the table covers the
whole schema without Sphinx.
"""

from __future__ import annotations

import importlib
import io
import re
import sys
import textwrap
from pathlib import Path
from types import ModuleType
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple

from corepress_schema import DEFAULT_SCHEMA, load_schema, schema_fields
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

SAMPLE_LINES = 40


# --- tables -------------------------------------------------------------------------------------
def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[int], classes: Sequence[str] = ()) -> nodes.table:
    table = nodes.table(classes=list(classes))
    group = nodes.tgroup(cols=len(headers))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    head += _row(headers)
    body = nodes.tbody()
    group += body
    for row in rows:
        body += _row(row)
    return table


def _row(cells: Sequence[Any]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        if isinstance(cell, (nodes.paragraph, nodes.literal_block)):
            entry += cell
        elif isinstance(cell, nodes.Node):
            entry += nodes.paragraph("", "", cell)
        else:
            entry += nodes.paragraph(text=str(cell))
        row += entry
    return row


def _code(text: str) -> nodes.literal:
    return nodes.literal(text=text)


# --- the schema table -------------------------------------------------------------------------


class SchemaDirective(SphinxDirective):
    """``corepress-schema``: one table row per field path of the page schema."""

    has_content = False
    option_spec = {"schema": directives.unchanged}

    def run(self) -> List[nodes.Node]:
        path = Path(self.options["schema"]) if "schema" in self.options else DEFAULT_SCHEMA
        if not path.is_absolute():
            path = Path(self.env.srcdir) / path
        self.env.note_dependency(str(path))
        schema = load_schema(path)
        rows = [
            (_code(p), _code(t), "yes" if req else "", d)
            for p, t, req, d in schema_fields(schema)
        ]
        table = _table(["field", "type", "required", "description"], rows, [30, 30, 8, 50], ["corepress-schema"])
        intro = nodes.paragraph(text=f"{schema.get('title', '')}: {schema.get('description', '')}")
        return [intro, table]


# --- paper plugins ------------------------------------------------------------------------------
def _plugins():
    from corepress.plugin_system.manager import get_plugins

    return get_plugins()


def plugin_module(plugin_id: str) -> Optional[Any]:
    """The installed plugin registered under ``plugin_id`` (a module or an object), or ``None``."""
    try:
        plugins = _plugins()
    except Exception:  # noqa: BLE001 - a broken environment must not break the docs
        return None
    return plugins.pm.get_plugin(plugin_id)


def plugin_namespace(plugin_id: str, plugin: Any) -> Optional[ModuleType]:
    """The module a plugin is defined in: the plugin itself, or the module its entry point names."""
    if isinstance(plugin, ModuleType):
        return plugin
    try:
        from importlib.metadata import entry_points

        found = entry_points()
        group = found.select(group="corepress") if hasattr(found, "select") else found.get("corepress", [])
        for ep in group:
            if ep.name == plugin_id:
                return importlib.import_module(ep.value.split(":")[0].strip())
    except Exception:  # noqa: BLE001
        pass
    return sys.modules.get(type(plugin).__module__)


def _not_installed(plugin_id: str, what: str) -> List[nodes.Node]:
    note = nodes.note()
    note += nodes.paragraph(
        text=(
            f"The corepress-{plugin_id.replace('_', '-')} plugin was not installed when this page was built, "
            f"so {what} cannot be shown here. Install it (pip install -e plugins/corepress-{plugin_id.replace('_', '-')}) "
            "and rebuild the docs."
        )
    )
    return [note]


def _join(values: Sequence[Any]) -> str:
    return ", ".join(str(v) for v in values) if values else "—"


def _weights(mapping: Mapping[str, float]) -> str:
    return ", ".join(f"{k} {v:g}" for k, v in mapping.items()) if mapping else "—"


def paper_rows(plugin_id: str, plugin: Any) -> Dict[str, List[Tuple[str, Any]]]:
    """What a paper plugin registers, as labelled rows per section.

    Works for a plugin that is a module of hook functions and for one that is an
    object with hook methods (its configuration in attributes, its patterns in
    the module that defines it).
    """
    from corepress.kit.detection import PaperSignals
    from corepress.rules.masthead import MastheadParser

    module = plugin_namespace(plugin_id, plugin)
    sections: Dict[str, List[Tuple[str, Any]]] = {}
    for paper in plugin.corepress_papers():
        sections[f"Paper {paper.id}"] = [
            ("paper id", _code(paper.id)),
            ("name", paper.name),
            ("aliases", _join(paper.aliases)),
            ("English name", paper.english_name or "—"),
            ("region", paper.region or "—"),
            ("CN serial", paper.cn or "— (not registered)"),
            ("level", paper.level),
            ("column tags", _join(paper.columns)),
        ]
    sections["Hooks implemented"] = [(_code(h), "") for h in _plugins().hooks_of(plugin_id)]
    namespaces: List[Tuple[str, Mapping[str, Any]]] = []
    if not isinstance(plugin, ModuleType):
        namespaces.append(("plugin.", vars(plugin)))
    if module is not None:
        namespaces.append(("", vars(module)))
    seen: set = set()
    for prefix, namespace in namespaces:
        for name in sorted(namespace):
            value = namespace[name]
            if id(value) in seen:
                continue
            if isinstance(value, PaperSignals):
                seen.add(id(value))
                sections[f"Detection signals ({prefix}{name})"] = [
                    ("masthead name / English name / CN", "3 / 2 / 3 when printed in the head of the page"),
                    ("terms (weight per occurrence)", _weights(value.terms)),
                    ("term cap / content cap", f"{value.term_cap:g} / {value.content_cap:g}"),
                    ("context terms", _weights(value.context_terms)),
                    ("anchors (context terms count from)", f"{_join(value.anchors)} (at least {value.anchor_min} mentions)" if value.context_terms else "—"),
                    ("head marks", _weights(value.head_marks)),
                    ("negative terms", _weights(value.negative)),
                    ("patterns", _join([f"{reason} ({weight:g})" for reason, _p, weight in value.patterns])),
                ]
            elif isinstance(value, MastheadParser):
                seen.add(id(value))
                sections[f"Masthead parser ({prefix}{name})"] = [
                    ("badges", _join(value.badges)),
                    ("extra fields", _join([field for field, _p, _f in value.extra_fields])),
                ]
    formulas = [
        (name, _pattern_block(getattr(value, "pattern", "")))
        for name, value in sorted(vars(module).items() if module is not None else ())
        if type(value).__name__ == "Pattern" and name.isupper()
    ]
    if formulas:
        sections["Formulas (compiled patterns)"] = formulas
    return sections


def _pattern_block(pattern: str) -> nodes.literal_block:
    text = textwrap.dedent(pattern.strip("\n")).strip()
    block = nodes.literal_block(text, text)
    block["language"] = "none"
    return block


class PaperDirective(SphinxDirective):
    """``corepress-paper ID``: tables of what the installed plugin registers."""

    required_arguments = 1
    has_content = False

    def run(self) -> List[nodes.Node]:
        plugin_id = self.arguments[0]
        plugin = plugin_module(plugin_id)
        if plugin is None or not hasattr(plugin, "corepress_papers"):
            return _not_installed(plugin_id, "what it registers")
        module = plugin_namespace(plugin_id, plugin)
        source = getattr(module, "__file__", None)
        if source:
            self.env.note_dependency(source)
        out: List[nodes.Node] = []
        for title, rows in paper_rows(plugin_id, plugin).items():
            rubric = nodes.rubric(text=title)
            out.append(rubric)
            out.append(_table(["item", "value"], rows, [30, 70], ["corepress-paper"]))
        return out


def sample_excerpts(plugin_id: str, root: Path, lines: int = SAMPLE_LINES) -> Iterator[Tuple[str, str]]:
    """``(display path, first lines of the Markdown rendering)`` per sample page of a plugin."""
    import attrs

    import corepress

    plugins = _plugins()
    writers = plugins.output_writers()
    folder = root / "plugins" / f"corepress-{plugin_id.replace('_', '-')}" / f"corepress_{plugin_id}" / "samples"
    for path in sorted(folder.glob("*.txt")) + sorted(folder.glob("*.md")):
        shown = path.relative_to(root).as_posix()
        page = corepress.parse(path)
        page = attrs.evolve(page, source=attrs.evolve(page.source, path=shown))
        buffer = io.StringIO()
        writers["markdown"].write([page], buffer)
        text = buffer.getvalue().splitlines()
        excerpt = "\n".join(text[:lines])
        if len(text) > lines:
            excerpt += f"\n… ({len(text) - lines} more lines)"
        yield shown, excerpt


class SampleDirective(SphinxDirective):
    """``corepress-sample ID``: the first lines of ``corepress parse --format markdown`` on the samples."""

    required_arguments = 1
    has_content = False
    option_spec = {"lines": directives.positive_int}

    def run(self) -> List[nodes.Node]:
        plugin_id = self.arguments[0]
        if plugin_module(plugin_id) is None:
            return _not_installed(plugin_id, "a parse of its sample page")
        root = Path(self.config.corepress_repo_root)
        out: List[nodes.Node] = []
        try:
            excerpts = list(sample_excerpts(plugin_id, root, self.options.get("lines", SAMPLE_LINES)))
        except Exception as exc:  # noqa: BLE001 - report, do not break the build
            note = nodes.warning()
            note += nodes.paragraph(text=f"Parsing the sample pages failed while building the docs: {type(exc).__name__}: {exc}")
            return [note]
        if not excerpts:
            note = nodes.note()
            note += nodes.paragraph(text="This plugin ships no sample page in its samples folder.")
            return [note]
        for shown, excerpt in excerpts:
            self.env.note_dependency(str(root / shown))
            caption = nodes.paragraph()
            caption += _code(f"corepress parse {shown} --format markdown")
            caption += nodes.Text(f" (first {self.options.get('lines', SAMPLE_LINES)} lines):")
            block = nodes.literal_block(excerpt, excerpt)
            block["language"] = "none"
            out += [caption, block]
        return out


# --- enums and the plugin API -------------------------------------------------------------------
_ENUM_MEMBER = re.compile(r"""^\s+[A-Z_][A-Z0-9_]*\s*=\s*(["'])(?P<value>[^"']*)\1\s*(?:#\s*(?P<comment>.*))?$""")


def _import(dotted: str) -> Any:
    module_name, _, attr = dotted.rpartition(".")
    return getattr(importlib.import_module(module_name), attr)


def _described(content: Sequence[str]) -> Dict[str, str]:
    """``key: text`` content lines as a mapping."""
    out: Dict[str, str] = {}
    for line in content:
        key, sep, text = line.partition(":")
        if sep and key.strip():
            out[key.strip()] = text.strip()
    return out


def enum_rows(dotted: str) -> List[Tuple[str, str]]:
    """``(value, comment)`` for each member of the enum, in source order."""
    import inspect

    cls = _import(dotted)
    comments: Dict[str, str] = {}
    for line in inspect.getsource(cls).splitlines():
        m = _ENUM_MEMBER.match(line)
        if m:
            comments[m.group("value")] = (m.group("comment") or "").strip()
    return [(member.value, comments.get(member.value, "")) for member in cls]


class EnumDirective(SphinxDirective):
    """``corepress-enum DOTTED.NAME``: the values of an enum with their source comments."""

    required_arguments = 1
    has_content = True

    def run(self) -> List[nodes.Node]:
        dotted = self.arguments[0]
        extra = _described(self.content)
        rows = []
        for value, comment in enum_rows(dotted):
            text = comment or extra.pop(value, "")
            if not text:
                logger.warning(f"corepress-enum {dotted}: value {value!r} has no comment in the source and no description here", location=self.get_location())
            rows.append((_code(value), text))
        for value in extra:
            if value not in {v for v, _ in rows}:
                logger.warning(f"corepress-enum {dotted}: {value!r} is not a value of the enum", location=self.get_location())
        return [_table(["value", "meaning"], rows, [20, 80], ["corepress-enum"])]


def api_sources() -> Dict[str, str]:
    """Name → the module ``corepress/api.py`` takes it from (read from its import statements)."""
    import ast

    import corepress.api as api

    sources: Dict[str, str] = {}
    tree = ast.parse(Path(api.__file__).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("corepress"):
            for alias in node.names:
                sources[alias.asname or alias.name] = node.module
    return sources


def _first_line(obj: Any) -> str:
    import inspect

    if not (inspect.isclass(obj) or inspect.isfunction(obj)):
        return ""  # constants and markers: their type's docstring says nothing about them
    doc = inspect.getdoc(obj) or ""
    return doc.strip().split("\n\n")[0].replace("\n", " ")


def _xref(target: str, title: str, docname: str) -> addnodes.pending_xref:
    node = addnodes.pending_xref(
        "", _code(title), refdomain="py", reftype="obj", reftarget=target, refexplicit=True, refwarn=False, refdoc=docname
    )
    return node


class ApiDirective(SphinxDirective):
    """``corepress-api``: every name plugin authors may import, where it is documented and what it is."""

    has_content = True

    def run(self) -> List[nodes.Node]:
        import corepress.api as api

        self.env.note_dependency(api.__file__)
        sources = api_sources()
        extra = _described(self.content)
        rows = []
        for name in sorted(api.__all__, key=str.lower):
            obj = getattr(api, name)
            text = extra.pop(name, "") or _first_line(obj)
            if not text:
                logger.warning(f"corepress-api: {name} has no docstring and no description here", location=self.get_location())
            module = sources.get(name, getattr(obj, "__module__", ""))
            rows.append((_xref(f"corepress.api.{name}", name, self.env.docname), _code(module), self._inline(text)))
        for name in extra:
            logger.warning(f"corepress-api: {name!r} is not in corepress.api.__all__", location=self.get_location())
        return [_table(["name", "from", "what"], rows, [22, 30, 60], ["corepress-api"])]

    def _inline(self, text: str) -> nodes.paragraph:
        """Docstring text with its reStructuredText inline markup (``code``, :class:`X`) rendered."""
        from docutils.parsers.rst import roles  # noqa: F401  (registers the standard roles)
        from docutils.utils import new_document

        document = new_document("<corepress-api>", self.state.document.settings)
        from docutils.parsers.rst import Parser

        Parser().parse(text, document)
        para = document.next_node(nodes.paragraph)
        return para.deepcopy() if para is not None else nodes.paragraph(text=text)


def resolve_api_reference(app: Any, env: Any, node: Any, contnode: Any) -> Optional[nodes.Node]:
    """Resolve ``corepress.api.NAME`` to the object's documented home; and re-exports of ``corepress``."""
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    candidates: List[str] = []
    if target.startswith("corepress.api."):
        name = target[len("corepress.api."):]
        source = api_sources().get(name)
        if source:
            candidates.append(f"{source}.{name}")
        if name == "PaperPluginContract":
            candidates.append("corepress.kit.contract.PaperPluginContract")
        target = candidates[0] if candidates else target
    last = target.rpartition(".")[2]
    import corepress

    if last in corepress.__all__:
        candidates.append(f"corepress.{last}")  # documented where users meet it: corepress.hookimpl, corepress.InputError
    domain = env.get_domain("py")
    for candidate in candidates:
        if candidate in domain.objects:
            return domain.resolve_xref(env, node.get("refdoc", ""), app.builder, "obj", candidate, node, contnode)
    return None


# --- sphinx-click --------------------------------------------------------------------------------
_GLOB_STAR = re.compile(r"(?<![\\*\w])\*(?=\.\w)")


_PATH_REPR = re.compile(r"\b(?:Posix|Windows)?Path\('([^']*)'\)")


def tidy_click_lines(app: Any, ctx: Any, lines: List[str]) -> None:
    """Make click's help read well as reStructuredText.

    Command help says ``*.txt / *.md``, which opens emphasis; ``default=Path(".")``
    would be shown as ``PosixPath('.')``.
    """
    lines[:] = [_PATH_REPR.sub(r"\1", _GLOB_STAR.sub(r"\\*", line)) for line in lines]


def setup(app: Any) -> Dict[str, Any]:
    app.setup_extension("sphinx_click")
    for event in ("sphinx-click-process-description", "sphinx-click-process-options", "sphinx-click-process-arguments"):
        app.connect(event, tidy_click_lines)
    app.add_config_value("corepress_repo_root", str(Path(__file__).resolve().parents[2]), "env")
    app.add_directive("corepress-schema", SchemaDirective)
    app.add_directive("corepress-paper", PaperDirective)
    app.add_directive("corepress-sample", SampleDirective)
    app.add_directive("corepress-enum", EnumDirective)
    app.add_directive("corepress-api", ApiDirective)
    app.connect("missing-reference", resolve_api_reference)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
