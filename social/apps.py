from django.apps import AppConfig


class SocialConfig(AppConfig):
    name = "social"

    def ready(self) -> None:
        from content.brand_assets import brand_accounts_register
        from social.brand_accounts import accounts_of_brand, accounts_of_team, brand_accounts_assign

        # Brand pages and APIs (content) show and set the brand's accounts; social owns the column.
        brand_accounts_register(listing=accounts_of_brand, team_listing=accounts_of_team, assign=brand_accounts_assign)
