"""A small stateful fake of the Stripe API at the HTTP layer (respx on the SDK's httpx transport).

It answers the calls our code and dj-stripe make, keeps objects in memory, and can play the parts
Stripe plays outside the API: completing a hosted checkout, renewing, failing or paying an invoice,
each producing the events Stripe would send, signed like Stripe signs them.
"""

from __future__ import annotations

import itertools
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import httpx
import respx
import stripe

WEBHOOK_SECRET = "whsec_test_secret"
SECRET_KEY = "sk_test_" + "f4kEk3y" * 4
_counter = itertools.count(1)


def _new_id(prefix: str) -> str:
    return f"{prefix}_fake{next(_counter):06d}"


def _decode_form(raw: str) -> dict[str, Any]:
    """Stripe's form encoding (`a[b][0][c]=v`) back into nested dicts and lists."""
    root: dict[str, Any] = {}
    for key, value in parse_qsl(raw, keep_blank_values=True):
        parts = re.findall(r"[^\[\]]+", key)
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value

    def listify(node: Any) -> Any:
        if isinstance(node, dict):
            if node and all(k.isdigit() for k in node):
                return [listify(node[k]) for k in sorted(node, key=int)]
            return {k: listify(v) for k, v in node.items()}
        return node

    return listify(root)


def _truthy(value: Any) -> bool:
    return str(value).lower() == "true"


def sign(payload: str, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    return stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=timestamp)


