"""The outbound-request guard: every server-side fetch of a URL a user or a platform gave us goes through it.

A URL typed by a user (a Mastodon server, a Bluesky PDS) or handed back by a platform (a DID document's
service endpoint, a media link) must never make this server call into its own network: the admin on
127.0.0.1, a cloud metadata service on 169.254.169.254, a database on 10.x. The guard:

- resolves the host once, refuses loopback, private, link-local, multicast, reserved and unspecified
  addresses (IPv4, IPv6 and IPv4 inside IPv6: mapped, 6to4, NAT64), and connects to the address it
  checked, so a second DNS answer cannot swap in another one (DNS rebinding);
- checks every redirect hop the same way (each hop opens its own checked connection);
- bounds the time (connect, each read, and the whole response) and the size of the response;
- answers one generic text whatever the cause, so the error never tells a prober which port is open.

`OUTBOUND_ALLOWED_NETWORKS` lets a self-hoster reach their own Mastodon or PDS inside their network.
"""

from __future__ import annotations

import ipaddress
import socket
import time
import typing
from collections.abc import Iterator
from functools import lru_cache

import httpcore
import httpx
from django.conf import settings
from django.utils.translation import gettext_lazy as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

GENERIC_MESSAGE = _("That address cannot be reached from this server.")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class DestinationRefused(httpx.RequestError):
    """The URL points somewhere this server must not call, or its answer broke a bound."""

    def __init__(self, reason: str = "", *, request: httpx.Request | None = None) -> None:
        # `reason` is for logs only; users always see GENERIC_MESSAGE.
        super().__init__(str(GENERIC_MESSAGE), request=request)
        self.reason = reason


@lru_cache(maxsize=8)
def _networks(raw: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in raw if item.strip())


def allowed_networks() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return _networks(tuple(getattr(settings, "OUTBOUND_ALLOWED_NETWORKS", ()) or ()))


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (::ffff:a.b.c.d, 2002:xxxx::, 64:ff9b::a.b.c.d)."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_is_allowed(address: IPAddress) -> bool:
    """A public unicast address, or one inside OUTBOUND_ALLOWED_NETWORKS."""
    candidates: list[IPAddress] = [address]
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None:
            candidates.append(inner)
    networks = allowed_networks()
    if any(candidate in network for candidate in candidates for network in networks):
        return True
    return all(
        candidate.is_global
        and not (
            candidate.is_multicast
            or candidate.is_private
            or candidate.is_loopback
            or candidate.is_link_local
            or candidate.is_reserved
            or candidate.is_unspecified
        )
        for candidate in candidates
    )


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def check_url(url: str | httpx.URL) -> httpx.URL:
    """Refuse what can be refused without DNS: other schemes, IP literals outside the allowed set, local names."""
    parsed = httpx.URL(str(url)) if not isinstance(url, httpx.URL) else url
    host = (parsed.host or "").lower().rstrip(".")
    if parsed.scheme not in ("http", "https") or not host:
        raise DestinationRefused(f"scheme or host refused: {parsed.scheme!r} {host!r}")
    address = _literal(host)
    if address is not None and not address_is_allowed(address):
        raise DestinationRefused(f"address refused: {address}")
    # Names are checked where the connection is opened, against the addresses they resolve to.
    return parsed


def resolve_checked(host: str, port: int) -> list[str]:
    """The host's addresses that may be called, in resolver order; refused when there are none."""
    literal = _literal(host)
    if literal is not None:
        if not address_is_allowed(literal):
            raise DestinationRefused(f"address refused: {literal}")
        return [str(literal)]
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    allowed: list[str] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address_is_allowed(address) and str(address) not in allowed:
            allowed.append(str(address))
    if not allowed:
        raise DestinationRefused(f"every address of {host} is refused")
    return allowed


class _CheckedBackend(httpcore.SyncBackend):
    """Connects only to an address that passed the check: the one resolution is the one used."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = resolve_checked(host, port)
        except OSError as exc:
            raise httpcore.ConnectError(f"could not resolve {host}") from exc
        last_error: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
        assert last_error is not None  # noqa: S101  (resolve_checked never returns an empty list)
        raise last_error


class _BoundedStream(httpx.SyncByteStream):
    """A response body that stops at a byte count and a wall-clock deadline (slow-drip servers)."""

    def __init__(self, inner: httpx.SyncByteStream, *, max_bytes: int, deadline: float) -> None:
        self._inner = inner
        self._max_bytes = max_bytes
        self._deadline = deadline

    def __iter__(self) -> Iterator[bytes]:
        received = 0
        for chunk in self._inner:
            received += len(chunk)
            if received > self._max_bytes:
                raise DestinationRefused(f"response over {self._max_bytes} bytes")
            if time.monotonic() > self._deadline:
                raise DestinationRefused("response took too long")
            yield chunk

    def close(self) -> None:
        self._inner.close()


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with the address check on every connection and bounds on every response."""

    def __init__(self, *, max_bytes: int, total_seconds: float) -> None:
        ssl_context = httpx.create_ssl_context(trust_env=False)
        super().__init__(verify=ssl_context, trust_env=False)  # an environment proxy would call unchecked
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=100,
            max_keepalive_connections=20,
            network_backend=_CheckedBackend(),
        )
        self._max_bytes = max_bytes
        self._total_seconds = total_seconds

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        check_url(request.url)
        deadline = time.monotonic() + self._total_seconds
        response = super().handle_request(request)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self._max_bytes:
            response.close()
            raise DestinationRefused(f"declared {declared} bytes", request=request)
        assert isinstance(response.stream, httpx.SyncByteStream)  # noqa: S101  (a sync transport)
        response.stream = _BoundedStream(response.stream, max_bytes=self._max_bytes, deadline=deadline)
        return response


def guarded_client(
    *,
    timeout: float | None = None,
    max_bytes: int | None = None,
    follow_redirects: bool = False,
) -> httpx.Client:
    """An httpx client for URLs we did not choose; build one per process and reuse it."""
    total = float(timeout if timeout is not None else settings.OUTBOUND_TIMEOUT_SECONDS)
    return httpx.Client(
        transport=GuardedTransport(
            max_bytes=max_bytes if max_bytes is not None else settings.OUTBOUND_MAX_RESPONSE_BYTES,
            total_seconds=total,
        ),
        timeout=httpx.Timeout(min(total, 20.0), connect=min(total, 5.0)),
        follow_redirects=follow_redirects,
        max_redirects=5,
        trust_env=False,
    )
