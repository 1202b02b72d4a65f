# syntax=docker/dockerfile:1.7
# ContentGenAI production image: one image for web (uvicorn, ASGI), Celery worker, beat and migrate.
#   docker build -t contentgenai .
#   docker compose up          (see docker-compose.yml and the README)

ARG PYTHON_VERSION=3.11

# --- builder: every requirement as a wheel (compiles the few that ship only as sdists) ---------
FROM python:${PYTHON_VERSION}-slim-bookworm AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /build
COPY requirements.txt .
RUN pip wheel --wheel-dir /wheels -r requirements.txt


# --- runtime: slim, no compiler, non-root --------------------------------------------------------
FROM python:${PYTHON_VERSION}-slim-bookworm AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PORT=8000

# pg_dump/pg_restore for backups (docs/backups.md): the client must be at least the server's major
# version, so it comes from the PostgreSQL project's apt repository at the compose server's version.
# fonts-dejavu-core: the PDF report's font, with the Arabic glyphs reportlab's own fonts lack.
ARG PG_CLIENT_MAJOR=16
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-common ca-certificates fonts-dejavu-core \
    && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
    && apt-get install -y --no-install-recommends postgresql-client-${PG_CLIENT_MAJOR} \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

COPY requirements.txt /tmp/requirements.txt
RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels \
    python -m venv /opt/venv \
    && pip install --no-index --find-links=/wheels -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

WORKDIR /app
# The code stays owned by root: the app user can read it but not change it.
COPY . .

# Static files are collected at build time, under production settings. The values below exist only
# for this step (production settings refuse to load without them); nothing connects to them and
# they are not kept in the image's environment.
RUN DJANGO_SECRET_KEY="build-only-collectstatic-not-a-secret-0123456789abcdefghijklmnop" \
    FIELD_ENCRYPTION_KEYS="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" \
    REDIS_URL="redis://127.0.0.1:6379/0" \
    DATABASE_URL="sqlite:////tmp/collectstatic.sqlite3" \
    python manage.py collectstatic --noinput \
    && python manage.py compile_translations \
    && python -m compileall -q /app \
    && mkdir -p /app/var/media \
    && chown -R app:app /app/var/media

USER app
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "scripts/healthcheck.py"]

# WEB_CONCURRENCY sets uvicorn's worker processes; FORWARDED_ALLOW_IPS the proxies whose
# X-Forwarded-* headers are trusted (both read by uvicorn itself).
CMD ["uvicorn", "config.asgi:application", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers", "--lifespan", "off", "--timeout-graceful-shutdown", "20"]
