from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from billing.models import StripeEvent, Subscription, SubscriptionTier, UsageQuota
from billing.payments import payment_refund
from billing.selectors import plan_catalogue
from billing.services import subscription_comp
from core.api.errors import ApiError


class CompForm(forms.Form):
    tier = forms.ChoiceField(choices=SubscriptionTier.choices, initial=SubscriptionTier.PRO)
    until = forms.DateTimeField(help_text="UTC; the tier applies until then, without Stripe.")


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = (
        "team",
        "tier",
        "status",
        "current_period_end",
        "cancel_at_period_end",
        "pending_tier",
        "comp_tier",
        "comped_until",
        "grace_until",
    )
    list_filter = ("tier", "status", "cancel_at_period_end", "comp_tier")
    list_select_related = ("team",)
    search_fields = ("team__name", "stripe_subscription_id", "stripe_customer_id")
    date_hierarchy = "current_period_end"
    autocomplete_fields = ("team",)
    readonly_fields = ("created_at", "updated_at", "last_event_at", "last_payment_event_at")
    actions = ("comp_until_date", "comp_pro_30_days", "extend_comp_30_days", "refund_latest_charge")

    def get_urls(self) -> list[Any]:
        return [
            path("plans/", self.admin_site.admin_view(self.plans_view), name="billing_plan_catalogue"),
            path("comp/", self.admin_site.admin_view(self.comp_view), name="billing_subscription_comp"),
            *super().get_urls(),
        ]

    def plans_view(self, request: HttpRequest) -> HttpResponse:
        """The plan catalogue, read-only: it lives in billing/plans.py and is synced to Stripe by command."""
        context = {**self.admin_site.each_context(request), "title": "Plan catalogue", "plans": plan_catalogue()}
        return TemplateResponse(request, "admin/billing/plan_catalogue.html", context)

    def comp_view(self, request: HttpRequest) -> HttpResponse:
        ids = request.GET.get("ids", "").split(",") if request.method == "GET" else request.POST.getlist("ids")
        queryset = Subscription.objects.filter(pk__in=[i for i in ids if i]).select_related("team")
        form = CompForm(request.POST or None, initial={"until": timezone.now() + timedelta(days=30)})
        if request.method == "POST" and form.is_valid():
            for subscription in queryset:
                subscription_comp(
                    team=subscription.team, tier=form.cleaned_data["tier"], until=form.cleaned_data["until"]
                )
            self.message_user(request, f"Comped {queryset.count()} team(s).", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:billing_subscription_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Comp teams",
            "form": form,
            "subscriptions": queryset,
        }
        return TemplateResponse(request, "admin/billing/comp.html", context)

    @admin.action(description="Comp: choose a tier and an end date (without Stripe)")
    def comp_until_date(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> HttpResponseRedirect:
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return HttpResponseRedirect(f"{reverse('admin:billing_subscription_comp')}?ids={ids}")

    @admin.action(description="Comp: PRO for 30 days (without Stripe)")
    def comp_pro_30_days(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        until = timezone.now() + timedelta(days=30)
        for subscription in queryset.select_related("team"):
            subscription_comp(team=subscription.team, tier=SubscriptionTier.PRO, until=until)
        self.message_user(request, f"{queryset.count()} team(s) on PRO until {until:%Y-%m-%d}.", messages.SUCCESS)

    @admin.action(description="Extend the comp (or current tier) by 30 days")
    def extend_comp_30_days(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        now = timezone.now()
        for subscription in queryset.select_related("team"):
            start = subscription.comped_until if subscription.comped_until and subscription.comped_until > now else now
            subscription_comp(
                team=subscription.team,
                tier=subscription.comp_tier or subscription.tier,
                until=start + timedelta(days=30),
            )
        self.message_user(request, f"Extended {queryset.count()} team(s) by 30 days.", messages.SUCCESS)

    @admin.action(description="Refund the latest charge (in full, through Stripe)")
    def refund_latest_charge(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        for subscription in queryset.select_related("team"):
            try:
                refund_id = payment_refund(team=subscription.team)
            except ApiError as exc:
                self.message_user(request, f"{subscription.team}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, f"{subscription.team}: refunded ({refund_id}).", messages.SUCCESS)


@admin.register(UsageQuota)
class UsageQuotaAdmin(admin.ModelAdmin):
    list_filter = ("team__subscription__tier", "reset_date")
    list_display = (
        "team",
        "content_generations",
        "max_content_generations",
        "api_calls",
        "max_api_calls",
        "reset_date",
    )
    list_select_related = ("team",)
    search_fields = ("team__name",)
    date_hierarchy = "reset_date"
    autocomplete_fields = ("team",)
    readonly_fields = ("created_at", "updated_at")


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    list_display = ("event_id", "type", "stripe_created", "livemode", "created_at")
    list_filter = ("type", "livemode")
    search_fields = ("event_id",)
    date_hierarchy = "stripe_created"
