"""The errors of the plugin system (importable without loading pluggy or any plugin)."""

from __future__ import annotations


class PluginError(Exception):
    """A plugin could not be loaded, or (in strict mode) misbehaved; the message is one line."""


class PluginFault(Exception):
    """One plugin raised or returned a malformed result while a page was parsed."""

    def __init__(self, plugin: str, hook: str, message: str) -> None:
        self.plugin = plugin
        self.hook = hook
        self.message = message
        super().__init__(f"plugin {plugin!r} failed in {hook}: {message}")
