"""The shared corepress contract, run against this plugin."""

from corepress.plugin_system.contract import PaperPluginContract


class TestGuilinContract(PaperPluginContract):
    plugin = "guilin"
