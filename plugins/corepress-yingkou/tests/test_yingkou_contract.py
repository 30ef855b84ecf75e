"""The shared corepress contract, run against this plugin."""

from corepress.contract import PaperPluginContract


class TestYingkouContract(PaperPluginContract):
    plugin = "yingkou"
