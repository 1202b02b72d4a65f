from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "scheduling"

    def ready(self) -> None:
        from content.post_panels import post_panel_register
        from scheduling.post_views import publishing_panel

        post_panel_register("publishing", publishing_panel)
