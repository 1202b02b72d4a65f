from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"

    def ready(self) -> None:
        from accounts.plan_hooks import plan_hooks_register
        from billing import signals  # noqa: F401
        from billing.entitlements import require_feature
        from billing.selectors import team_plan_summary
        from billing.stripe_api import install_http_client

        install_http_client()
        # The profile API shows the plan, and API keys need the `api_access` feature; accounts sits below.
        plan_hooks_register(summary=team_plan_summary, feature_check=require_feature)
