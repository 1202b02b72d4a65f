from django.apps import AppConfig


class AgentsConfig(AppConfig):
    """The MCP server for AI agents: sits above scheduling (it calls it), below monitoring."""

    name = "agents"
