from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "analytics"

    def ready(self) -> None:
        from analytics import signals  # noqa: F401
        from analytics.insights import generation_context
        from content.learning import register_performance_source

        # The writer learns from the team's results without content importing analytics (spec 10.1).
        register_performance_source(generation_context)
