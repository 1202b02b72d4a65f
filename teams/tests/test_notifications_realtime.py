from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async
from celery import Celery
from channels.testing import WebsocketCommunicator
from django.test import Client

from accounts.tests.factories import UserFactory
from config.asgi import application
from config.settings import base
from core.tests.workers import celery_worker
from teams.models import Notification
from teams.services import notification_send

pytestmark = pytest.mark.django_db(transaction=True)


async def _connect_as(user) -> WebsocketCommunicator:
    """Connect through the real ASGI stack with the user's session cookie."""
    client = Client()
    await sync_to_async(client.force_login)(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    communicator = WebsocketCommunicator(
        application, "/ws/notifications/", headers=[(b"cookie", cookie), (b"origin", b"http://testserver")]
    )
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def test_anonymous_websocket_is_refused():
    communicator = WebsocketCommunicator(application, "/ws/notifications/", headers=[(b"origin", b"http://testserver")])

    connected, code = await communicator.connect()

    assert not connected
    assert code == 4401


async def test_a_notification_reaches_only_its_users_open_socket():
    # given two users with open sockets
    ann, bob = await sync_to_async(UserFactory)(), await sync_to_async(UserFactory)()
    ann_socket, bob_socket = await _connect_as(ann), await _connect_as(bob)

    # when ann is notified (the task runs on commit)
    await sync_to_async(notification_send)(user=ann, title="Your post went live", body="LinkedIn")

    # then ann's browser hears it with the unread count, bob's does not
    message = await ann_socket.receive_json_from(timeout=5)
    assert message["type"] == "notification"
    assert message["notification"]["title"] == "Your post went live"
    assert message["unread"] == 1
    assert await bob_socket.receive_nothing(timeout=0.3)
    await ann_socket.disconnect()
    await bob_socket.disconnect()


@pytest.mark.redis
def test_worker_process_delivers_to_the_browser_through_the_redis_layer(settings, redis_url):
    # given the channel layer on Redis, shared by this process and a real worker process
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # as the worker reads it from base.py
            "CONFIG": {"hosts": [{**base.CHANNELS_REDIS_HOST, "address": redis_url}], "prefix": "cg:asgi"},
        }
    }
    user = UserFactory()
    notification = Notification.objects.create(user=user, title="Approval requested", body="Q3 launch post")
    client = Celery("test-client", broker=redis_url, backend=redis_url, set_as_current=False)

    async def scenario():
        socket = await _connect_as(user)
        # when the worker (another process) runs the delivery task
        await sync_to_async(
            lambda: client.send_task("teams.tasks.deliver_notification", args=[str(notification.pk)]).get(timeout=60)
        )()
        message = await socket.receive_json_from(timeout=10)
        await socket.disconnect()
        return message

    with celery_worker(redis_url):
        message = asyncio.run(scenario())

    # then the open socket in this process received it
    assert message["notification"]["id"] == str(notification.pk)
    assert message["notification"]["title"] == "Approval requested"


@pytest.mark.redis
def test_an_idle_socket_still_receives_after_the_layers_blocking_read_times_out(settings, redis_url):
    # given a socket idle for longer than channels-redis's 5 s blocking receive
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{**base.CHANNELS_REDIS_HOST, "address": redis_url}], "prefix": "cg:idle"},
        }
    }
    user = UserFactory()

    async def scenario():
        socket = await _connect_as(user)
        await asyncio.sleep(7)
        await sync_to_async(notification_send)(user=user, title="Still listening")
        message = await socket.receive_json_from(timeout=10)
        await socket.disconnect()
        return message

    settings.CELERY_TASK_ALWAYS_EAGER = True
    message = asyncio.run(scenario())

    assert message["notification"]["title"] == "Still listening"
