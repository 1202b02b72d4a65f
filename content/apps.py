from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "content"

    def ready(self) -> None:
        from content.link_views import tracked_links_panel
        from content.post_panels import post_panel_register

        # Connects the receivers that give the provider configuration a new version when a row changes.
        from content.providers import config_rows  # noqa: F401
        from content.selectors import brand_list
        from teams.selectors import team_brands_register

        # The team page (teams) lists the team's brands.
        team_brands_register(brand_list)

        post_panel_register("tracked_links", tracked_links_panel)
