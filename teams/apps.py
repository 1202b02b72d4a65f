from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "teams"

    def ready(self) -> None:
        from accounts.gdpr import gdpr_before_delete_register, gdpr_owned_roots_register
        from teams import security_alerts, signals  # noqa: F401
        from teams.gdpr import shared_teams_hand_over, solo_teams
        from teams.models import Team

        # A user's export and deletion cover their solo teams; shared teams pass to another member.
        gdpr_owned_roots_register(model=Team, rows=solo_teams)
        gdpr_before_delete_register(shared_teams_hand_over)
