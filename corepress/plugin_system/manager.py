"""Loading plugins and calling their hooks: one typed method per hook.

Built like tox 4's manager: hook specs first, then names blocked through
``COREPRESS_DISABLED_PLUGINS``, then the ``corepress`` entry points one at a
time (a plugin that fails to import is skipped and remembered, or re-raised under
``COREPRESS_STRICT_PLUGINS=1``), then the built-in plugins, then
``check_pending()``.  Nothing here runs at ``import corepress``: the manager
loads on first use, once per process.

Every hook call goes through pluggy, one plugin at a time (a cached subset hook
caller per plugin), in a fixed order that never depends on registration: the
paper's own plugin, then ``tryfirst`` implementations, then the rest, then
``trylast`` ones, each tier by plugin name.  Each result is checked by
:mod:`corepress.plugin_system.validate`.  A plugin that raises or returns a
malformed result raises :class:`PluginFault` out of the facade method; the
pipeline reports it as a ``plugin_failed`` notice and parses the page again
without that plugin.  In strict mode the fault is a :class:`PluginError` instead.
"""

from __future__ import annotations

import os
import sys
import threading
import warnings
from importlib import metadata
from types import MappingProxyType
from typing import Any, Callable, Dict, FrozenSet, List, Mapping, Optional, Sequence, Tuple, TypeVar

import attrs
import pluggy

from corepress.plugin_system import hookspecs
from corepress.plugin_system import validate as check
from corepress.plugin_system.errors import PluginError, PluginFault
from corepress.values.errors import describe
from corepress.values.hooktypes import COMMAND_FORMATS, InputReader, OutputWriter, PageView, RepairRule, SamplePage
from corepress.values.model import Article, Block, Evidence, MastheadResult, Paper, Producer
from corepress.values.scores import GapDecision, GapScore, RoleScores, Vote

ENTRY_POINT_GROUP = "corepress"
ENV_DISABLED = "COREPRESS_DISABLED_PLUGINS"
ENV_STRICT = "COREPRESS_STRICT_PLUGINS"
ENV_TRACE = "COREPRESS_TRACE_PLUGINS"
BUILTIN_PLUGINS = ("corepress.plugin_system.builtin_io", "corepress.rules")

T = TypeVar("T")




@attrs.frozen
class PluginInfo:
    name: str
    distribution: Optional[str]
    version: Optional[str]
    builtin: bool


@attrs.frozen
class Scope:
    """Which plugins a page's hooks are asked of: the generic ones plus the owner of ``paper``,
    less the plugins that already failed on this page."""

    paper: Optional[str] = None
    excluded: FrozenSet[str] = frozenset()

    def without(self, plugin: str) -> "Scope":
        return Scope(self.paper, self.excluded | {plugin})


def strict_mode() -> bool:
    return os.environ.get(ENV_STRICT, "").strip().lower() in ("1", "true", "yes", "on")


def _entry_points() -> List[Tuple[metadata.EntryPoint, Optional[metadata.Distribution]]]:
    """The ``corepress`` entry points with the distribution that declares each, by name.

    Walking distributions (rather than ``entry_points()``) gives the distribution on
    every Python from 3.9 (whose ``EntryPoint`` has no ``dist``); the first
    distribution on ``sys.path`` wins when an editable and a normal install coexist.
    """
    found: Dict[str, Tuple[metadata.EntryPoint, Optional[metadata.Distribution]]] = {}
    for dist in metadata.distributions():
        for ep in dist.entry_points:
            if ep.group == ENTRY_POINT_GROUP and ep.name not in found:
                found[ep.name] = (ep, dist)
    return [found[name] for name in sorted(found)]


