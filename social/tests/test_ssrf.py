"""Server-side request forgery through connecting an account: the server never calls into its own network.

A Bluesky `service`, a DID document's PDS and a Mastodon server address are user or platform input;
each hostile address gets the same 400 envelope, and a listener on the address proves nothing was sent.
"""

from __future__ import annotations

import json
import socket

import pytest
import respx
from django.test import override_settings

from core.netguard import GENERIC_MESSAGE
from core.tests.listeners import http_reply, listening
from social.models import SocialAccount

pytestmark = pytest.mark.django_db


def _connect_bluesky(api, service: str):
    code = json.dumps({"identifier": "victim.bsky.social", "password": "app-pass-word-here", "service": service})
    return api.post("/api/social/connect", {"platform": "bluesky", "authCode": code}, format="json")


def _assert_generic_refusal(response) -> dict:
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert error["message"] == str(GENERIC_MESSAGE)
    return error


@pytest.mark.parametrize("host", ["127.0.0.1", "[::ffff:127.0.0.1]", "localhost"])
def test_bluesky_service_on_loopback_is_refused_and_receives_nothing(api, host):
    with listening() as admin:
        response = _connect_bluesky(api, f"http://{host}:{admin.port}")
    _assert_generic_refusal(response)
    assert admin.connections == 0 and admin.received == b""
    assert not SocialAccount.objects.exists()


def test_every_refused_address_gets_the_same_answer(api, closed_port):
    with listening() as open_port:
        answers = [
            _connect_bluesky(api, f"http://127.0.0.1:{open_port.port}"),
            _connect_bluesky(api, f"http://127.0.0.1:{closed_port}"),
            _connect_bluesky(api, "http://[::ffff:127.0.0.1]:80"),
            _connect_bluesky(api, "http://169.254.169.254"),
            _connect_bluesky(api, "http://[fd00::1]:443"),
        ]
    errors = [_assert_generic_refusal(response) for response in answers]
    # Same text, same details, whatever the cause: the answer says nothing about which port is open.
    assert len({(e["message"], json.dumps(e["details"], sort_keys=True)) for e in errors}) == 1
    assert open_port.connections == 0


def test_a_did_document_pointing_inside_is_refused(api):
    session = {
        "did": "did:plc:abc",
        "handle": "victim.bsky.social",
        "accessJwt": "a.b.c",
        "refreshJwt": "d.e.f",
        "didDoc": {"service": [{"id": "#atproto_pds", "serviceEndpoint": "http://169.254.169.254/latest"}]},
    }
    with respx.mock(assert_all_mocked=True) as router:
        router.post("https://bsky.social/xrpc/com.atproto.server.createSession").respond(200, json=session)
        response = _connect_bluesky(api, "")
    _assert_generic_refusal(response)
    assert not SocialAccount.objects.exists()


@override_settings(OUTBOUND_ALLOWED_NETWORKS=["127.0.0.1/32"])
def test_a_self_hosted_pds_on_an_allowed_network_connects(api):
    session = {
        "did": "did:plc:selfhosted",
        "handle": "me.pds.internal",
        "accessJwt": "a.b.c",
        "refreshJwt": "d.e.f",
        "didDoc": {"service": []},
    }
    with listening(reply=http_reply(body=json.dumps(session).encode())) as pds:
        response = _connect_bluesky(api, f"http://127.0.0.1:{pds.port}")
    assert response.status_code == 201, response.content
    assert b"POST /xrpc/com.atproto.server.createSession" in pds.received


@pytest.mark.parametrize("instance", ["127.0.0.1", "169.254.169.254", "[::ffff:127.0.0.1]", "10.0.0.7"])
def test_mastodon_instance_ip_literals_inside_are_refused(api, instance):
    response = api.post(
        "/api/social/connect",
        {"platform": "mastodon", "authCode": "code", "redirectUri": "https://app.test/cb", "instanceUrl": instance},
        format="json",
    )
    _assert_generic_refusal(response)


def test_a_mastodon_name_resolving_inside_is_refused_without_a_request(api, monkeypatch):
    """A public-looking name whose DNS answer is internal: refused where the connection is opened."""
    real_getaddrinfo = socket.getaddrinfo

    def resolver(host, port, *args, **kwargs):
        target = "127.0.0.1" if host == "toot.attacker.example" else host
        return real_getaddrinfo(target, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    with listening() as local:
        response = api.post(
            "/api/social/connect",
            {
                "platform": "mastodon",
                "authCode": "code",
                "redirectUri": "https://app.test/cb",
                "instanceUrl": f"toot.attacker.example:{local.port}",
            },
            format="json",
        )
    _assert_generic_refusal(response)
    assert local.connections == 0


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/", "http://[::1]:8000/media/x.png"])
def test_media_by_url_is_fetched_only_from_allowed_addresses(url):
    from social.platforms.base import ConnectorError, MediaItem, shared_http_client
    from social.platforms.http import REFUSED_CODE, media_bytes

    with pytest.raises(ConnectorError) as refused:
        media_bytes(shared_http_client(), MediaItem(url=url, content_type="image/png", size_bytes=1))
    assert refused.value.platform_code == REFUSED_CODE and refused.value.message == str(GENERIC_MESSAGE)