@dataclass
class FakeStripe:
    checkout_base_url: str = "https://checkout.stripe.test/pay"
    portal_base_url: str = "https://billing.stripe.test/session"
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    clock: int = field(default_factory=lambda: int(time.time()))

    # ---- HTTP -------------------------------------------------------------------------------
    def handle(self, request: httpx.Request) -> httpx.Response:
        body = _decode_form(request.content.decode()) if request.content else {}
        query = _decode_form(request.url.query.decode()) if request.url.query else {}
        params = {**query, **body}
        path = request.url.path
        self.requests.append((request.method, path, params))
        for pattern, method, handler in self._routes():
            match = re.fullmatch(pattern, path)
            if match and method == request.method:
                return handler(params, *match.groups())
        return self._error(404, f"Unrecognized request URL ({request.method}: {path})")

    def _routes(self) -> list[tuple[str, str, Any]]:
        return [
            (r"/v1/account", "GET", self._account),
            (r"/v1/customers", "POST", self._customer_create),
            (r"/v1/products", "POST", self._product_create),
            (r"/v1/products/([^/]+)", "POST", self._product_update),
            (r"/v1/products/([^/]+)/features", "GET", self._product_features),
            (r"/v1/prices", "GET", self._price_list),
            (r"/v1/prices", "POST", self._price_create),
            (r"/v1/checkout/sessions", "POST", self._checkout_create),
            (r"/v1/billing_portal/sessions", "POST", self._portal_create),
            (r"/v1/subscriptions/([^/]+)", "POST", self._subscription_update),
            (r"/v1/charges", "GET", self._charge_list),
            (r"/v1/refunds", "POST", self._refund_create),
            (
                r"/v1/(?:customers|products|prices|subscriptions|invoices|charges|checkout/sessions)/([^/]+)",
                "GET",
                self._retrieve,
            ),
        ]

    @staticmethod
    def _json(data: Any, status: int = 200) -> httpx.Response:
        return httpx.Response(status, json=data, headers={"request-id": _new_id("req")})

    def _error(self, status: int, message: str, code: str | None = None) -> httpx.Response:
        return self._json({"error": {"type": "invalid_request_error", "message": message, "code": code}}, status)

    def _store(self, obj: dict[str, Any]) -> dict[str, Any]:
        self.objects[obj["id"]] = obj
        return obj

    def _base(self, prefix: str, kind: str, **fields: Any) -> dict[str, Any]:
        return {
            "id": fields.pop("id", None) or _new_id(prefix),
            "object": kind,
            "livemode": False,
            "created": self.clock,
            "metadata": {},
            **fields,
        }

    # ---- API handlers -------------------------------------------------------------------------
    def _account(self, params: dict[str, Any]) -> httpx.Response:
        return self._json(
            {
                "id": "acct_fake",
                "object": "account",
                "country": "US",
                "default_currency": "usd",
                "settings": {"dashboard": {"display_name": "Fake"}},
                "business_profile": {},
                "charges_enabled": True,
                "payouts_enabled": True,
                "type": "standard",
                "metadata": {},
            }
        )

    def _retrieve(self, params: dict[str, Any], object_id: str) -> httpx.Response:
        obj = self.objects.get(object_id)
        if obj is None:
            return self._error(404, f"No such object: '{object_id}'", "resource_missing")
        return self._json(obj)

    def _customer_create(self, params: dict[str, Any]) -> httpx.Response:
        customer = self._base(
            "cus",
            "customer",
            email=params.get("email"),
            name=params.get("name"),
            metadata=params.get("metadata", {}),
            currency=None,
            balance=0,
            delinquent=False,
            invoice_settings={"default_payment_method": None},
            default_source=None,
        )
        return self._json(self._store(customer))

    def _product_create(self, params: dict[str, Any]) -> httpx.Response:
        product = self._base(
            "prod",
            "product",
            id=params.get("id"),
            name=params["name"],
            active=True,
            metadata=params.get("metadata", {}),
            type="service",
            description=None,
        )
        return self._json(self._store(product))

    def _product_update(self, params: dict[str, Any], product_id: str) -> httpx.Response:
        product = self.objects.get(product_id)
        if product is None:
            return self._error(404, f"No such product: '{product_id}'", "resource_missing")
        product.update({k: v for k, v in params.items() if k in ("name", "metadata")})
        return self._json(product)

    def _product_features(self, params: dict[str, Any], product_id: str) -> httpx.Response:
        return self._json(
            {"object": "list", "data": [], "has_more": False, "url": f"/v1/products/{product_id}/features"}
        )

    def _prices(self) -> list[dict[str, Any]]:
        return [o for o in self.objects.values() if o["object"] == "price"]

    def _price_list(self, params: dict[str, Any]) -> httpx.Response:
        prices = self._prices()
        if "lookup_keys" in params:
            prices = [p for p in prices if p.get("lookup_key") in params["lookup_keys"]]
        if "active" in params:
            prices = [p for p in prices if p["active"] == _truthy(params["active"])]
        return self._json({"object": "list", "data": prices, "has_more": False, "url": "/v1/prices"})

    def _price_create(self, params: dict[str, Any]) -> httpx.Response:
        if _truthy(params.get("transfer_lookup_key")):
            for other in self._prices():
                if other.get("lookup_key") == params.get("lookup_key"):
                    other["lookup_key"] = None
                    other["active"] = False
        price = self._base(
            "price",
            "price",
            product=params["product"],
            currency=params["currency"],
            unit_amount=int(params["unit_amount"]),
            active=True,
            type="recurring",
            recurring={"interval": params["recurring"]["interval"], "interval_count": 1, "usage_type": "licensed"},
            lookup_key=params.get("lookup_key"),
            tax_behavior=params.get("tax_behavior"),
            billing_scheme="per_unit",
            metadata=params.get("metadata", {}),
            nickname=None,
        )
        return self._json(self._store(price))

    def _checkout_create(self, params: dict[str, Any]) -> httpx.Response:
        session_id = _new_id("cs_test")
        session = self._base(
            "cs",
            "checkout.session",
            id=session_id,
            mode=params["mode"],
            customer=params.get("customer"),
            client_reference_id=params.get("client_reference_id"),
            url=f"{self.checkout_base_url}/{session_id}",
            status="open",
            success_url=params["success_url"],
            cancel_url=params["cancel_url"],
            metadata=params.get("metadata", {}),
            params=params,
            subscription=None,
        )
        return self._json(self._store(session))

    def _portal_create(self, params: dict[str, Any]) -> httpx.Response:
        portal = self._base(
            "bps", "billing_portal.session", customer=params["customer"], return_url=params.get("return_url")
        )
        portal["url"] = f"{self.portal_base_url}/{portal['id']}"
        return self._json(self._store(portal))

    def _subscription_update(self, params: dict[str, Any], subscription_id: str) -> httpx.Response:
        sub = self.objects.get(subscription_id)
        if sub is None:
            return self._error(404, f"No such subscription: '{subscription_id}'", "resource_missing")
        if "cancel_at_period_end" in params:
            sub["cancel_at_period_end"] = _truthy(params["cancel_at_period_end"])
        if "metadata" in params:
            sub["metadata"].update(params["metadata"])
        for item_params in params.get("items", []):
            item = next(i for i in sub["items"]["data"] if i["id"] == item_params["id"])
            item["price"] = self.objects[item_params["price"]]
        return self._json(sub)

    def _charge_list(self, params: dict[str, Any]) -> httpx.Response:
        charges = [
            o for o in self.objects.values() if o["object"] == "charge" and o["customer"] == params.get("customer")
        ]
        charges.sort(key=lambda c: c["created"], reverse=True)
        return self._json(
            {"object": "list", "data": charges[: int(params.get("limit", 10))], "has_more": False, "url": "/v1/charges"}
        )

    def _refund_create(self, params: dict[str, Any]) -> httpx.Response:
        charge = self.objects[params["charge"]]
        amount = int(params.get("amount") or charge["amount"])
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
        refund = self._base(
            "re",
            "refund",
            charge=charge["id"],
            amount=amount,
            currency=charge["currency"],
            status="succeeded",
            reason=params.get("reason"),
        )
        return self._json(self._store(refund))

    # ---- Stripe's side: checkout, renewals, payments -----------------------------------------
    def event(self, kind: str, obj: dict[str, Any], created: int | None = None) -> dict[str, Any]:
        return {
            "id": _new_id("evt"),
            "object": "event",
            "api_version": "2026-05-27.dahlia",
            "created": created or self.clock,
            "livemode": False,
            "type": kind,
            "data": {"object": json.loads(json.dumps(obj))},
            "pending_webhooks": 1,
            "request": None,
        }

    def complete_checkout(self, session_id: str) -> list[dict[str, Any]]:
        """What Stripe does when the customer pays on the hosted page: subscription, invoice, events."""
        session = self.objects[session_id]
        params = session["params"]
        price = self.objects[params["line_items"][0]["price"]]
        sub = self._base(
            "sub",
            "subscription",
            customer=session["customer"],
            status="active",
            cancel_at_period_end=False,
            metadata=params.get("subscription_data", {}).get("metadata", {}),
            items={"object": "list", "has_more": False, "url": "/v1/subscription_items", "data": []},
            latest_invoice=None,
            currency=price["currency"],
        )
        sub["items"]["data"].append(self._item(price))
        self._store(sub)
        session.update(status="complete", subscription=sub["id"], payment_status="paid")
        invoice = self.invoice_for(sub, paid=True, reason="subscription_create")
        return [
            self.event("checkout.session.completed", session),
            self.event("customer.subscription.created", sub),
            self.event("invoice.paid", invoice),
        ]

    def _item(self, price: dict[str, Any]) -> dict[str, Any]:
        end = self.clock + (365 if price["recurring"]["interval"] == "year" else 30) * 86400
        return {
            "id": _new_id("si"),
            "object": "subscription_item",
            "price": price,
            "quantity": 1,
            "current_period_start": self.clock,
            "current_period_end": end,
            "metadata": {},
            "created": self.clock,
        }

    def invoice_for(self, sub: dict[str, Any], *, paid: bool, reason: str = "subscription_cycle") -> dict[str, Any]:
        price = sub["items"]["data"][0]["price"]
        invoice = self._base(
            "in",
            "invoice",
            customer=sub["customer"],
            currency=price["currency"],
            status="paid" if paid else "open",
            amount_due=price["unit_amount"],
            amount_paid=price["unit_amount"] if paid else 0,
            total=price["unit_amount"],
            subtotal=price["unit_amount"],
            billing_reason=reason,
            number=_new_id("INV"),
            invoice_pdf=f"https://pay.stripe.test/invoice/{sub['id']}/{next(_counter)}/pdf",
            hosted_invoice_url="https://pay.stripe.test/invoice",
            attempt_count=1,
            parent={
                "type": "subscription_details",
                "subscription_details": {"subscription": sub["id"], "metadata": sub["metadata"]},
            },
            lines={"object": "list", "data": [], "has_more": False, "url": "/v1/invoices/lines"},
        )
        self._store(invoice)
        if paid:
            charge = self._base(
                "ch",
                "charge",
                customer=sub["customer"],
                amount=price["unit_amount"],
                currency=price["currency"],
                amount_refunded=0,
                refunded=False,
                paid=True,
                status="succeeded",
            )
            self._store(charge)
        return invoice

    def subscription(self, subscription_id: str) -> dict[str, Any]:
        return self.objects[subscription_id]

    def renew(self, subscription_id: str, *, paid: bool) -> list[dict[str, Any]]:
        """The period rolls over; the renewal invoice is paid or fails (Stripe then marks the sub past_due)."""
        self.clock += 30 * 86400 + 1
        sub = self.objects[subscription_id]
        item = sub["items"]["data"][0]
        item["current_period_start"] = self.clock
        item["current_period_end"] = self.clock + 30 * 86400
        sub["status"] = "active" if paid else "past_due"
        invoice = self.invoice_for(sub, paid=paid)
        return [
            self.event("customer.subscription.updated", sub),
            self.event("invoice.paid" if paid else "invoice.payment_failed", invoice),
        ]


def fake_stripe_router(fake: FakeStripe) -> respx.MockRouter:
    router = respx.mock(assert_all_called=False)
    router.route(host="api.stripe.com").mock(side_effect=fake.handle)
    return router
