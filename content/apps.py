from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "content"

    def ready(self) -> None:
        # Connects the receivers that give the provider configuration a new version when a row changes.
        from content.providers import config_rows  # noqa: F401
