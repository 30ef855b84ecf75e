"""The shared corepress contract, run against this plugin."""

from corepress.plugin_system.contract import PaperPluginContract


class TestLiaoyuanContract(PaperPluginContract):
    plugin = "liaoyuan"
