from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "content"

    def ready(self) -> None:
        from content.link_views import tracked_links_panel
        from content.post_panels import post_panel_register

        # Connects the receivers that give the provider configuration a new version when a row changes.
        from content.providers import config_rows  # noqa: F401
        from content.selectors import post_get
        from teams.collaboration import collab_post_getter_register

        # Tasks (teams) attach to posts; they read them through the one post getter.
        collab_post_getter_register(post_get)

        post_panel_register("tracked_links", tracked_links_panel)
