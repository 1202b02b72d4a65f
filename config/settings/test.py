"""Test settings: fast hashing, in-process cache/channel layer/broker, eager tasks.

Tests that exercise Redis, the broker or the channel layer across processes start their own
worker subprocesses with TEST_SUBPROCESS=1, which keeps base.py's Redis-backed services.
"""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, LOGGING, STORAGES, env

DEBUG = False
# Tests exercise the plans against a fake Stripe; the ones about self-hosting switch it on themselves.
SELF_HOSTED = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
FIELD_ENCRYPTION_KEYS = ["8Xp1b9fJd2vQeYx8m0Kk3w7R5t2uV4yZ6a8c0e2g4i8="]
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
MEDIA_ROOT = BASE_DIR / "var" / "test-media" / _WORKER
AXES_ENABLED = False
LOGGING["root"]["level"] = "WARNING"  # type: ignore[index]
CELERY_TASK_EAGER_PROPAGATES = True
# Records of cache hits are written at once, so a test reads them back; tests of batching raise it.
WRITE_BUFFER_MAX_ROWS = 1

if not env.bool("TEST_SUBPROCESS", default=False):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"

if DATABASES["default"]["ENGINE"].endswith(".sqlite3"):  # ours or django-prometheus's wrapper
    # A file (not :memory:) so worker subprocesses started by tests can open the test database;
    # the pid keeps concurrent test runs on one checkout apart. var/ may not exist yet on a fresh
    # clone (`make run` makes it): the test run must not depend on that.
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-db-{_WORKER}-{os.getpid()}.sqlite3")}
else:
    # A pool per xdist worker would hold connections the test database teardown needs back.
    DATABASES["default"]["OPTIONS"] = {}
    # Closed after each request or task, unless a test's worker process asks otherwise.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
