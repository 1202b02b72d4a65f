from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"

    def ready(self) -> None:
        from billing import signals  # noqa: F401
        from billing.stripe_api import install_http_client

        install_http_client()