class Plugins:
    """The plugin manager, the papers it knows, and a typed method per hook."""

    def __init__(
        self,
        *,
        entry_points: bool = True,
        builtins: Sequence[str] = BUILTIN_PLUGINS,
        extra: Sequence[Tuple[str, object]] = (),
        strict: Optional[bool] = None,
    ) -> None:
        self.strict = strict_mode() if strict is None else strict
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.info: Dict[str, PluginInfo] = {}
        self.failed: Dict[str, str] = {}  # plugins that could not be loaded: not in use at all
        self.hook_failures: Dict[str, str] = {}  # plugins whose reader, writer or command hook failed
        for name in _disabled_names():
            self.pm.set_blocked(name)
        if entry_points:
            self._load_entry_points()
        for name, plugin in extra:
            self._register(plugin, name, PluginInfo(name, None, None, builtin=False))
        for module_name in builtins:
            module = __import__(module_name, fromlist=["_"])
            self._register(module, module_name, PluginInfo(module_name, "corepress", _version(), True))
        self._check_pending()
        self.trace: Optional[Callable[[str], Any]] = (
            sys.stderr.write if os.environ.get(ENV_TRACE, "").strip() not in ("", "0") else None
        )
        self._callers: Dict[Tuple[str, str], Any] = {}
        self._order: Dict[Tuple[str, Optional[Scope]], Tuple[Tuple[str, Any], ...]] = {}
        self._lock = threading.Lock()
        self._producer: Optional[Producer] = None
        self.papers: Mapping[str, Paper] = {}
        self.paper_owner: Mapping[str, str] = {}
        papers, owner = self._collect_papers()
        self.papers, self.paper_owner = MappingProxyType(papers), MappingProxyType(owner)
        self._order.clear()  # tiers depend on which plugins own papers

    # loading -------------------------------------------------------------------------
    def _skip(self, name: str, message: str) -> None:
        """A plugin that cannot take part: an error in strict mode, else remembered and reported."""
        if self.strict:
            raise PluginError(f"plugin {name!r}: {message}")
        self.failed[name] = message
        warnings.warn(f"corepress: skipped plugin {name!r}: {message}", RuntimeWarning, stacklevel=3)

    def _load_entry_points(self) -> None:
        for ep, dist in _entry_points():
            if self.pm.is_blocked(ep.name):
                continue
            try:
                plugin = ep.load()
            except Exception as exc:  # noqa: BLE001 - any import failure skips the plugin
                self._skip(ep.name, f"failed to load ({ep.value}): {describe(exc)}")
                continue
            info = PluginInfo(
                ep.name,
                dist.metadata["Name"] if dist is not None else None,
                dist.version if dist is not None else None,
                builtin=False,
            )
            self._register(plugin, ep.name, info)

    def _register(self, plugin: object, name: str, info: PluginInfo) -> None:
        if self.pm.is_blocked(name):
            return
        try:
            self.pm.register(plugin, name=name)
        except ValueError as exc:  # already registered under that name
            raise PluginError(f"plugin {name!r} registered twice: {exc}") from exc
        except pluggy.PluginValidationError as exc:
            self._skip(name, describe(exc))
            return
        wrappers = sorted(
            caller.name
            for caller in self.pm.get_hookcallers(plugin) or []
            for impl in caller.get_hookimpls()
            if impl.plugin is plugin and (impl.hookwrapper or impl.wrapper)
        )
        if wrappers:
            self.pm.unregister(plugin)
            self._skip(name, f"wrapper implementations are not supported ({', '.join(wrappers)})")
            return
        self.info[name] = info

    def _check_pending(self) -> None:
        """Reject implementations of hooks that do not exist (a misspelled ``corepress_*``)."""
        while True:
            try:
                self.pm.check_pending()
                return
            except pluggy.PluginValidationError as exc:
                plugin = exc.plugin
                name = self.pm.get_name(plugin) or repr(plugin)
                self.pm.unregister(plugin)
                self.info.pop(name, None)
                self._skip(name, describe(exc))

    def _collect_papers(self) -> Tuple[Dict[str, Paper], Dict[str, str]]:
        papers: Dict[str, Paper] = {}
        owner: Dict[str, str] = {}
        for name in self.plugin_names():
            try:
                registered = self._call_one(name, "corepress_papers", {}, check.papers)
            except PluginFault as fault:
                self.pm.unregister(name=name)
                self.info.pop(name, None)
                self._skip(name, f"corepress_papers: {fault.message}")
                continue
            for paper in registered or ():
                if paper.id in papers or paper.id == "generic":
                    raise PluginError(
                        f"paper id {paper.id!r} registered by both {owner.get(paper.id, 'corepress')!r} and {name!r}"
                    )
                papers[paper.id] = paper
                owner[paper.id] = name
        return dict(sorted(papers.items())), owner

    # queries ---------------------------------------------------------------------------
    def plugin_names(self) -> List[str]:
        return sorted(self.info)

    def hooks_of(self, name: str) -> List[str]:
        plugin = self.pm.get_plugin(name)
        if plugin is None:
            return []
        return sorted(caller.name for caller in self.pm.get_hookcallers(plugin) or [])

    def paper_plugins(self) -> List[str]:
        return sorted(set(self.paper_owner.values()))

    def is_paper_plugin(self, name: str) -> bool:
        return name in self.paper_owner.values()

    def producer(self) -> Producer:
        """corepress's version and every loaded plugin's, recorded in each page (built-in plugins are corepress's).

        Made once: the plugins are loaded when the manager is, and every page asks.
        """
        if self._producer is None:
            self._producer = Producer(plugins=tuple((name, info.version or "") for name, info in sorted(self.info.items()) if not info.builtin))
        return self._producer

    def load_failures(self) -> Mapping[str, str]:
        """Plugins that could not take part, with the reason (shown on every page and by ``corepress plugins``)."""
        return dict(sorted(self.failed.items()))

    # calling ---------------------------------------------------------------------------
    def _implementers(self, hook: str, scope: Optional[Scope]) -> Tuple[Tuple[str, Any], ...]:
        """``(plugin name, hookimpl)`` in call order; with a scope, only the page's plugins."""
        key = (hook, scope)
        order = self._order.get(key)
        if order is None:
            owner = self.paper_owner.get(scope.paper) if scope and scope.paper else None
            impls = []
            for impl in getattr(self.pm.hook, hook).get_hookimpls():
                name = impl.plugin_name
                if scope is not None and (name in scope.excluded or (self.is_paper_plugin(name) and name != owner)):
                    continue
                impls.append((name, impl))
            impls.sort(key=lambda pair: self._tier(pair[1]))
            order = tuple(impls)
            with self._lock:
                self._order[key] = order
        return order

    def _tier(self, impl: Any) -> Tuple[int, str]:
        if self.is_paper_plugin(impl.plugin_name):
            tier = 0
        elif impl.tryfirst:
            tier = 1
        elif impl.trylast:
            tier = 3
        else:
            tier = 2
        return (tier, impl.plugin_name)

    def _impl(self, hook: str, plugin: str) -> Any:
        """The ``HookImpl`` pluggy registered for ``plugin`` on ``hook`` (``None``: it has none)."""
        key = (hook, plugin)
        if key not in self._callers:
            impl = next((i for i in getattr(self.pm.hook, hook).get_hookimpls() if i.plugin_name == plugin), None)
            with self._lock:
                self._callers[key] = impl
        return self._callers[key]

    def _firstresult(self, hook: str) -> bool:
        """The spec's own ``firstresult`` option: stop at the first answer that is not ``None``."""
        spec = getattr(self.pm.hook, hook).spec
        return bool(spec and spec.opts.get("firstresult"))

    def _call_one(self, plugin: str, hook: str, kwargs: Mapping[str, Any], validate: Callable[[Any], T]) -> Optional[T]:
        """Call one plugin's implementation and check its result.

        The implementation is pluggy's own ``HookImpl`` of that plugin, called the way
        pluggy's multicall calls a non-wrapper implementation (its ``argnames``, taken
        from the keyword arguments); going one plugin at a time is what lets a failure
        be pinned on its plugin.  Wrappers are refused when plugins register, so no
        implementation is skipped.
        """
        impl = self._impl(hook, plugin)
        if impl is None:
            return None
        return self._call_impl(plugin, hook, impl, kwargs, validate)

    def _call_impl(self, plugin: str, hook: str, impl: Any, kwargs: Mapping[str, Any], validate: Callable[[Any], T]) -> Optional[T]:
        """:meth:`_call_one` with the implementation already looked up (a hook called per block)."""
        try:
            raw = impl.function(*[kwargs[name] for name in impl.argnames])
        except Exception as exc:  # noqa: BLE001 - isolation is the point
            raise self.fault(plugin, hook, describe(exc)) from None
        if raw is None:
            return None
        try:
            result = validate(raw)
        except check.BadResult as exc:
            raise self.fault(plugin, hook, str(exc)) from None
        if self.trace is not None:
            self.trace(f"corepress: {hook} [{plugin}] -> {_summarise(result)}\n")
        return result

    def fault(self, plugin: str, hook: str, message: str) -> Exception:
        if self.strict:
            return PluginError(f"plugin {plugin!r} failed in {hook}: {message}")
        return PluginFault(plugin, hook, message)

    def _each(
        self, hook: str, scope: Optional[Scope], kwargs: Mapping[str, Any], validate: Callable[[Any], Tuple[T, ...]]
    ) -> List[Tuple[str, T]]:
        out: List[Tuple[str, T]] = []
        for name, _impl in self._implementers(hook, scope):
            items = self._call_one(name, hook, kwargs, validate)
            out.extend((name, item) for item in items or ())
        return out

    # the facade: one method per hook ------------------------------------------------------
    def detect_paper(self, page: PageView, scope: Scope) -> List[Evidence]:
        """Every plugin's evidence (asked of all plugins, paper plugins included)."""
        found: List[Evidence] = []
        for name, _impl in self._implementers("corepress_detect_paper", None):
            if name in scope.excluded:
                continue
            found.extend(self._call_one(name, "corepress_detect_paper", {"page": page}, lambda r: check.evidence(r, self.papers)) or ())
        return found

    def masthead(self, page: PageView, scope: Scope) -> Optional[MastheadResult]:
        """The first masthead found (the spec is ``firstresult``): the paper's own plugin first, the generic parser last."""
        first = self._firstresult("corepress_masthead")
        found: Optional[MastheadResult] = None
        for name, _impl in self._implementers("corepress_masthead", scope):
            result = self._call_one(name, "corepress_masthead", {"page": page}, lambda r: check.masthead(r, page.blocks, page.text))
            if result is not None:
                found = found or result
                if first:
                    break
        return found

    def repair_rules(self, page: PageView, scope: Scope) -> List[Tuple[str, RepairRule]]:
        """Every rule of the page's plugins with the plugin that gave it, sorted by (stage, name, plugin)."""
        rules = self._each("corepress_repair_rules", scope, {"page": page}, check.repair_rules)
        return sorted(rules, key=lambda pair: (pair[1].stage, pair[1].name, pair[0]))

    def classify_block(self, block: Block, position: int, page: PageView, scope: Scope) -> List[Tuple[str, Vote]]:
        """Every vote on one block, with the plugin that cast it."""
        kwargs = {"block": block, "position": position, "page": page}
        return self._each("corepress_classify_block", scope, kwargs, lambda r: check.votes(r, block))

    def classify_blocks(self, blocks: Sequence[Block], page: PageView, scope: Scope) -> List[List[Tuple[str, Vote]]]:
        """:meth:`classify_block` of each block in turn, the implementations looked up once for the page."""
        hook = "corepress_classify_block"
        impls = [(name, impl) for name, impl in ((n, self._impl(hook, n)) for n, _ in self._implementers(hook, scope)) if impl is not None]
        out: List[List[Tuple[str, Vote]]] = []
        for position, block in enumerate(blocks):
            kwargs = {"block": block, "position": position, "page": page}
            votes: List[Tuple[str, Vote]] = []
            for name, impl in impls:
                items = self._call_impl(name, hook, impl, kwargs, _vote_check(block))
                votes.extend((name, item) for item in items or ())
            out.append(votes)
        return out

    def score_gaps(self, page: PageView, roles: Tuple[RoleScores, ...], scope: Scope) -> List[Tuple[str, GapScore]]:
        """Every gap score with the plugin that gave it."""
        gaps = max(0, len(page.blocks) - 1)
        kwargs = {"page": page, "roles": roles}
        return self._each("corepress_score_gaps", scope, kwargs, lambda r: check.gap_scores(r, gaps))

    def rescore_gaps(
        self, page: PageView, roles: Tuple[RoleScores, ...], evidence: Tuple[GapDecision, ...], scope: Scope
    ) -> List[Tuple[str, GapScore]]:
        """Every second-stage gap score with the plugin that gave it; each plugin sees the first stage only."""
        kwargs = {"page": page, "roles": roles, "evidence": evidence}
        return self._each("corepress_rescore_gaps", scope, kwargs, lambda r: check.gap_scores(r, len(evidence)))

    def finish_article(self, article: Article, page: PageView, scope: Scope) -> List[Tuple[str, Dict[str, Any]]]:
        """Every plugin's checked field updates for one article, in call order."""
        out: List[Tuple[str, Dict[str, Any]]] = []
        for name, _impl in self._implementers("corepress_finish_article", scope):
            updates = self._call_one(name, "corepress_finish_article", {"article": article, "page": page}, check.article_updates)
            if updates:
                out.append((name, updates))
        return out

    def _unscoped(self, hook: str, validate: Callable[[Any], Tuple[T, ...]]) -> List[Tuple[str, T]]:
        """A hook outside any page: a plugin that fails is skipped (and remembered), never fatal."""
        out: List[Tuple[str, T]] = []
        for name, _impl in self._implementers(hook, None):
            try:
                items = self._call_one(name, hook, {}, validate)
            except PluginFault as fault:
                self._hook_failed(name, f"{hook}: {fault.message}")
                continue
            out.extend((name, item) for item in items or ())
        return out

    def input_readers(self) -> List[InputReader]:
        return [reader for _, reader in self._unscoped("corepress_input_readers", check.readers)]

    def output_writers(self) -> Dict[str, OutputWriter]:
        writers: Dict[str, OutputWriter] = {}
        for name, writer in self._unscoped("corepress_output_writers", check.writers):
            if writer.name in writers:
                raise PluginError(f"output format {writer.name!r} is registered twice (again by {name!r})")
            if writer.name in COMMAND_FORMATS:
                raise PluginError(f"output format {writer.name!r} of {name!r} is built into corepress parse")
            writers[writer.name] = writer
        return writers

    def sample_pages(self, plugin: str) -> List[SamplePage]:
        if plugin not in self.info:
            return []
        return list(self._call_one(plugin, "corepress_sample_pages", {}, check.samples) or ())

    def register_commands(self, cli: Any) -> None:
        """Let every plugin add its commands to the ``corepress`` group.

        A plugin that raises, or that would replace a command someone else defined, keeps
        none of its commands; a one-line warning says why.
        """
        for name, _impl in self._implementers("corepress_register_commands", None):
            before = dict(cli.commands)
            problem = ""
            try:
                self._call_one(name, "corepress_register_commands", {"cli": cli}, lambda r: r)
            except PluginFault as fault:  # one plugin's CLI must not break the others'
                problem = fault.message
            taken = sorted(c for c, command in before.items() if cli.commands.get(c) is not command)
            if taken and not problem:
                problem = f"the command name(s) {', '.join(taken)} are taken"
            if problem:
                cli.commands.clear()
                cli.commands.update(before)
                self._hook_failed(name, f"corepress_register_commands: {problem}")

    def _hook_failed(self, name: str, message: str) -> None:
        self.hook_failures.setdefault(name, message)
        warnings.warn(f"corepress: plugin {name!r} failed in {message}", RuntimeWarning, stacklevel=3)


def _vote_check(block: Block) -> Callable[[Any], Tuple[Vote, ...]]:
    """The validation of one block's votes (looked up when called, as a benchmark may replace it)."""
    return lambda result: check.votes(result, block)


def _summarise(result: Any) -> str:
    if isinstance(result, (list, tuple)):
        return f"{len(result)} item(s)"
    text = repr(result)
    return text if len(text) < 80 else text[:77] + "..."


def _disabled_names() -> List[str]:
    raw = os.environ.get(ENV_DISABLED, "")
    return [name.strip() for name in raw.split(",") if name.strip()]


def _version() -> str:
    from corepress._version import __version__

    return __version__


_PLUGINS: Optional[Plugins] = None
_LOAD_LOCK = threading.Lock()


def get_plugins() -> Plugins:
    """The process-wide manager, loaded on first use."""
    global _PLUGINS
    if _PLUGINS is None:
        with _LOAD_LOCK:
            if _PLUGINS is None:
                _PLUGINS = Plugins()
    return _PLUGINS


def reset_plugins() -> None:
    """Forget the loaded manager (tests that change the environment use this)."""
    global _PLUGINS
    _PLUGINS = None
