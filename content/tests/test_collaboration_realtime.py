"""Submitting a post pushes an approval request to the reviewer's open browser (Channels)."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application
from content.services import post_create
from content.workflow import post_approve, post_submit
from teams.tests.factories import crew_create

pytestmark = pytest.mark.django_db(transaction=True)


async def _connect_as(user) -> WebsocketCommunicator:
    client = Client()
    await sync_to_async(client.force_login)(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    communicator = WebsocketCommunicator(
        application, "/ws/notifications/", headers=[(b"cookie", cookie), (b"origin", b"http://testserver")]
    )
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def test_the_reviewer_hears_the_approval_request_and_the_author_the_approval_live(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    crew = await sync_to_async(crew_create)()
    reviewer_socket = await _connect_as(crew.users["reviewer"])
    viewer_socket = await _connect_as(crew.users["viewer"])
    editor_socket = await _connect_as(crew.users["editor"])

    def write_and_submit():
        post = post_create(ctx=crew.ctx("editor"), title="Q3 launch", content="Big news", platform="linkedin")
        return post_submit(ctx=crew.ctx("editor"), post=post)

    post = await sync_to_async(write_and_submit)()

    message = await reviewer_socket.receive_json_from(timeout=5)
    assert message["notification"]["event"] == "approval_requested"
    assert message["notification"]["title"] == "Approval requested: Q3 launch"
    assert message["notification"]["url"] == f"/posts/{post.pk}/"
    assert await viewer_socket.receive_nothing(timeout=0.3)

    await sync_to_async(lambda: post_approve(ctx=crew.ctx("reviewer"), post=post))()
    approved = await editor_socket.receive_json_from(timeout=5)
    assert approved["notification"]["event"] == "approval_given"
    for socket in (reviewer_socket, viewer_socket, editor_socket):
        await socket.disconnect()
