"""The plan catalogue: what each tier may do. The one source of plan limits.

`None` means unlimited. FREE's generation and API-call limits are the spec's UsageQuota defaults.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from billing.models import SubscriptionTier


@dataclass(frozen=True)
class PlanFeatures:
    max_content_generations: int | None
    max_api_calls: int | None
    max_social_accounts: int | None
    max_scheduled_posts: int | None
    max_team_members: int | None
    advanced_analytics: bool
    team_collaboration: bool
    api_access: bool
    priority_support: bool

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


PLANS: dict[str, PlanFeatures] = {
    SubscriptionTier.FREE: PlanFeatures(
        max_content_generations=10,
        max_api_calls=100,
        max_social_accounts=3,
        max_scheduled_posts=10,
        max_team_members=1,
        advanced_analytics=False,
        team_collaboration=False,
        api_access=True,
        priority_support=False,
    ),
    SubscriptionTier.PRO: PlanFeatures(
        max_content_generations=500,
        max_api_calls=10_000,
        max_social_accounts=15,
        max_scheduled_posts=1_000,
        max_team_members=5,
        advanced_analytics=True,
        team_collaboration=True,
        api_access=True,
        priority_support=False,
    ),
    SubscriptionTier.ENTERPRISE: PlanFeatures(
        max_content_generations=None,
        max_api_calls=None,
        max_social_accounts=None,
        max_scheduled_posts=None,
        max_team_members=None,
        advanced_analytics=True,
        team_collaboration=True,
        api_access=True,
        priority_support=True,
    ),
}

UNLIMITED = PLANS[SubscriptionTier.ENTERPRISE]

# Order of the tiers: a move up is an upgrade (at once), a move down a downgrade (at period end).
TIER_RANK: dict[str, int] = {SubscriptionTier.FREE: 0, SubscriptionTier.PRO: 1, SubscriptionTier.ENTERPRISE: 2}
PAID_TIERS: tuple[str, ...] = (SubscriptionTier.PRO, SubscriptionTier.ENTERPRISE)
INTERVALS: tuple[str, ...] = ("month", "year")
CURRENCIES: tuple[str, ...] = ("usd", "eur", "gbp")

# Prices in the currency's smallest unit, per paid tier, interval and currency. Yearly is two months free.
PRICES: dict[str, dict[str, dict[str, int]]] = {
    SubscriptionTier.PRO: {
        "month": {"usd": 2900, "eur": 2700, "gbp": 2300},
        "year": {"usd": 29000, "eur": 27000, "gbp": 23000},
    },
    SubscriptionTier.ENTERPRISE: {
        "month": {"usd": 9900, "eur": 9200, "gbp": 7900},
        "year": {"usd": 99000, "eur": 92000, "gbp": 79000},
    },
}

PLAN_NAMES: dict[str, str] = {
    SubscriptionTier.FREE: "Free",
    SubscriptionTier.PRO: "Pro",
    SubscriptionTier.ENTERPRISE: "Enterprise",
}


@dataclass(frozen=True)
class PriceKey:
    tier: str
    interval: str
    currency: str

    @property
    def lookup_key(self) -> str:
        """The Stripe Price lookup_key: stable, so the sync command finds and updates its own prices."""
        return f"contentgenai_{self.tier.lower()}_{self.interval}_{self.currency}"

    @property
    def amount(self) -> int:
        return PRICES[self.tier][self.interval][self.currency]


def plan_features(tier: str) -> PlanFeatures:
    return PLANS.get(tier, PLANS[SubscriptionTier.FREE])


def price_keys() -> list[PriceKey]:
    return [
        PriceKey(tier, interval, currency) for tier in PAID_TIERS for interval in INTERVALS for currency in CURRENCIES
    ]


def price_key_from_lookup_key(lookup_key: str | None) -> PriceKey | None:
    for key in price_keys():
        if key.lookup_key == lookup_key:
            return key
    return None


def product_lookup_id(tier: str) -> str:
    """Our Stripe Product id per paid tier: products accept a caller-chosen id, which makes the sync idempotent."""
    return f"contentgenai_{tier.lower()}"


def is_valid_price_key(key: PriceKey) -> bool:
    return key.tier in PRICES and key.interval in INTERVALS and key.currency in CURRENCIES


ZERO_DECIMAL_CURRENCIES = frozenset({"jpy", "krw", "vnd", "clp", "pyg", "xof", "xaf"})
