"""The shared corepress contract, run against this plugin."""

from corepress.contract import PaperPluginContract


class TestXiamenContract(PaperPluginContract):
    plugin = "xiamen"
