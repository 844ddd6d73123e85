"""Every server answers only to its own names: a WSGI middleware that checks ``Host``.

A web page can make a browser send requests to 127.0.0.1 under a name the page's author
controls (DNS rebinding: ``evil.example`` first resolves to the author's server, then to
127.0.0.1). The browser then treats our servers as that site; the one thing it cannot hide
is the name, in the ``Host`` header. So a request whose Host is not one of the server's
names is answered 421 (Misdirected Request), and one without a usable Host 400.

Allowed: ``127.0.0.1``, ``localhost``, ``::1``, the address the server is bound to (unless
a wildcard), and the names in ``VOD_ALLOWED_HOSTS`` (comma-separated; e.g. a container's
service name such as ``testbed`` in docker compose).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from vod_testbed.common.settings import ServerSettings

log = logging.getLogger(__name__)

LOCAL_NAMES = ("127.0.0.1", "localhost", "::1")
WILDCARDS = ("", "0.0.0.0", "::")  # noqa: S104 - compared, not bound

# (status, message) -> (content type, body)
ErrorRenderer = Callable[[int, str], tuple[str, bytes]]


def json_error(status: int, message: str) -> tuple[str, bytes]:
    """The default error body: ``{"error": ..., "message": ..., "field": "Host"}``."""
    body = {"error": message, "message": message, "field": "Host"}
    return "application/json", json.dumps(body).encode()


def allowed_hosts(bind_host: str, settings: ServerSettings | None = None) -> tuple[str, ...]:
    """The names a server bound to ``bind_host`` answers to (see the module docstring);
    ``settings`` default to the environment's."""
    settings = ServerSettings.from_env() if settings is None else settings
    names = [*LOCAL_NAMES, *settings.allowed_hosts]
    if bind_host not in WILDCARDS:
        names.append(bind_host)
    return tuple(dict.fromkeys(name.lower() for name in names))


def host_name(header: str) -> str | None:
    """The name part of a Host header (``[::1]:8000`` -> ``::1``), or None if malformed."""
    header = header.strip().lower()
    if header.startswith("["):
        name, sep, rest = header[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else rest
        ok = sep and (not rest or (rest.startswith(":") and port.isdigit()))
        return name if ok and name else None
    name, _, port = header.partition(":")
    if not name or (port and not (port.isascii() and port.isdigit())):
        return None
    return name


class HostCheck:
    """WSGI middleware: pass requests whose Host is allowed to ``app``, answer the rest.

    Args:
        app: the application to protect.
        allowed: the host names (any case) to accept.
        render: builds the error body (default JSON; the embedded S3 passes S3's XML).
    """

    def __init__(
        self, app: Any, allowed: Iterable[str], render: ErrorRenderer = json_error
    ) -> None:
        self.app = app
        self.allowed = frozenset(name.lower() for name in allowed)
        self.render = render

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        header = environ.get("HTTP_HOST")
        name = host_name(header) if header else None
        if name in self.allowed:
            return self.app(environ, start_response)
        if name is None:
            status, message = 400, "The request has no valid Host header."
        else:
            status, message = 421, f"This server does not answer to the name {name!r}."
            log.warning("request for host %r refused (allowed: %s)", name, sorted(self.allowed))
        content_type, body = self.render(status, message)
        reason = "Bad Request" if status == 400 else "Misdirected Request"
        start_response(
            f"{status} {reason}",
            [("Content-Type", content_type), ("Content-Length", str(len(body)))],
        )
        return [body]
