from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "analytics"

    def ready(self) -> None:
        from django.conf import settings
        from django.utils.module_loading import import_string

        from analytics import signals  # noqa: F401
        from analytics.insights import generation_context, generation_context_keys
        from content.engagement import engagement_predictor_register
        from content.learning import register_performance_source

        # The writer learns from the team's results without content importing analytics (spec 10.1).
        register_performance_source(generation_context, cache_keys=generation_context_keys)
        # The draft's engagement score: by default the team's trained model when it has a good one.
        engagement_predictor_register(import_string(settings.AI_ENGAGEMENT_PREDICTOR))
