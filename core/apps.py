from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from celery.signals import task_postrun
        from django.core.signals import request_finished

        from core import celery_signals  # noqa: F401
        from core.write_buffer import buffered_flush_if_due

        request_finished.connect(buffered_flush_if_due, dispatch_uid="write-buffer-flush")
        task_postrun.connect(buffered_flush_if_due, dispatch_uid="write-buffer-flush", weak=False)
