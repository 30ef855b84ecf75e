"""The shared corepress contract, run against this plugin."""
from corepress.api import PaperPluginContract


class TestLiaoningContract(PaperPluginContract):
    plugin = "liaoning"
