"""Production: PostgreSQL, Redis, S3, HTTPS.

Refuses to start without DJANGO_SECRET_KEY (50+ characters), FIELD_ENCRYPTION_KEYS and REDIS_URL, and
with neither Stripe keys nor an explicit SELF_HOSTED (true for a server without billing).
Set DATABASE_URL (PostgreSQL) and DJANGO_ALLOWED_HOSTS too: their defaults are SQLite and localhost.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import FIELD_ENCRYPTION_KEYS, REDIS_URL, SECRET_KEY, STRIPE_CONFIGURED, env

DEBUG = False
if SECRET_KEY.startswith("insecure-") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (50+ random characters) in production.")
if not FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("Set FIELD_ENCRYPTION_KEYS (Fernet keys, newest first) in production.")
if not REDIS_URL:
    raise ImproperlyConfigured("Set REDIS_URL in production.")
if not STRIPE_CONFIGURED and not env.str("SELF_HOSTED", default="").strip():
    raise ImproperlyConfigured(
        "Set the Stripe keys (STRIPE_LIVE_SECRET_KEY with STRIPE_LIVE_MODE=true, or STRIPE_TEST_SECRET_KEY), "
        "or SELF_HOSTED=true to run without billing (every workspace gets every feature)."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Probes and the Prometheus scrape come from inside the cluster over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
# Staff cannot use the admin without a verified two-factor device.
ADMIN_REQUIRE_OTP = env.bool("ADMIN_REQUIRE_OTP", default=True)
