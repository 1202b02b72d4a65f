"""ASGI entry point: Django over HTTP, the MCP server for AI agents at /mcp, Channels over websockets."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
django_asgi_app = get_asgi_application()

# Imported after Django is set up: the routing imports models.
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from starlette.types import Receive, Scope, Send  # noqa: E402

from agents.asgi import is_mcp_path, mcp_app  # noqa: E402
from config.routing import websocket_urlpatterns  # noqa: E402


async def http_app(scope: Scope, receive: Receive, send: Send) -> None:
    """/mcp is the MCP server's own ASGI app (Streamable HTTP); everything else is Django."""
    if is_mcp_path(scope["path"]):
        await mcp_app(scope, receive, send)
    else:
        await django_asgi_app(scope, receive, send)  # type: ignore[arg-type]


application = ProtocolTypeRouter(
    {
        "http": http_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
