"""Scheduling under load: posts due at once on the sandbox, Celery worker processes, realistic texts.

The posts' texts are realistic and varied (60-280 characters; English, Spanish, German, French, Arabic
and Japanese; some with links, most with hashtags), so they go through moderation and, when they have
at least MODERATION_DUPLICATE_MIN_WORDS words, the near-duplicate check; the bench prints the share of
posts that went through each.

Prints, each target with PASS/FAIL:
- duplicates and misses (both must be 0) after every burst;
- publish throughput with 1 and with 2 worker processes, as a ratio to a no-op Celery task's
  throughput measured with the same workers just before and just after the burst, the higher of the
  two (target >= 0.5 with 2 workers), and the
  1-worker rate against 2x BrightBean's 26.1 posts/s from the issue (a different machine: a yardstick);
- dispatch lag p99 with --lag-posts posts due over one minute (target <= 5 s; --lag-posts 0 skips it);
- crash recovery: one worker is SIGKILLed mid-burst; a fresh worker starts with beat's schedule
  emulated (dispatch every second, the retry sweep every 15 s, the reconcile every 30 s); the time until
  every claimed post is published, exactly once (target <= 120 s).

A warm-up of --warmup posts (not measured) gives the platform some history first. PostgreSQL is analyzed
as its autovacuum would (`_analyze_like_autovacuum`) when the server has it off,
as this machine's has.

Needs PostgreSQL and Redis (this machine has both):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cg_bench_schedule \
    REDIS_URL=redis://127.0.0.1:6379/13 .venv/bin/python bench/schedule_burst.py [--posts 10000]
The database is dropped and created fresh. BENCH_ROOT=/path/to/checkout measures that code instead.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

# BENCH_ROOT measures another checkout (e.g. /work/main) with this script.
ROOT = Path(os.environ.get("BENCH_ROOT") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(ROOT))

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/cg_bench_schedule"
DEFAULT_REDIS = "redis://127.0.0.1:6379/13"


def _prepare_env() -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get("DATABASE_URL", DEFAULT_DB),
        "REDIS_URL": os.environ.get("REDIS_URL", DEFAULT_REDIS),
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "DATABASE_POOL": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",  # authors' "published" emails
        # The sandbox models a platform's posting limit (50 per 15 min per account); the bench measures
        # our dispatch path, not that limit, so it is lifted here.
        "SOCIAL_POSTING_BUDGETS": '{"sandbox": [{"scope": "account", "limit": 1000000, "seconds": 60}]}',
    }
    os.environ.update(env)
    return env


def _recreate_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _start_workers(env: dict[str, str], count: int, first: int = 0) -> list[subprocess.Popen]:
    from core.tests.processes import tied_to_this_process

    workers = []
    for i in range(first, first + count):
        argv = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-P",
            "solo",
            "-n",
            f"bench{i}@%h",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "warning",
        ]
        workers.append(
            subprocess.Popen(
                tied_to_this_process(argv),
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # its own process group, so a SIGKILL takes the worker and its shim
            )
        )
    return workers


def _wait_workers_ready(app, count: int, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=1.0) or []
        if len(replies) >= count:
            return
    raise SystemExit("workers did not start")


def _stop(workers: list[subprocess.Popen], sig: int = signal.SIGTERM) -> None:
    for w in workers:
        if w.poll() is None:
            try:
                os.killpg(w.pid, sig)
            except ProcessLookupError:
                pass
    for w in workers:
        try:
            w.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(w.pid, signal.SIGKILL)
            w.wait(timeout=10)


WORDS = {
    "en": (
        "our team new launch today spring summer collection free returns thirty days behind scenes what we "
        "learned shipping six weeks customers love feedback product update faster easier better pricing plan "
        "join webinar thursday register link below tips writing headlines marketing growth community event "
        "coffee morning office remote work hiring engineers designers story thank you everyone support milestone "
        "users dashboard feature release notes bug fixes performance calendar schedule posts analytics report"
    ).split(),
    "es": (
        "nuestro equipo nueva colección hoy consejos para escribir mejores titulares esta semana ejemplos reales "
        "gracias clientes lanzamiento precios envío gratis tienda abierta descubre más enlace evento jueves "
        "comunidad crecimiento historia producto actualización rápido fácil"
    ).split(),
    "de": (
        "unser team neue kollektion heute tipps für bessere überschriften diese woche kostenloser versand danke "
        "kunden veranstaltung donnerstag anmelden link produkt aktualisierung schneller einfacher gemeinschaft"
    ).split(),
    "fr": (
        "notre équipe nouvelle collection aujourd'hui conseils pour écrire de meilleurs titres cette semaine "
        "livraison gratuite merci clients événement jeudi inscrivez-vous lien produit mise à jour communauté"
    ).split(),
    "ar": (
        "نطلق اليوم ميزة جديدة تساعد فريقك على التخطيط للأسبوع كاملاً شكرا لعملائنا مجموعة الربيع شحن مجاني "
        "سجل الآن في ورشة العمل يوم الخميس تحديث المنتج أسرع أسهل مجتمعنا قصة نجاح"
    ).split(),
}
JAPANESE = [
    "新しいコレクションが登場しました",
    "今週のヒントをご覧ください",
    "ご参加ありがとうございます",
    "詳しくはリンクから",
]
HASHTAGS = ["#marketing", "#launch", "#growth", "#coffee", "#remote", "#design", "#news", "#tips", "#ai", "#sale"]


def realistic_texts(n: int, seed: int = 20) -> list[str]:
    """Varied posts of 60-280 characters: languages, links and hashtags in realistic proportions."""
    rng = random.Random(seed)
    languages = ["en"] * 55 + ["es"] * 15 + ["de"] * 8 + ["fr"] * 8 + ["ar"] * 8 + ["ja"] * 6
    texts = []
    for i in range(n):
        language = rng.choice(languages)
        target = rng.randint(60, 280)
        tail = []
        if rng.random() < 0.35:
            tail.append(f"https://example.com/p/{i}")
        tail += rng.sample(HASHTAGS, rng.randint(0, 3))
        room = target - sum(len(t) + 1 for t in tail)
        parts: list[str] = []
        pool = JAPANESE if language == "ja" else WORDS[language]
        while sum(len(p) + 1 for p in parts) < room:
            parts.append(rng.choice(pool))
        body = ("" if language == "ja" else " ").join(parts)
        text = " ".join([body[: max(room, 20)].rstrip(), *tail]).strip()
        if len(text) < 60:
            text = (text + " " + " ".join(rng.choice(WORDS["en"]) for _ in range(12)))[:280]
        texts.append(text[:280])
    return texts


def _noop_throughput(n: int) -> float:
    from celery import group

    from core.tasks import ping

    # Warm-up first: a worker's first tasks pay for imports and connections, which are not the steady rate.
    group(ping.s("x") for _ in range(max(100, n // 10))).apply_async().join(timeout=600, propagate=True)
    started = time.perf_counter()
    result = group(ping.s("x") for _ in range(n)).apply_async()
    result.join(timeout=600, propagate=True)
    return n / (time.perf_counter() - started)


def _make_due_posts(n: int, *, spread_seconds: float = 0.0, seed: int = 20) -> list[str]:
    from django.utils import timezone

    from accounts.models import User
    from content.models import ContentPost, PostStatus
    from scheduling.models import ScheduledPost
    from social.models import SocialAccount

    user = User.objects.filter(email="bench@example.com").first() or User.objects.create_user(
        "bench@example.com", "bench-password-1"
    )
    team = user.current_team
    account, _ = SocialAccount.objects.get_or_create(
        team=team,
        platform="sandbox",
        account_id="bench-account",
        defaults={"account_name": "Bench", "access_token": "bench-token"},
    )
    now = timezone.now()
    posts = ContentPost.objects.bulk_create(
        [
            ContentPost(
                team=team,
                author=user,
                content=text,
                platform="sandbox",
                status=PostStatus.SCHEDULED,
            )
            for text in realistic_texts(n, seed)
        ],
        batch_size=2000,
    )
    step = spread_seconds / n if spread_seconds else 0.0
    rows = ScheduledPost.objects.bulk_create(
        [
            ScheduledPost(
                post=p,
                team_id=p.team_id,
                social_account=account,
                platform="sandbox",
                timezone="UTC",
                scheduled_at=now + timedelta(seconds=i * step) if step else now - timedelta(seconds=1),
            )
            for i, p in enumerate(posts)
        ],
        batch_size=2000,
    )
    return [str(r.pk) for r in rows]


AUTOVACUUM_NAPTIME = 60.0  # PostgreSQL's default: how often autovacuum looks for tables to analyze


def _autovacuum_on() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        return bool(cursor.fetchone()[0] == "on")


def _analyze_like_autovacuum() -> list[str]:
    """ANALYZE the tables autovacuum would analyze now, by its default rule (50 rows plus 10 % of the
    table changed since the last analyze), when the server runs with autovacuum off; returns them.

    This machine's PostgreSQL has autovacuum off; a production server has it on. A table never analyzed
    is planned as if it were tiny, which is not what users get (the near-duplicate key lookup read every
    key ever stored). The bench does what autovacuum would do, at most once per AUTOVACUUM_NAPTIME."""
    from django.db import connection

    if _autovacuum_on():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid "
            "WHERE s.n_mod_since_analyze > 50 + 0.1 * GREATEST(c.reltuples, 0)"
        )
        tables = [row[0] for row in cursor.fetchall()]
        for table in tables:
            cursor.execute(f'ANALYZE "{table}"')
    return tables


def _drain(ids: list[str], *, dispatch_every: float, timeout: float) -> float:
    """Run the dispatcher like beat does until every schedule finished; returns the elapsed time."""
    from django.db.models import Max, Min

    from scheduling.models import ScheduledPost, ScheduleStatus
    from scheduling.services import dispatch_due_posts

    span = ScheduledPost.objects.filter(pk__in=ids).aggregate(first=Min("scheduled_at"), last=Max("scheduled_at"))
    first, last = span["first"], span["last"]
    started = time.perf_counter()
    deadline = started + timeout
    last_dispatch = last_analyze = 0.0
    while time.perf_counter() < deadline:
        if time.perf_counter() - last_analyze >= AUTOVACUUM_NAPTIME:
            last_analyze = time.perf_counter()
            _analyze_like_autovacuum()
        if time.perf_counter() - last_dispatch >= dispatch_every:
            last_dispatch = time.perf_counter()
            while dispatch_due_posts(limit=500):
                pass
        # Counted by position in the bench account's queue, not with `pk__in=<10,000 ids>`: a query that
        # size, five times a second, cost the workers a good share of the two cores it measures.
        open_rows = (
            ScheduledPost.objects.filter(scheduled_at__gte=first, scheduled_at__lte=last)
            .exclude(status__in=[ScheduleStatus.COMPLETED, ScheduleStatus.FAILED])
            .count()
        )
        if open_rows == 0:
            break
        time.sleep(0.2)
    return time.perf_counter() - started


def _unfinished(ids: list[str]) -> tuple[int, int]:
    """Misses and holds among these schedules.

    A miss is a post neither published nor held for a moderator. A hold (delivery moderation flagged
    the text, say 91 % like a post already published, and a case waits in the review queue) is an
    outcome the user sees, not a lost post: it is counted apart."""
    from moderation.models import ModerationCase
    from scheduling.models import ScheduledPost, ScheduleStatus

    unfinished = [
        str(post_id)
        for post_id in ScheduledPost.objects.filter(pk__in=ids)
        .exclude(status=ScheduleStatus.COMPLETED)
        .values_list("post_id", flat=True)
    ]
    with_case = set(
        ModerationCase.objects.filter(subject_type="post", subject_id__in=unfinished).values_list(
            "subject_id", flat=True
        )
    )
    held = sum(post_id in with_case for post_id in unfinished)
    return len(unfinished) - held, held


def _audit(ids: list[str]) -> tuple[int, int, int]:
    """Duplicates (a delivery's key twice in the sandbox), misses and holds (`_unfinished`)."""
    from django.db.models import Count

    from social.models import SandboxPost

    keys = SandboxPost.objects.values("idempotency_key").annotate(n=Count("id")).filter(n__gt=1)
    duplicates = sum(row["n"] - 1 for row in keys)
    return (duplicates, *_unfinished(ids))


def _check_shares(ids: list[str]) -> tuple[float, float, float]:
    """Shares of the posts that delivery-time moderation decided on, whose text the near-duplicate check
    compared (it runs on texts of MODERATION_DUPLICATE_MIN_WORDS words or more, the same condition under
    which a published text is fingerprinted), and of texts over 100 characters."""
    from moderation.models import ContentFingerprint, ModerationAuditEvent
    from scheduling.models import ScheduledPost

    post_ids = [str(p) for p in ScheduledPost.objects.filter(pk__in=ids).values_list("post_id", flat=True)]
    moderated = (
        ModerationAuditEvent.objects.filter(context="publish", subject_id__in=post_ids)
        .values("subject_id")
        .distinct()
        .count()
    )
    compared = ContentFingerprint.objects.filter(post_id__in=post_ids).count()
    from content.models import ContentPost

    long = sum(len(t) > 100 for t in ContentPost.objects.filter(pk__in=post_ids).values_list("content", flat=True))
    n = max(1, len(post_ids))
    return moderated / n, compared / n, long / n


MACHINE = "machine busy"


def _cpu_by_process(worker_pids: set[int]) -> dict[Any, tuple[str, float]]:
    """CPU seconds used so far by each process of a role (workers, PostgreSQL, Redis, this process: the
    dispatcher), and the whole machine's busy time, from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    used: dict[Any, tuple[str, float]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, _, tail = stat.read_text().rpartition(")")
            name = head.partition("(")[2]
        except OSError:
            continue
        fields = tail.split()
        pid, ppid, seconds = int(stat.parent.name), int(fields[1]), (int(fields[11]) + int(fields[12])) / tick
        if pid in worker_pids or ppid in worker_pids:
            used[pid] = ("workers", seconds)
        elif name.startswith("postgres"):
            used[pid] = ("postgres", seconds)
        elif name.startswith("redis"):
            used[pid] = ("redis", seconds)
        elif pid == os.getpid():
            used[pid] = ("dispatcher", seconds)
    cpu = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    used[MACHINE] = (MACHINE, (sum(map(int, cpu)) - int(cpu[3]) - int(cpu[4])) / tick)  # all but idle and iowait
    return used


def _cpu_used(before: dict[Any, tuple[str, float]], after: dict[Any, tuple[str, float]]) -> dict[str, float]:
    """CPU seconds by role between two `_cpu_by_process` readings. A process that ended in between (a
    PostgreSQL session closed, a parallel query's helper) is missing from its role, not from the machine."""
    used = {"workers": 0.0, "postgres": 0.0, "redis": 0.0, "dispatcher": 0.0, MACHINE: 0.0}
    for key, (role, seconds) in after.items():
        used[role] += seconds - (before[key][1] if key in before else 0.0)
    return used


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _burst(label: str, n: int, seed: int, workers: list[subprocess.Popen]) -> tuple[float, bool]:
    ids = _make_due_posts(n, seed=seed)
    pids = {w.pid for w in workers}
    cpu_before = _cpu_by_process(pids)
    elapsed = _drain(ids, dispatch_every=1.0, timeout=1800)
    cpu = _cpu_used(cpu_before, _cpu_by_process(pids))
    duplicates, misses, held = _audit(ids)
    moderated, compared, long = _check_shares(ids)
    rate = n / elapsed
    print(f"{label}: {n} due posts in {elapsed:7.1f} s = {rate:7.1f} posts/s")
    print(
        f"   went through delivery moderation {moderated:.0%}, the near-duplicate check {compared:.0%}; "
        f"texts over 100 characters {long:.0%}"
    )
    print(
        f"   duplicates {duplicates}, misses {misses}  (both must be 0)  {_verdict(duplicates == misses == 0)}; "
        f"held for a moderator {held}"
    )
    print(
        "   CPU per post: "
        + ", ".join(f"{role} {seconds / n * 1000:.2f} ms" for role, seconds in cpu.items())
        + f"; the machine was busy {cpu[MACHINE] / elapsed / (os.cpu_count() or 1):.0%} of the time"
    )
    return rate, duplicates == misses == 0


def _crash_recovery(env: dict[str, str], app, n: int, seed: int) -> tuple[float, int, int, int]:
    """SIGKILL the only worker mid-burst; a fresh one recovers with beat's schedule emulated.

    Returns the recovery time (fresh worker started -> every post COMPLETED or held for a moderator),
    posts delivered before the kill, duplicates and misses."""
    from scheduling.services import dispatch_due_posts
    from scheduling.tasks import reconcile_scheduled_posts
    from social.models import SandboxPost
    from social.tasks import retry_due_publish_results

    first = _start_workers(env, 1, first=10)
    _wait_workers_ready(app, 1)
    before = SandboxPost.objects.count()
    ids = _make_due_posts(n, seed=seed)
    _analyze_like_autovacuum()
    while dispatch_due_posts(limit=500):
        pass
    deadline = time.monotonic() + 600
    while SandboxPost.objects.count() - before < n // 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    _stop(first, signal.SIGKILL)
    delivered = SandboxPost.objects.count() - before
    app.control.purge()  # what the dead worker had not taken yet is lost, as if the broker lost it too
    fresh = _start_workers(env, 1, first=20)
    started = time.monotonic()
    try:
        _wait_workers_ready(app, 1)
        last = {"sweep": 0.0, "reconcile": 0.0}
        while time.monotonic() - started < 600:
            now = time.monotonic()
            while dispatch_due_posts(limit=500):
                pass
            if now - last["sweep"] >= 15:  # beat's schedule for the two recovery tasks, run here
                last["sweep"] = now
                retry_due_publish_results()
            if now - last["reconcile"] >= 30:
                last["reconcile"] = now
                reconcile_scheduled_posts()
            if _unfinished(ids)[0] == 0:  # every post published or held for a moderator (a hold never completes)
                break
            time.sleep(1.0)
        recovery = time.monotonic() - started
    finally:
        _stop(fresh)
    duplicates, misses, _held = _audit(ids)
    return recovery, delivered, duplicates, misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--noop", type=int, default=3_000, help="no-op tasks for the baseline")
    parser.add_argument("--lag-posts", type=int, default=1_000)
    parser.add_argument("--crash-posts", type=int, default=1_000)
    parser.add_argument("--warmup", type=int, default=2_000, help="posts published before the first burst")
    args = parser.parse_args()

    env = _prepare_env()
    _recreate_database(env["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    from config.celery import app

    call_command("migrate", verbosity=0)
    app.control.purge()
    print(f"load average at start: {os.getloadavg()}")
    if not _autovacuum_on():
        print("autovacuum is off on this server: the bench analyzes tables where autovacuum would")
    targets: list[tuple[str, bool]] = []
    rates = {}
    workers: list[subprocess.Popen] = []
    try:
        for count in (1, 2):
            workers += _start_workers(env, count - len(workers), first=len(workers))
            _wait_workers_ready(app, count)
            if count == 1 and args.warmup:
                # Not measured: the platform gets some history first, analyzed as autovacuum would, so the
                # first burst is not planned against tables PostgreSQL still believes empty.
                _drain(_make_due_posts(args.warmup, seed=9), dispatch_every=1.0, timeout=600)
                analyzed = _analyze_like_autovacuum()
                print(f"warm-up: {args.warmup} posts published, not measured; analyzed {len(analyzed)} tables")
            before = _noop_throughput(args.noop)
            rate, clean = _burst(f"burst, {count} worker(s)", args.posts, seed=count, workers=workers)
            after = _noop_throughput(args.noop)
            # The no-op rate swings from run to run on a small machine (290-700 tasks/s seen with 2 workers):
            # measured before and after the burst, the higher one is the baseline (the stricter ratio).
            noop_rate = max(before, after)
            print(f"no-op Celery tasks, {count} worker(s): {before:8.1f} before, {after:8.1f} after the burst")
            rates[count] = (rate, noop_rate)
            targets.append((f"exactly once with {count} worker(s)", clean))
        ratio = rates[2][0] / rates[2][1]
        print(f"throughput ratio publish/no-op, 2 workers: {ratio:.3f}")
        targets.append((f"publish/no-op with 2 workers >= 0.5 ({ratio:.3f})", ratio >= 0.5))
        ratio1 = rates[1][0] / rates[1][1]
        print(f"throughput ratio publish/no-op, 1 worker:  {ratio1:.3f}")
        targets.append((f"1 worker >= 52.2 posts/s, 2x BrightBean's 26.1 ({rates[1][0]:.1f})", rates[1][0] >= 52.2))

        if args.lag_posts:
            from scheduling.models import ScheduledPost

            lag_ids = _make_due_posts(args.lag_posts, spread_seconds=60.0, seed=3)
            _drain(lag_ids, dispatch_every=1.0, timeout=600)
            rows = ScheduledPost.objects.filter(pk__in=lag_ids).select_related("publish_result")
            lags = sorted(
                (r.publish_result.published_at - r.scheduled_at).total_seconds()
                for r in rows
                if r.publish_result and r.publish_result.published_at
            )
            lag_dup, lag_miss, _held = _audit(lag_ids)
            p99 = lags[int(len(lags) * 0.99) - 1] if lags else float("nan")
            print(
                f"{args.lag_posts} posts due over 60 s: lag p50 {statistics.median(lags):.2f} s, p99 {p99:.2f} s; "
                f"duplicates {lag_dup}, misses {lag_miss}"
            )
            targets.append((f"dispatch lag p99 <= 5 s ({p99:.2f} s)", p99 <= 5 and lag_dup == lag_miss == 0))
    finally:
        _stop(workers)

    if args.crash_posts:
        recovery, delivered, duplicates, misses = _crash_recovery(env, app, args.crash_posts, seed=4)
        print(
            f"crash: worker SIGKILLed after {delivered} of {args.crash_posts} posts; a fresh worker published "
            f"the rest in {recovery:.1f} s; duplicates {duplicates}, misses {misses}"
        )
        targets.append((f"crash recovery <= 120 s ({recovery:.1f} s)", recovery <= 120))
        targets.append(("exactly once across the crash", duplicates == misses == 0))
    print(f"load average at end: {os.getloadavg()}")
    print("targets:")
    for name, ok in targets:
        print(f"  {name}  {_verdict(ok)}")


if __name__ == "__main__":
    main()
