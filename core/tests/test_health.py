from __future__ import annotations

import pytest

from config.celery import app as celery_app


@pytest.mark.django_db
def test_healthz_answers_without_touching_dependencies(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_is_ok_when_every_dependency_answers(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_readyz_names_a_dead_cache(client, settings, closed_port):
    # given a cache pointed at a port nothing listens on
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5, "IGNORE_EXCEPTIONS": True},
        }
    }

    # when
    response = client.get("/readyz")

    # then
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failed"] == ["cache"]
    assert body["checks"]["cache"].startswith("error:")
    assert body["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_readyz_names_a_dead_broker(client, closed_port):
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = f"redis://127.0.0.1:{closed_port}/0"
    try:
        response = client.get("/readyz")
    finally:
        celery_app.conf.broker_url = previous

    assert response.status_code == 503
    assert response.json()["failed"] == ["broker"]


@pytest.mark.redis
@pytest.mark.django_db
def test_readyz_is_ok_against_a_real_redis(client, settings, redis_url):
    settings.CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": redis_url}}
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = redis_url
    try:
        response = client.get("/readyz")
    finally:
        celery_app.conf.broker_url = previous

    assert response.status_code == 200, response.json()
