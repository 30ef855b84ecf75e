"""Loading plugins and calling their hooks.

Built like tox 4's manager: hook specs first, then names blocked through
``COREPRESS_DISABLED_PLUGINS``, then the ``corepress`` entry points one at a
time (a plugin that fails to import is skipped with a warning naming it, or
re-raised under ``COREPRESS_STRICT_PLUGINS=1``), then the built-in plugins, then
``check_pending()``.  Nothing here runs at ``import corepress``: the manager
loads on first use, once per process.

Hooks are called one implementation at a time so that a plugin that raises is
reported as a notice naming it while the page still parses with the other
rules; strict mode re-raises instead.
"""

from __future__ import annotations

import os
import sys
import threading
import warnings
from importlib import metadata
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import attrs
import pluggy

from corepress.plugin_system import hookspecs
from corepress.values.model import Notice, Paper

ENTRY_POINT_GROUP = "corepress"
ENV_DISABLED = "COREPRESS_DISABLED_PLUGINS"
ENV_STRICT = "COREPRESS_STRICT_PLUGINS"
ENV_TRACE = "COREPRESS_TRACE_PLUGINS"
BUILTIN_PLUGINS = ("corepress.text_io.builtin", "corepress.rules")


class PluginError(Exception):
    """A plugin could not be loaded or broke the rules of the hook specs."""


@attrs.frozen
class PluginInfo:
    name: str
    distribution: Optional[str]
    version: Optional[str]
    builtin: bool


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
    """The plugin manager plus what corepress derives from it (papers, subsets)."""

    def __init__(
        self,
        *,
        entry_points: bool = True,
        builtins: Sequence[str] = BUILTIN_PLUGINS,
        extra: Iterable[Tuple[str, object]] = (),
        strict: Optional[bool] = None,
    ) -> None:
        self.strict = strict_mode() if strict is None else strict
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.info: Dict[str, PluginInfo] = {}
        self.failed: Dict[str, str] = {}
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
        if os.environ.get(ENV_TRACE, "").strip() not in ("", "0"):
            self.trace: Optional[Callable[[str], Any]] = sys.stderr.write
        else:
            self.trace = None
        self.papers, self.paper_owner = self._collect_papers()
        self._subsets: Dict[Tuple[str, Optional[str]], Any] = {}
        self._lock = threading.Lock()

    # loading -------------------------------------------------------------------------
    def _load_entry_points(self) -> None:
        for ep, dist in _entry_points():
            if self.pm.is_blocked(ep.name):
                continue
            try:
                plugin = ep.load()
            except Exception as exc:  # noqa: BLE001 - any import failure skips the plugin
                if self.strict:
                    raise PluginError(f"plugin {ep.name!r} failed to load: {exc}") from exc
                self.failed[ep.name] = f"{type(exc).__name__}: {exc}"
                warnings.warn(
                    f"corepress: skipped plugin {ep.name!r} ({ep.value}): failed to load: {exc}",
                    RuntimeWarning,
                    stacklevel=2,
                )
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
                if self.strict:
                    raise PluginError(f"plugin {name!r}: {exc}") from exc
                warnings.warn(f"corepress: skipped plugin {name!r}: {exc}", RuntimeWarning, stacklevel=2)
                self.failed[name] = str(exc)
                self.pm.unregister(plugin)
                self.info.pop(name, None)

    def _collect_papers(self) -> Tuple[Dict[str, Paper], Dict[str, str]]:
        papers: Dict[str, Paper] = {}
        owner: Dict[str, str] = {}
        for impl in self.pm.hook.corepress_papers.get_hookimpls():
            registered: Sequence[Paper] = impl.function() or ()  # type: ignore[assignment]
            for paper in registered:
                if paper.id in papers or paper.id == "generic":
                    raise PluginError(
                        f"paper id {paper.id!r} registered by both {owner.get(paper.id, 'corepress')!r} "
                        f"and {impl.plugin_name!r}"
                    )
                papers[paper.id] = paper
                owner[paper.id] = impl.plugin_name
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
        return name in set(self.paper_owner.values())

    # calling ---------------------------------------------------------------------------
    def _caller(self, hook_name: str, paper: Optional[str]) -> Any:
        """The hook restricted to generic plugins plus the plugin owning ``paper``."""
        key = (hook_name, paper)
        with self._lock:
            if key not in self._subsets:
                owner = self.paper_owner.get(paper) if paper else None
                remove = [
                    self.pm.get_plugin(name)
                    for name in self.paper_plugins()
                    if name != owner
                ]
                self._subsets[key] = self.pm.subset_hook_caller(hook_name, remove_plugins=remove)
            return self._subsets[key]

    def call(
        self,
        hook_name: str,
        *,
        paper: Optional[str] = None,
        scoped: bool = True,
        notices: Optional[List[Notice]] = None,
        firstresult: bool = False,
        **kwargs: Any,
    ) -> List[Tuple[str, Any]]:
        """Call each implementation in turn; return ``(plugin name, result)`` pairs.

        Order (see :meth:`call_order`): the paper's own plugin first, then
        ``tryfirst`` implementations, then the rest, then ``trylast`` ones (the
        generic fallbacks), each tier by plugin name, never by registration order.
        An implementation that raises is skipped with an error notice naming the
        plugin (re-raised when strict).
        """
        caller = self._caller(hook_name, paper) if scoped else getattr(self.pm.hook, hook_name)
        impls = sorted(caller.get_hookimpls(), key=self.call_order)
        results: List[Tuple[str, Any]] = []
        for impl in impls:
            args = {name: kwargs[name] for name in impl.argnames}
            try:
                result = impl.function(**args)
            except Exception as exc:  # noqa: BLE001 - isolation is the point
                if self.strict:
                    raise
                if notices is None:
                    raise
                notices.append(
                    Notice(
                        "error",
                        "plugin_failed",
                        f"plugin {impl.plugin_name!r} failed in {hook_name}: {type(exc).__name__}: {exc}",
                    )
                )
                continue
            if self.trace is not None:
                self.trace(f"corepress: {hook_name} [{impl.plugin_name}] -> {_summarise(result)}\n")
            if result is None:
                continue
            results.append((impl.plugin_name, result))
            if firstresult:
                break
        return results

    def call_order(self, impl: Any) -> Tuple[int, str]:
        """Sort key of an implementation: (tier, plugin name)."""
        if self.is_paper_plugin(impl.plugin_name):
            tier = 0
        elif impl.tryfirst:
            tier = 1
        elif impl.trylast:
            tier = 3
        else:
            tier = 2
        return (tier, impl.plugin_name)

    def collect(self, hook_name: str, **kwargs: Any) -> List[Tuple[str, Any]]:
        """All items of a list-returning hook, flattened with the plugin that gave each."""
        out: List[Tuple[str, Any]] = []
        for plugin_name, items in self.call(hook_name, **kwargs):
            out.extend((plugin_name, item) for item in items)
        return out


def _summarise(result: Any) -> str:
    if isinstance(result, (list, tuple)):
        return f"{len(result)} item(s)"
    text = repr(result)
    return text if len(text) < 80 else text[:77] + "..."


def _disabled_names() -> List[str]:
    raw = os.environ.get(ENV_DISABLED, "")
    return [name.strip() for name in raw.split(",") if name.strip()]


def _version() -> str:
    from corepress import __version__

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

