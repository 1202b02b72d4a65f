"""The outbound-request guard against real sockets: what it refuses never receives a byte."""

from __future__ import annotations

import ipaddress
import socket

import httpx
import pytest
from django.test import override_settings

from core.netguard import GENERIC_MESSAGE, DestinationRefused, address_is_allowed, guarded_client
from core.tests.listeners import http_reply, listening

REFUSED = [
    "127.0.0.1",
    "127.8.9.10",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",  # noqa: S104
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
    "::ffff:10.0.0.1",
    "2002:7f00:1::",  # 6to4 wrapping 127.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 wrapping 169.254.169.254
]
ALLOWED = ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e"]


@pytest.mark.parametrize("address", REFUSED)
def test_internal_addresses_are_refused(address):
    assert not address_is_allowed(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ALLOWED)
def test_public_addresses_are_allowed(address):
    assert address_is_allowed(ipaddress.ip_address(address))


@override_settings(OUTBOUND_ALLOWED_NETWORKS=["10.20.0.0/16"])
def test_the_allow_list_opens_only_its_own_networks():
    assert address_is_allowed(ipaddress.ip_address("10.20.3.4"))
    assert address_is_allowed(ipaddress.ip_address("::ffff:10.20.3.4"))
    assert not address_is_allowed(ipaddress.ip_address("10.21.0.1"))


@pytest.mark.parametrize("url_template", ["http://127.0.0.1:{port}/", "http://[::ffff:127.0.0.1]:{port}/"])
def test_a_loopback_literal_is_refused_before_connecting(url_template):
    with listening() as target, guarded_client() as client:
        with pytest.raises(DestinationRefused) as refused:
            client.post(url_template.format(port=target.port), json={"password": "secret"})
    assert str(refused.value) == str(GENERIC_MESSAGE)
    assert target.connections == 0 and target.received == b""


def test_a_name_that_resolves_to_loopback_is_refused_at_connect():
    with listening() as target, guarded_client() as client:
        with pytest.raises(DestinationRefused) as refused:
            client.get(f"http://localhost:{target.port}/")
    assert str(refused.value) == str(GENERIC_MESSAGE)
    assert target.connections == 0


@override_settings(OUTBOUND_ALLOWED_NETWORKS=["127.0.0.1/32"])
def test_an_allowed_network_is_reached():
    with listening(reply=http_reply(body=b'{"ok": true}')) as target, guarded_client() as client:
        response = client.get(f"http://127.0.0.1:{target.port}/ping")
    assert response.json() == {"ok": True}
    assert b"GET /ping" in target.received


@override_settings(OUTBOUND_ALLOWED_NETWORKS=["127.0.0.1/32"])
def test_a_redirect_to_a_refused_address_is_not_followed():
    with listening("127.0.0.2") as inner:
        redirect = http_reply("302 Found", b"", {"Location": f"http://127.0.0.2:{inner.port}/admin/"})
        with listening(reply=redirect) as outer, guarded_client(follow_redirects=True) as client:
            with pytest.raises(DestinationRefused):
                client.get(f"http://127.0.0.1:{outer.port}/")
        assert outer.connections == 1
    assert inner.connections == 0


@override_settings(OUTBOUND_ALLOWED_NETWORKS=["127.0.0.1/32"])
def test_the_checked_address_is_the_one_connected_to(monkeypatch):
    """DNS rebinding: the name answers an allowed address first and an internal one afterwards."""
    real_getaddrinfo = socket.getaddrinfo
    answers = iter(["127.0.0.1"] + ["127.0.0.2"] * 10)

    def rebinding_resolver(host, port, *args, **kwargs):
        if host == "rebind.example":
            return real_getaddrinfo(next(answers), port, *args, **kwargs)
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_resolver)
    with listening("127.0.0.2") as internal:
        ok = http_reply(body=b"{}")
        with listening(reply=ok) as checked, guarded_client() as client:
            client.get(f"http://rebind.example:{checked.port}/")
            assert checked.connections == 1
        assert internal.connections == 0


@override_settings(OUTBOUND_ALLOWED_NETWORKS=["127.0.0.1/32"])
@pytest.mark.parametrize("declare_length", [True, False])
def test_a_response_over_the_size_bound_is_refused(declare_length):
    body = b"x" * 50_000
    head = b"HTTP/1.1 200 OK\r\nConnection: close\r\n"
    head += f"Content-Length: {len(body)}\r\n".encode() if declare_length else b""
    with listening(reply=head + b"\r\n" + body) as target, guarded_client(max_bytes=10_000) as client:
        with pytest.raises(DestinationRefused) as refused:
            client.get(f"http://127.0.0.1:{target.port}/big")
    assert str(refused.value) == str(GENERIC_MESSAGE)


def test_only_http_schemes_are_fetched():
    with guarded_client() as client, pytest.raises((DestinationRefused, httpx.UnsupportedProtocol)):
        client.get("file:///etc/passwd")
