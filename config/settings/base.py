"""Settings shared by every environment.

Every knob is an environment variable with a safe default; a secret may also be given as
`<NAME>_FILE` pointing at a file that holds it (Docker and Kubernetes secrets).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def env_secret(name: str, default: str = "") -> str:
    """Read NAME, or the contents of the file named by NAME_FILE."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return env.str(name, default=default)


def env_secret_list(name: str) -> list[str]:
    """A comma-separated list from NAME, or from the file named by NAME_FILE (commas or one per line)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return [item.strip() for item in Path(path).read_text().replace("\n", ",").split(",") if item.strip()]
    return env.list(name, default=[])


SECRET_KEY = env_secret("DJANGO_SECRET_KEY", "insecure-dev-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# INSTALLED_APPS and MIDDLEWARE are assembled here, once: the blocks below configure the apps and
# middleware named here but never add to or reorder these lists.
# Social login providers are switched on by their env vars (their settings are in the accounts block).
_SOCIAL_LOGIN_APPS = [
    app
    for variable, app in [
        ("GOOGLE_OAUTH_CLIENT_ID", "allauth.socialaccount.providers.google"),
        ("GITHUB_OAUTH_CLIENT_ID", "allauth.socialaccount.providers.github"),
        # LinkedIn's "Sign In with LinkedIn using OpenID Connect" product.
        ("LINKEDIN_OAUTH_CLIENT_ID", "allauth.socialaccount.providers.openid_connect"),
    ]
    if env.str(variable, default="")
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    # third party
    "channels",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "corsheaders",
    "django_htmx",
    "django_celery_beat",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    *_SOCIAL_LOGIN_APPS,
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    # ours, lower to higher: imports point one way
    "core",
    "accounts",
    "teams",
    "billing",
    "moderation",
    "content",
    "social",
    "analytics",
    "scheduling",
    "integrations",
    "agents",
    "djstripe",  # after our apps, as it always was: billing's migrations own its schema
    "django_prometheus",
    "monitoring",  # top of the order: it may read every app
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",  # first and last: times everything
    "core.middleware.RequestIdMiddleware",
    "monitoring.request_stats.RequestStatsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # A signed-in user's saved language wins over the cookie and Accept-Language (after OTP: needs the user).
    "accounts.i18n.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Session checks need the user, the verified OTP device and the message store.
    "accounts.middleware.SessionSecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.ApiErrorPageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "axes.middleware.AxesMiddleware",
    "accounts.throttles.RateLimitHeadersMiddleware",
    "billing.middleware.ApiCallMeteringMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.product",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite is the embedded default; PostgreSQL (psycopg 3) in production and CI.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and IMMEDIATE transactions let the web, worker and beat processes share one file
    # without "database is locked" errors on concurrent writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif env.bool("DATABASE_POOL", default=True):
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool owns connection lifetime
    # Health check a connection before lending it, so a restarted server is survived: Django hands
    # the pool `check=ConnectionPool.check_connection` itself when this is on (a "check" key in the
    # pool options would be passed twice and crash the first query).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["OPTIONS"] = {
        "pool": {
            "min_size": env.int("DATABASE_POOL_MIN", default=2),
            "max_size": env.int("DATABASE_POOL_MAX", default=10),
            "timeout": env.int("DATABASE_POOL_TIMEOUT", default=10),
        },
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Redis: cache, sessions, broker, channel layer ---------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")

# channels-redis blocks on BZPOPMIN for 5 s; redis-py 8 also defaults to a 5 s socket timeout, which
# would cut every idle receive and kill the websocket's consumer. Give reads room above the block.
CHANNELS_REDIS_HOST = {"address": REDIS_URL, "socket_timeout": 30, "socket_connect_timeout": 5}

if REDIS_URL:
    CACHES = {
        "default": {
            # django-redis with a per-process fallback while Redis is unreachable (core/cache.py).
            "BACKEND": "core.cache.FallbackRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="cg"),
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 2,
                "SOCKET_TIMEOUT": 2,
                # A Redis outage degrades to cache misses instead of 500s.
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [CHANNELS_REDIS_HOST], "prefix": env.str("CHANNELS_PREFIX", default="cg:asgi")},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# cached_db: a Redis outage logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 24 * 14)
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Celery -----------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or "cache+memory://")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup closes every database connection before and after each task unless this is set:
# a worker then opened a new PostgreSQL connection (a new server process) for every task, whatever
# CONN_MAX_AGE said. Connections are kept or closed by core.celery_signals as a web request's are;
# Celery itself recycles them only after this many tasks.
CELERY_DB_REUSE_MAX = 100_000
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The beat schedule lives here so it is reviewed as code; DatabaseScheduler syncs it at start.
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "beat-heartbeat": {"task": "core.tasks.record_beat_heartbeat", "schedule": timedelta(seconds=30)},
}

# --- Auth -------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "core:landing"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

# --- REST API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["core.api.renderers.CamelCaseJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.CamelCaseJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.EnvelopePageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.envelope_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=14)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "AUTH_HEADER_TYPES": ("Bearer",),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ContentGenAI API",
    "DESCRIPTION": "Write, schedule, publish and measure social posts. JSON keys are camelCase; "
    "every error uses the envelope {success:false, error:{code,message,details,timestamp,requestId,"
    "retryable,retryAfter}}.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from our own static files: the CSP allows no CDN and no inline script.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set shared by several serializers (otherwise the generator invents hashed
    # names and warns, which `check --deploy` reports).
    "ENUM_NAME_OVERRIDES": {
        "PlatformEnum": "social.models.Platform",
        "PlatformOrAliasEnum": "content.serializers.platform_choices",
        "PostStatusEnum": "content.models.PostStatus",
        "DecisionEnum": "moderation.models.Decision",
        "BrandAssetKindEnum": "content.models.BrandAsset.Kind",
        "InvitableRoleEnum": "teams.membership_services.INVITABLE_ROLES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.camelize_schema",
    ],
}
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_HEADERS = (
    "accept",
    "authorization",
    "content-type",
    "x-csrftoken",
    "x-request-id",
    "x-team-id",
)
CORS_EXPOSE_HEADERS = ["X-Request-ID", "Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"]

# --- Security headers -------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", "https:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'", "ws:", "wss:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the meta tag, not the cookie

# --- I18N / time ------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# Our additions to Django's locale formats (Arabic digit grouping): config/formats/<lang>/formats.py.
FORMAT_MODULE_PATH = ["config.formats"]

# --- Files ------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "access_key": env_secret("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env_secret("AWS_SECRET_ACCESS_KEY") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "default_acl": None,
            "querystring_auth": True,
            # The address browsers use for files (compose: the host's view of the S3 service).
            "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None,
            "url_protocol": env.str("AWS_S3_URL_PROTOCOL", default="https:"),
            "file_overwrite": False,
        },
    }

# --- Email ------------------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ContentGenAI <no-reply@contentgenai.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [tuple(a.split(":", 1)) for a in env.list("DJANGO_ADMINS", default=[])]

# --- Secrets at rest --------------------------------------------------------------------------
# Fernet keys, newest first; older keys still decrypt so keys can rotate.
FIELD_ENCRYPTION_KEYS = env_secret_list("FIELD_ENCRYPTION_KEYS")

# --- Outbound requests to URLs users or platforms gave us (core.netguard; docs/security.md) ------
# Networks a self-hoster's own Mastodon or PDS lives in (CIDRs); everything non-public is refused otherwise.
OUTBOUND_ALLOWED_NETWORKS = env.list("OUTBOUND_ALLOWED_NETWORKS", default=[])
OUTBOUND_TIMEOUT_SECONDS = env.float("OUTBOUND_TIMEOUT_SECONDS", default=30.0)
OUTBOUND_MAX_RESPONSE_BYTES = env.int("OUTBOUND_MAX_RESPONSE_BYTES", default=64 * 1024 * 1024)

# --- Bounded work per upload (core.uploads; docs/security.md) ------------------------------------
# Pixels an uploaded image may declare before it is decoded (Pillow's own guard starts at 89.5 million).
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=40_000_000)
ARCHIVE_MAX_MEMBERS = env.int("ARCHIVE_MAX_MEMBERS", default=64)
ARCHIVE_MAX_INFLATED_BYTES = env.int("ARCHIVE_MAX_INFLATED_BYTES", default=10 * 1024 * 1024)

# --- Logging: JSON lines, each carrying the request id ------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "core.logging.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "uvicorn.access": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # Celery's own line per task received, succeeded and sent by beat: a dozen periodic ticks
        # make that a line every few seconds. Our tasks log what they did; failures still show.
        **{
            name: {"level": LOG_LEVEL if env.bool("LOG_TASK_EVENTS", default=False) else "WARNING"}
            for name in ("celery.app.trace", "celery.worker.strategy", "celery.beat")
        },
    },
}

# --- Accounts and security (browser side) -------------------------------------------------------
# Intrusion detection: this many failed sign-ins from one IP or on one account within the window
# emails ADMINS and notifies platform admins (once per IP/account per window).
INTRUSION_FAILED_LOGIN_THRESHOLD = env.int("INTRUSION_FAILED_LOGIN_THRESHOLD", default=20)
INTRUSION_WINDOW_SECONDS = env.int("INTRUSION_WINDOW_SECONDS", default=15 * 60)
ACCOUNT_DELETION_GRACE_DAYS = env.int("ACCOUNT_DELETION_GRACE_DAYS", default=14)
DATA_EXPORT_LINK_MAX_AGE = env.int("DATA_EXPORT_LINK_MAX_AGE", default=24 * 60 * 60)
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapter.SocialAccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = env.str("ACCOUNT_EMAIL_SUBJECT_PREFIX", default="[ContentGenAI] ")
ACCOUNT_CHANGE_EMAIL = True  # one address per user: "change email" replaces it once the new one is verified
ACCOUNT_EMAIL_NOTIFICATIONS = True  # password/email changed notices
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # never merge a social login into an account by email alone
SOCIALACCOUNT_STORE_TOKENS = False
# Social login providers are switched on by their env vars; an unset provider has no app and no button.
SOCIALACCOUNT_PROVIDERS: dict[str, dict[str, Any]] = {}
if env.str("GOOGLE_OAUTH_CLIENT_ID", default=""):
    SOCIALACCOUNT_PROVIDERS["google"] = {
        "APPS": [{"client_id": env.str("GOOGLE_OAUTH_CLIENT_ID"), "secret": env_secret("GOOGLE_OAUTH_CLIENT_SECRET")}],
        "SCOPE": ["profile", "email"],
    }
if env.str("GITHUB_OAUTH_CLIENT_ID", default=""):
    SOCIALACCOUNT_PROVIDERS["github"] = {
        "APPS": [{"client_id": env.str("GITHUB_OAUTH_CLIENT_ID"), "secret": env_secret("GITHUB_OAUTH_CLIENT_SECRET")}],
        "SCOPE": ["user:email"],
    }
if env.str("LINKEDIN_OAUTH_CLIENT_ID", default=""):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": "linkedin",
                "name": "LinkedIn",
                "client_id": env.str("LINKEDIN_OAUTH_CLIENT_ID"),
                "secret": env_secret("LINKEDIN_OAUTH_CLIENT_SECRET"),
                "settings": {"server_url": "https://www.linkedin.com/oauth", "token_auth_method": "client_secret_post"},
            }
        ]
    }
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="ContentGenAI")
# The TOTP admin shows neither the seed nor its QR code (either would let staff clone the device).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
ADMIN_REQUIRE_OTP = env.bool("ADMIN_REQUIRE_OTP", default=False)
# allauth authenticates with `email=`, so axes must be told where the login name is.
AXES_USERNAME_CALLABLE = "accounts.adapter.axes_username"
CELERY_BEAT_SCHEDULE.update(
    {
        "accounts-delete-due": {"task": "accounts.tasks.delete_due_accounts", "schedule": timedelta(hours=1)},
        "accounts-purge-exports": {"task": "accounts.tasks.purge_expired_exports", "schedule": timedelta(hours=6)},
    }
)

# --- Accounts and security (API side): API keys, JWT families, rate limits -----------------------
# JWT first: its `WWW-Authenticate: Bearer` makes unauthenticated API calls a 401, not a 403.
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = [
    "accounts.authentication.FamilyJWTAuthentication",
    "accounts.authentication.ApiKeyAuthentication",
    "rest_framework.authentication.SessionAuthentication",
]
REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] = [
    "rest_framework.permissions.IsAuthenticated",
    "accounts.permissions.ApiKeyScopePermission",
]
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = ["billing.throttles.PlanTierRateThrottle"]
# How many reverse proxies append to X-Forwarded-For; 0 trusts only REMOTE_ADDR, so clients cannot
# dodge the per-IP limits with a forged header. Set to 1 behind one load balancer.
REST_FRAMEWORK["NUM_PROXIES"] = env.int("API_NUM_PROXIES", default=0)
# Requests per window ("N/second|minute|hour|day"), per user by their current team's tier; ANON per IP.
API_RATE_LIMITS = {
    "ANON": env.str("API_RATE_LIMIT_ANON", default="100/hour"),
    "FREE": env.str("API_RATE_LIMIT_FREE", default="1000/hour"),
    "PRO": env.str("API_RATE_LIMIT_PRO", default="10000/hour"),
    "ENTERPRISE": env.str("API_RATE_LIMIT_ENTERPRISE", default="100000/hour"),
}
# Login and sign-up through the API, per client IP (axes also locks an account after failures).
API_RATE_LIMIT_AUTH = env.str("API_RATE_LIMIT_AUTH", default="20/minute")
API_RATE_LIMIT_REFRESH = env.str("API_RATE_LIMIT_REFRESH", default="120/minute")
API_KEYS_MAX_PER_USER = env.int("API_KEYS_MAX_PER_USER", default=25)


# --- Social accounts and publishing --------------------------------------------------------------
def _social_platform(name: str, *, api_base: str, auth_base: str = "", **extra: Any) -> dict[str, Any]:
    prefix = f"SOCIAL_{name.upper()}"
    return {
        "client_id": env.str(f"{prefix}_CLIENT_ID", default=""),
        "client_secret": env_secret(f"{prefix}_CLIENT_SECRET"),
        "api_base": env.str(f"{prefix}_API_BASE", default=api_base),
        "auth_base": env.str(f"{prefix}_AUTH_BASE", default=auth_base),
        **extra,
    }


SOCIAL_PLATFORMS: dict[str, dict[str, Any]] = {
    "twitter": _social_platform(
        "twitter",
        api_base="https://api.x.com",
        auth_base="https://x.com",
        # X bills every created post (pay-per-use); the charge is shown with the posting budget.
        post_charge_usd=env.str("SOCIAL_TWITTER_POST_CHARGE_USD", default="0.015"),
        url_post_charge_usd=env.str("SOCIAL_TWITTER_URL_POST_CHARGE_USD", default="0.20"),
    ),
    "linkedin": _social_platform(
        "linkedin",
        api_base="https://api.linkedin.com",
        auth_base="https://www.linkedin.com",
        api_version=env.str("SOCIAL_LINKEDIN_API_VERSION", default="202605"),
        scopes=env.str("SOCIAL_LINKEDIN_SCOPES", default=""),
    ),
    # Instagram API with Instagram Login (the connector's flow), not Facebook Login.
    "instagram": _social_platform(
        "instagram",
        api_base="https://graph.instagram.com",
        auth_base="https://api.instagram.com",
        graph_version=env.str("SOCIAL_META_GRAPH_VERSION", default="v25.0"),
    ),
    "facebook": _social_platform(
        "facebook",
        api_base="https://graph.facebook.com",
        auth_base="https://www.facebook.com",
        graph_version=env.str("SOCIAL_META_GRAPH_VERSION", default="v25.0"),
        scopes=env.str("SOCIAL_FACEBOOK_SCOPES", default=""),
    ),
    "tiktok": _social_platform(
        "tiktok",
        api_base="https://open.tiktokapis.com",
        auth_base="https://www.tiktok.com",
        privacy_level=env.str("SOCIAL_TIKTOK_PRIVACY_LEVEL", default=""),
        pull_from_url=env.bool("SOCIAL_TIKTOK_PULL_FROM_URL", default=False),
    ),
    "mastodon": _social_platform("mastodon", api_base=""),
    "bluesky": _social_platform("bluesky", api_base="https://bsky.social"),
    "sandbox": {"client_id": "sandbox", "client_secret": "", "api_base": "", "auth_base": ""},
}
SOCIAL_SANDBOX_ENABLED = env.bool("SOCIAL_SANDBOX_ENABLED", default=True)
SOCIAL_SANDBOX_TOKEN_SECONDS = env.int("SOCIAL_SANDBOX_TOKEN_SECONDS", default=7200)
SOCIAL_TOKEN_REFRESH_MARGIN_SECONDS = env.int("SOCIAL_TOKEN_REFRESH_MARGIN_SECONDS", default=30 * 60)
# A worker holds a delivery this long and renews it while it works: a dead worker's claims are free again
# within this time (social.services.leases).
SOCIAL_PUBLISH_LEASE_SECONDS = env.int("SOCIAL_PUBLISH_LEASE_SECONDS", default=30)
SOCIAL_POSTING_BUDGETS: dict[str, list[dict[str, Any]]] = env.json("SOCIAL_POSTING_BUDGETS", default={})
SOCIAL_METRICS_INTERVAL_SECONDS = env.int("SOCIAL_METRICS_INTERVAL_SECONDS", default=3600)
SOCIAL_METRICS_WINDOW_DAYS = env.int("SOCIAL_METRICS_WINDOW_DAYS", default=30)
SOCIAL_MEDIA_MAX_UPLOAD_BYTES = env.int("SOCIAL_MEDIA_MAX_UPLOAD_BYTES", default=512 * 1024 * 1024)
SOCIAL_BULK_MAX_DELIVERIES = env.int("SOCIAL_BULK_MAX_DELIVERIES", default=50)
CELERY_BEAT_SCHEDULE.update(
    {
        "social-refresh-expiring-tokens": {
            "task": "social.tasks.refresh_expiring_tokens",
            "schedule": timedelta(minutes=10),
        },
        "social-retry-due-publish-results": {
            "task": "social.tasks.retry_due_publish_results",
            # Often enough that a retry due after SCHEDULE_RETRY_DELAYS' first minute goes out on time.
            "schedule": timedelta(seconds=15),
        },
        "social-fetch-due-metrics": {"task": "analytics.tasks.fetch_due_metrics", "schedule": timedelta(minutes=15)},
    }
)
# --- AI content generation ------------------------------------------------------------------------
# Providers are tried in this order; one without a key (or base URL) is skipped. `offline` needs nothing.
AI_PROVIDER_PRIORITY = env.list("AI_PROVIDER_PRIORITY", default=["openai", "anthropic", "offline"])
OPENAI_API_KEY = env_secret("OPENAI_API_KEY")
OPENAI_BASE_URL = env.str("OPENAI_BASE_URL", default="")
OPENAI_MODEL = env.str("OPENAI_MODEL", default="gpt-4o-mini")
ANTHROPIC_API_KEY = env_secret("ANTHROPIC_API_KEY")
ANTHROPIC_BASE_URL = env.str("ANTHROPIC_BASE_URL", default="")
ANTHROPIC_MODEL = env.str("ANTHROPIC_MODEL", default="claude-haiku-4-5")
# Any server speaking the OpenAI chat API: Gemini's OpenAI endpoint, Ollama, vLLM, LM Studio.
AI_COMPAT_BASE_URL = env.str("AI_COMPAT_BASE_URL", default="")
AI_COMPAT_API_KEY = env_secret("AI_COMPAT_API_KEY")
AI_COMPAT_MODEL = env.str("AI_COMPAT_MODEL", default="gemini-2.5-flash")
AI_COMPAT_LABEL = env.str("AI_COMPAT_LABEL", default="OpenAI-compatible")
AI_MAX_TOKENS = env.int("AI_MAX_TOKENS", default=800)
AI_TEMPERATURE = env.float("AI_TEMPERATURE", default=0.7)
AI_REQUEST_TIMEOUT = env.float("AI_REQUEST_TIMEOUT", default=30.0)
# Retries per provider on 429/5xx/timeouts: exponential backoff with full jitter, Retry-After honoured
# but never waiting longer than AI_RETRY_MAX_DELAY (a web request is waiting on it).
AI_RETRY_ATTEMPTS = env.int("AI_RETRY_ATTEMPTS", default=3)
AI_RETRY_BASE_DELAY = env.float("AI_RETRY_BASE_DELAY", default=0.5)
AI_RETRY_MAX_DELAY = env.float("AI_RETRY_MAX_DELAY", default=8.0)
AI_CIRCUIT_FAILURE_THRESHOLD = env.int("AI_CIRCUIT_FAILURE_THRESHOLD", default=5)
AI_CIRCUIT_RESET_SECONDS = env.int("AI_CIRCUIT_RESET_SECONDS", default=60)
AI_CACHE_TTL = env.int("AI_CACHE_TTL", default=60 * 60)
# Records of cache hits and reused moderation decisions are written in batches (core.write_buffer).
WRITE_BUFFER_MAX_ROWS = env.int("WRITE_BUFFER_MAX_ROWS", default=100)
WRITE_BUFFER_MAX_SECONDS = env.float("WRITE_BUFFER_MAX_SECONDS", default=2.0)
AI_MAX_VARIANTS = env.int("AI_MAX_VARIANTS", default=5)
# USD per million tokens (input, output); AI_MODEL_PRICES (JSON) adds or overrides entries.
AI_MODEL_PRICES: dict[str, list[float]] = {
    "gpt-4o-mini": [0.15, 0.60],
    "gpt-4o": [2.50, 10.00],
    "gpt-4.1-mini": [0.40, 1.60],
    "claude-haiku-4-5": [1.00, 5.00],
    "claude-sonnet-4-5": [3.00, 15.00],
    "gemini-2.5-flash": [0.30, 2.50],
    "offline": [0.0, 0.0],
}
AI_MODEL_PRICES.update(env.json("AI_MODEL_PRICES", default={}))
# The engagement score shown with generated drafts: the team's trained model when it beats the average
# on held-out posts, the text heuristics otherwise (analytics.predictions.ai_engagement_prediction).
# Read by analytics, which registers it with content.engagement (content sits below analytics).
AI_ENGAGEMENT_PREDICTOR = env.str("AI_ENGAGEMENT_PREDICTOR", default="analytics.predictions.ai_engagement_prediction")
# --- Analytics ----------------------------------------------------------------------------------
from celery.schedules import crontab  # noqa: E402

# Seconds a dashboard stays cached; new metrics for a team drop its entries at once.
ANALYTICS_CACHE_SECONDS = env.int("ANALYTICS_CACHE_SECONDS", default=30 * 60)
# Snapshots a dashboard request folds into the rollups itself when the beat sweep lags (0 = never).
ANALYTICS_READ_CATCH_UP_ROWS = env.int("ANALYTICS_READ_CATCH_UP_ROWS", default=5000)
# How long a signed export download link works, in seconds.
ANALYTICS_EXPORT_URL_MAX_AGE = env.int("ANALYTICS_EXPORT_URL_MAX_AGE", default=24 * 3600)
# Folders searched for DejaVu Sans, the PDF report's font (it has the Arabic glyphs Helvetica lacks):
# Debian's fonts-dejavu-core, then Fedora's and macOS Homebrew's places.
REPORT_FONT_DIRS = env.list(
    "REPORT_FONT_DIRS",
    default=["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu-sans-fonts", "/opt/homebrew/share/fonts"],
)
# Published posts with metrics a team needs before its own engagement model is trained.
ANALYTICS_MODEL_MIN_POSTS = env.int("ANALYTICS_MODEL_MIN_POSTS", default=30)
# Variants of an A/B test count as comparable when they went out within this many hours of the week.
ANALYTICS_AB_SLOT_TOLERANCE_HOURS = env.int("ANALYTICS_AB_SLOT_TOLERANCE_HOURS", default=1)
# Absolute site address used in report emails.
ANALYTICS_SITE_URL = env.str("ANALYTICS_SITE_URL", default="http://localhost:8000")
CELERY_BEAT_SCHEDULE.update(
    {
        "analytics-fold-snapshots": {
            "task": "analytics.tasks.fold_metric_snapshots",
            "schedule": timedelta(seconds=env.int("ANALYTICS_FOLD_INTERVAL_SECONDS", default=60)),
        },
        "analytics-rebuild-rollups": {
            "task": "analytics.tasks.rebuild_metric_rollups",
            "schedule": crontab(hour=3, minute=15),
        },
        "analytics-train-models": {
            "task": "analytics.tasks.train_engagement_models",
            "schedule": crontab(hour=2, minute=30),
        },
        "analytics-weekly-reports": {
            "task": "analytics.tasks.send_weekly_reports",
            "schedule": crontab(day_of_week="mon", hour=7, minute=0),
        },
    }
)
# --- Moderation -------------------------------------------------------------------------------
# AI moderation (OpenAI's moderation endpoint) runs when a key is set; local checks always run.
MODERATION_AI_ENABLED = env.bool("MODERATION_AI_ENABLED", default=True)
MODERATION_OPENAI_API_KEY = env_secret("MODERATION_OPENAI_API_KEY") or env_secret("OPENAI_API_KEY")
MODERATION_OPENAI_BASE_URL = env.str("MODERATION_OPENAI_BASE_URL", default="") or env.str("OPENAI_BASE_URL", default="")
MODERATION_OPENAI_MODEL = env.str("MODERATION_OPENAI_MODEL", default="omni-moderation-latest")
MODERATION_AI_TIMEOUT = env.float("MODERATION_AI_TIMEOUT", default=5.0)
MODERATION_AI_CACHE_SECONDS = env.int("MODERATION_AI_CACHE_SECONDS", default=3600)
# A category score at or above FLAG needs a human; at or above BLOCK (or a flagged severe category) blocks.
MODERATION_AI_FLAG_THRESHOLD = env.float("MODERATION_AI_FLAG_THRESHOLD", default=0.5)
MODERATION_AI_BLOCK_THRESHOLD = env.float("MODERATION_AI_BLOCK_THRESHOLD", default=0.85)
MODERATION_AI_BLOCK_CATEGORIES = env.list(
    "MODERATION_AI_BLOCK_CATEGORIES",
    default=["sexual/minors", "self-harm/instructions", "self-harm/intent", "hate/threatening", "violence/graphic"],
)
# Near-duplicates: at most this many of 64 SimHash bits apart counts as a copy (0-7; banding finds up to 7).
MODERATION_DUPLICATE_MAX_DISTANCE = env.int("MODERATION_DUPLICATE_MAX_DISTANCE", default=6)
MODERATION_DUPLICATE_MIN_WORDS = env.int("MODERATION_DUPLICATE_MIN_WORDS", default=8)
# A decision is reused for the same team, text and options while nothing it depends on changed
# (moderation/memo.py); 0 turns the memo off.
MODERATION_MEMO_SECONDS = env.int("MODERATION_MEMO_SECONDS", default=3600)
MODERATION_DEFAULT_MIN_AUDIENCE_AGE = env.int("MODERATION_DEFAULT_MIN_AUDIENCE_AGE", default=18)
MODERATION_REGEX_TIMEOUT = env.float("MODERATION_REGEX_TIMEOUT", default=0.05)
# A case waiting longer than this is shown as high priority in the review queue.
MODERATION_CASE_URGENT_HOURS = env.int("MODERATION_CASE_URGENT_HOURS", default=4)
MODERATION_DATA_DIR = env.str("MODERATION_DATA_DIR", default=str(BASE_DIR / "moderation" / "data"))

# --- Scheduling -------------------------------------------------------------------------------
SCHEDULING_DISPATCH_SECONDS = env.float("SCHEDULING_DISPATCH_SECONDS", default=5.0)
SCHEDULING_DISPATCH_BATCH = env.int("SCHEDULING_DISPATCH_BATCH", default=500)
# Claimed schedules one worker task delivers in a row (each still with its own claim and lease).
SCHEDULING_DELIVERY_BATCH = env.int("SCHEDULING_DELIVERY_BATCH", default=50)
SCHEDULING_REMINDER_MINUTES = env.int("SCHEDULING_REMINDER_MINUTES", default=15)
SCHEDULING_RECURRENCE_HORIZON_DAYS = env.int("SCHEDULING_RECURRENCE_HORIZON_DAYS", default=14)
# Seconds to wait before each retry of a failed delivery (scheduled or published now): one retry per
# entry, then FAILED with a notification and "Retry now". Retry-After from the platform is honoured.
SCHEDULING_RETRY_DELAYS: list[int] = env.list("SCHEDULE_RETRY_DELAYS", cast=int, default=[60, 300, 1800])
CELERY_BEAT_SCHEDULE.update(
    {
        "scheduling-dispatch": {
            "task": "scheduling.tasks.dispatch_due_scheduled_posts",
            "schedule": timedelta(seconds=SCHEDULING_DISPATCH_SECONDS),
        },
        "scheduling-reconcile": {
            "task": "scheduling.tasks.reconcile_scheduled_posts",
            "schedule": timedelta(seconds=30),
        },
        "scheduling-reminders": {"task": "scheduling.tasks.send_schedule_reminders", "schedule": timedelta(minutes=1)},
        "scheduling-recurrences": {"task": "scheduling.tasks.materialize_recurrences", "schedule": timedelta(hours=1)},
    }
)
# --- Integrations: outgoing webhooks and feeds to drafts (docs/webhooks.md, docs/feeds.md) -------
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)
WEBHOOK_MAX_RESPONSE_BYTES = env.int("WEBHOOK_MAX_RESPONSE_BYTES", default=256 * 1024)
WEBHOOK_LOGGED_BODY_CHARS = env.int("WEBHOOK_LOGGED_BODY_CHARS", default=2000)
# Failed attempts are retried after base, 2x, 4x, ... seconds (capped) until the window closes; an
# endpoint with no success for a whole window is disabled and its workspace owner is e-mailed.
WEBHOOK_RETRY_BASE_SECONDS = env.int("WEBHOOK_RETRY_BASE_SECONDS", default=30)
WEBHOOK_RETRY_MAX_DELAY_SECONDS = env.int("WEBHOOK_RETRY_MAX_DELAY_SECONDS", default=6 * 3600)
WEBHOOK_RETRY_WINDOW_HOURS = env.int("WEBHOOK_RETRY_WINDOW_HOURS", default=24)
FEED_FETCH_INTERVAL_SECONDS = env.int("FEED_FETCH_INTERVAL_SECONDS", default=30 * 60)
FEED_TIMEOUT_SECONDS = env.float("FEED_TIMEOUT_SECONDS", default=15.0)
FEED_MAX_BYTES = env.int("FEED_MAX_BYTES", default=2 * 1024 * 1024)
FEED_MAX_ITEMS_PER_FETCH = env.int("FEED_MAX_ITEMS_PER_FETCH", default=20)
CELERY_BEAT_SCHEDULE.update(
    {
        "integrations-deliver-webhooks": {
            "task": "integrations.tasks.deliver_due_webhooks",
            "schedule": timedelta(seconds=15),
        },
        "integrations-fetch-feeds": {"task": "integrations.tasks.fetch_due_feeds", "schedule": timedelta(minutes=5)},
    }
)
# --- Billing (Stripe via dj-stripe, plans, quotas, dunning) -------------------------------------
# dj-stripe's own history (0001-0003) rebuilds its ~60 tables one ALTER at a time: about three minutes
# of a fresh SQLite migrate. Ours is the same schema created once, generated by makemigrations from
# dj-stripe's models; `replaces` keeps databases that applied the original history as they are.
# billing/tests/test_djstripe_schema.py fails when a dj-stripe upgrade ships a migration it lacks.
MIGRATION_MODULES = {"djstripe": "billing.djstripe_schema.migrations"}
# With no secret key configured the billing pages explain how to configure Stripe instead of failing.
STRIPE_LIVE_MODE = env.bool("STRIPE_LIVE_MODE", default=False)
STRIPE_LIVE_SECRET_KEY = env_secret("STRIPE_LIVE_SECRET_KEY")
STRIPE_TEST_SECRET_KEY = env_secret("STRIPE_TEST_SECRET_KEY")
STRIPE_LIVE_PUBLIC_KEY = env.str("STRIPE_LIVE_PUBLIC_KEY", default="")
STRIPE_TEST_PUBLIC_KEY = env.str("STRIPE_TEST_PUBLIC_KEY", default="")
DJSTRIPE_WEBHOOK_SECRET = env_secret("DJSTRIPE_WEBHOOK_SECRET")
# A server with no Stripe key sells nothing, so it is a self-hosted server: every workspace has every
# feature with no limits (billing/selectors.py). Production refuses to start with neither a key nor
# an explicit SELF_HOSTED=true, so a forgotten key never gives everything away silently.
STRIPE_CONFIGURED = bool(STRIPE_LIVE_SECRET_KEY if STRIPE_LIVE_MODE else STRIPE_TEST_SECRET_KEY)
SELF_HOSTED = env.bool("SELF_HOSTED", default=not STRIPE_CONFIGURED)
DJSTRIPE_FOREIGN_KEY_TO_FIELD = "id"
BILLING_DEFAULT_CURRENCY = env.str("BILLING_DEFAULT_CURRENCY", default="usd")
BILLING_GRACE_DAYS = env.int("BILLING_GRACE_DAYS", default=7)
BILLING_AUTOMATIC_TAX = env.bool("BILLING_AUTOMATIC_TAX", default=True)
BILLING_METER_API_CALLS = env.bool("BILLING_METER_API_CALLS", default=True)
CELERY_BEAT_SCHEDULE.update(
    {
        "billing-reset-quotas": {"task": "billing.tasks.reset_due_quotas", "schedule": timedelta(minutes=15)},
        "billing-expire-grace": {"task": "billing.tasks.expire_past_due_grace", "schedule": timedelta(hours=1)},
        "billing-end-comps": {"task": "billing.tasks.end_expired_comps", "schedule": timedelta(hours=1)},
    }
)
# Checkout and the portal are Stripe's pages: our forms redirect there, so form-action must allow them.
BILLING_CSP_FORM_ACTION = env.list(
    "BILLING_CSP_FORM_ACTION", default=["https://checkout.stripe.com", "https://billing.stripe.com"]
)
CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] = [
    *CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"],
    *BILLING_CSP_FORM_ACTION,
]
# --- Monitoring: Prometheus metrics, status page, alerts, Sentry --------------------------------
# django-prometheus times every request (latency, status codes, exceptions) and, through its
# database wrappers, every query. Counters live per process; with PROMETHEUS_MULTIPROC_DIR set in
# the environment (prometheus_client reads it itself) every process on a host writes to that
# directory and /metrics sums them. See docs/operations.md.
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    # prometheus_client writes there from the first metric on; a missing directory would crash it.
    Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)
if env.bool("PROMETHEUS_DB_METRICS", default=True):
    _PROMETHEUS_DB_ENGINES = {
        "django.db.backends.sqlite3": "django_prometheus.db.backends.sqlite3",
        "django.db.backends.postgresql": "django_prometheus.db.backends.postgresql",
    }
    DATABASES["default"]["ENGINE"] = _PROMETHEUS_DB_ENGINES.get(
        DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"]
    )
# A Celery worker serves its processes' counters on this port (0 = off): workers have no HTTP.
WORKER_METRICS_PORT = env.int("WORKER_METRICS_PORT", default=0)
# Prometheus scrapes /metrics with `Authorization: Bearer <METRICS_TOKEN>`; staff sessions work too.
METRICS_TOKEN = env_secret("METRICS_TOKEN")
# Celery queues whose length /metrics and the status page report.
MONITORING_QUEUES = env.list("MONITORING_QUEUES", default=["celery"])
# Alerts: a rate at or above the threshold over the window, with at least MIN_EVENTS attempts,
# emails ADMINS (DJANGO_ADMINS) and POSTs to ALERT_WEBHOOK_URL; then stays quiet for the cooldown.
ALERT_WINDOW_MINUTES = env.int("ALERT_WINDOW_MINUTES", default=60)
ALERT_PUBLISH_FAILURE_RATE = env.float("ALERT_PUBLISH_FAILURE_RATE", default=0.25)
ALERT_AI_FAILURE_RATE = env.float("ALERT_AI_FAILURE_RATE", default=0.5)
ALERT_MIN_EVENTS = env.int("ALERT_MIN_EVENTS", default=5)
ALERT_HEARTBEAT_STALE_SECONDS = env.int("ALERT_HEARTBEAT_STALE_SECONDS", default=5 * 60)
# Heartbeats (core.Heartbeat names) that alert when older than this many seconds. "beat" is written
# every 30 s by a task beat schedules and a worker runs, so its age covers beat, broker and workers.
MONITORING_HEARTBEATS: dict[str, int] = {"beat": ALERT_HEARTBEAT_STALE_SECONDS}
ALERT_COOLDOWN_MINUTES = env.int("ALERT_COOLDOWN_MINUTES", default=60)
# Outage alerts (monitoring/alerts.py); each is evaluated every ALERT_CHECK_SECONDS.
MONITORING_REQUEST_STATS = env.bool("MONITORING_REQUEST_STATS", default=True)
ALERT_REQUEST_WINDOW_MINUTES = env.int("ALERT_REQUEST_WINDOW_MINUTES", default=5)
ALERT_MIN_REQUESTS = env.int("ALERT_MIN_REQUESTS", default=20)
ALERT_5XX_RATE = env.float("ALERT_5XX_RATE", default=0.05)
ALERT_P95_LATENCY_SECONDS = env.float("ALERT_P95_LATENCY_SECONDS", default=4.0)
ALERT_DATABASE_ERRORS = env.int("ALERT_DATABASE_ERRORS", default=5)
ALERT_QUEUE_BACKLOG = env.int("ALERT_QUEUE_BACKLOG", default=1000)
ALERT_DISPATCH_LAG_SECONDS = env.int("ALERT_DISPATCH_LAG_SECONDS", default=300)
ALERT_BACKUP_MAX_AGE_HOURS = env.int("ALERT_BACKUP_MAX_AGE_HOURS", default=26)
ALERT_HISTORY_DAYS = env.int("ALERT_HISTORY_DAYS", default=90)
ALERT_CHECK_SECONDS = env.int("ALERT_CHECK_SECONDS", default=60)
ALERT_WEBHOOK_URL = env_secret("ALERT_WEBHOOK_URL")
ALERT_WEBHOOK_TIMEOUT = env.float("ALERT_WEBHOOK_TIMEOUT", default=5.0)
CELERY_BEAT_SCHEDULE.update(
    {
        "monitoring-evaluate-alerts": {
            "task": "monitoring.tasks.evaluate_alerts",
            "schedule": timedelta(seconds=ALERT_CHECK_SECONDS),
        },
    }
)
# Sentry: errors and traces from web and workers, only when a DSN is configured.
SENTRY_DSN = env_secret("SENTRY_DSN")
if SENTRY_DSN:
    from monitoring.sentry import sentry_init  # noqa: E402

    sentry_init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default="") or None,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# --- Collaboration on posts (approval workflows, comments, tasks, client links) -----------------
# How long a client approval link lasts unless the sharer picks another length (1-90 days).
TEAMS_CLIENT_LINK_DAYS = env.int("TEAMS_CLIENT_LINK_DAYS", default=7)
# A task's "due soon" reminder goes out this many minutes before its deadline.
TEAMS_TASK_REMINDER_MINUTES = env.int("TEAMS_TASK_REMINDER_MINUTES", default=24 * 60)
CELERY_BEAT_SCHEDULE.update(
    {"teams-task-deadlines": {"task": "content.tasks.remind_task_deadlines", "schedule": timedelta(minutes=5)}}
)

# --- Backups ----------------------------------------------------------------------------------
# Daily database + media backups to the default storage under BACKUP_PREFIX (see docs/backups.md).
BACKUP_PREFIX = env.str("BACKUP_PREFIX", default="backups")
BACKUP_KEEP = env.int("BACKUP_KEEP", default=7)
BACKUP_HOUR_UTC = env.int("BACKUP_HOUR_UTC", default=3)
CELERY_BEAT_SCHEDULE.update(
    {
        "core-daily-backup": {
            "task": "core.tasks.create_backup",
            "schedule": crontab(hour=BACKUP_HOUR_UTC, minute=17),
        },
    }
)

# --- Languages (i18n, right-to-left, locale formats) ---------------------------------------------
# LANGUAGES and LOCALE_PATHS are in the I18N block above; docs/i18n.md says how to add one.
# A signed-in user's saved language (UserPreferences.language, accounts.i18n.UserLanguageMiddleware)
# wins over the cookie and Accept-Language, which Django's LocaleMiddleware reads for everyone else.
LANGUAGE_COOKIE_NAME = "cg_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = env.bool("LANGUAGE_COOKIE_SECURE", default=False)

# --- Teams (invitations, brand assets, notification digests) ------------------------------------
_TEMPLATE_OPTIONS: Any = TEMPLATES[0]["OPTIONS"]
_TEMPLATE_OPTIONS["context_processors"].append("teams.context_processors.team_switcher")
TEAMS_INVITATION_DAYS = env.int("TEAMS_INVITATION_DAYS", default=7)
TEAMS_BRAND_ASSET_MAX_BYTES = env.int("TEAMS_BRAND_ASSET_MAX_BYTES", default=5 * 1024 * 1024)
TEAMS_BRAND_MAX_ASSETS = env.int("TEAMS_BRAND_MAX_ASSETS", default=50)
TEAMS_DIGEST_MAX_ITEMS = env.int("TEAMS_DIGEST_MAX_ITEMS", default=50)
TEAMS_DIGEST_HOUR_UTC = env.int("TEAMS_DIGEST_HOUR_UTC", default=7)
CELERY_BEAT_SCHEDULE.update(
    {
        "teams-notification-digests": {
            "task": "teams.tasks.send_notification_digests",
            "schedule": crontab(minute=0, hour=TEAMS_DIGEST_HOUR_UTC),
        },
    }
)

# Tracked links (content/tracked_links.py): the request header (as Django's META key) in which the proxy or
# CDN in front of us gives the visitor's country as two letters (Cloudflare: CF-IPCountry). Only the
# country is kept with a click's day and referring host: never the IP.
LINK_CLICK_COUNTRY_HEADER = env.str("LINK_CLICK_COUNTRY_HEADER", default="HTTP_CF_IPCOUNTRY")
