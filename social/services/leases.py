"""Delivery leases: a worker's claim on a PublishResult lasts SOCIAL_PUBLISH_LEASE_SECONDS and is
renewed while the worker works, so a dead worker's claims are free again within one lease."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import DatabaseError, connections
from django.db.models import F
from django.utils import timezone

from social.models import PublishResult

logger = logging.getLogger(__name__)


def _release(results: list[PublishResult], lease: datetime) -> None:
    """Give back claims this caller holds but will not start (the batch ran out of lease time)."""
    PublishResult.objects.filter(pk__in=[r.pk for r in results], claimed_until=lease).update(
        claimed_until=None, attempts=F("attempts") - 1, updated_at=timezone.now()
    )


class LeaseKeeper:
    """Keeps this worker's claims while it works: a short lease, renewed every third of its length.

    A worker that dies (SIGKILL, OOM, a lost machine) stops renewing, so its claims are free again
    within SOCIAL_PUBLISH_LEASE_SECONDS and the retry sweep reads them back; a worker that is alive
    keeps them however long a platform takes to answer. The renewal runs in a thread of its own (with
    its own connection) so a hung platform call does not stop it. A claim is renewed only while it
    still carries this worker's lease, the value the claim (or the last renewal) wrote.
    """

    def __init__(self, ids: Iterable[Any], until: datetime, seconds: float) -> None:
        self.ids, self.until, self.seconds = list(ids), until, seconds
        self.lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> LeaseKeeper:
        if self.ids and self.seconds > 0:
            self._thread = threading.Thread(target=self._run, name="publish-lease", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def remaining(self) -> float:
        return (self.until - timezone.now()).total_seconds()

    def release(self, results: list[PublishResult]) -> None:
        with self.lock:
            _release(results, self.until)

    def renew(self) -> None:
        with self.lock:
            until = timezone.now() + timedelta(seconds=self.seconds)
            try:
                PublishResult.objects.filter(pk__in=self.ids, claimed_until=self.until).update(claimed_until=until)
            except DatabaseError:
                # Not renewed: the claims run out as if this worker had died, and no new delivery starts.
                logger.warning("publish lease not renewed", exc_info=True)
                return
            self.until = until

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.seconds / 3):
                self.renew()
        finally:
            connections.close_all()  # this thread's own connections
