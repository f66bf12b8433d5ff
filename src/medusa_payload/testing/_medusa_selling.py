"""The selling half of `FakeMedusa`: carts, checkout, customers, their auth and orders.

Behaviour and messages follow Medusa 2.21.2 as observed on the live stack (see
``tests/live/test_selling_live.py``): a cart change drops the payment sessions and re-prices the
collection, completing a completed cart answers its order again, a quantity below 1 and
unknown variants are 400 ``invalid_data``, stock shortfalls 400 ``not_allowed`` /
``insufficient_inventory``. Left out: taxes, real payment providers (only
``pp_system_default``, always authorised), calculated shipping prices (``calculate`` answers
500 as Medusa does for its manual provider), stock per location and sales channel, promotion
rules and campaigns (a code is a percentage off the items).
"""

from __future__ import annotations

import base64
import copy
import json
import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ._common import ulid
from ._transport import FakeRequest, FakeResponse

if TYPE_CHECKING:
    from ._medusa import FakeMedusa

__all__ = ["FakeSelling"]

UNAUTHORIZED = FakeResponse(401, {"message": "Unauthorized"})
SYSTEM_PROVIDER = "pp_system_default"
ADDRESS_FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "company",
    "address_1",
    "address_2",
    "city",
    "country_code",
    "province",
    "postal_code",
    "metadata",
)


def _invalid(message: str) -> FakeResponse:
    return FakeResponse(400, {"type": "invalid_data", "message": message})


def _not_found(message: str) -> FakeResponse:
    return FakeResponse(404, {"type": "not_found", "message": message})


def _too_small(field: str) -> FakeResponse:
    return _invalid(f"Invalid request: Value for field '{field}' too small, expected at least: '0'")


INSUFFICIENT = FakeResponse(
    400,
    {
        "type": "not_allowed",
        "code": "insufficient_inventory",
        "message": "Some variant does not have the required inventory",
    },
)


#: Medusa's answer to an exception it does not map (a provider's plain ``Error``, a TypeError).
UNKNOWN_ERROR = FakeResponse(
    500,
    {"code": "unknown_error", "type": "unknown_error", "message": "An unknown error occurred."},
)


def _address(body: Any) -> dict[str, Any] | None:
    if not isinstance(body, Mapping):
        return None
    return {"id": f"caaddr_{ulid()}", **{k: body.get(k) for k in ADDRESS_FIELDS}}


class FakeSelling:
    """Store checkout state and routes of one `FakeMedusa` (reached as ``fake.selling``)."""

    def __init__(self, medusa: FakeMedusa) -> None:
        self._m = medusa
        self.carts: dict[str, dict[str, Any]] = {}
        self.customers: dict[str, dict[str, Any]] = {}
        self.identities: dict[str, dict[str, Any]] = {}  # email -> {password, customer_id}
        self.tokens: dict[str, dict[str, Any]] = {}  # token -> {email, actor_id}
        self.shipping_options: dict[str, dict[str, Any]] = {}
        self.promotions: dict[str, dict[str, Any]] = {}  # code -> promotion
        self.collections: dict[str, dict[str, Any]] = {}

    # ================================================================ seeding
    def add_shipping_option(
        self, name: str, *, amount: float, countries: tuple[str, ...] = ("de", "fr", "dk")
    ) -> dict[str, Any]:
        """A flat shipping option (manual provider) for addresses in ``countries``."""
        option: dict[str, Any] = {
            "id": f"so_{ulid()}",
            "name": name,
            "price_type": "flat",
            "amount": amount,
            "provider_id": "manual_manual",
            "service_zone_id": f"serzo_{ulid()}",
            "shipping_profile_id": f"sp_{ulid()}",
            "countries": list(countries),
        }
        self.shipping_options[option["id"]] = option
        return copy.deepcopy(option)

    def add_promotion(self, code: str, *, percentage: float) -> dict[str, Any]:
        """A promotion code taking ``percentage`` off the items of a cart."""
        promotion = {
            "id": f"promo_{ulid()}",
            "code": code,
            "is_automatic": False,
            "application_method": {"type": "percentage", "value": percentage},
        }
        self.promotions[code] = promotion
        return copy.deepcopy(promotion)

    # ================================================================ routing
    def handles(self, seg: list[str]) -> bool:
        """Whether a path (below ``/store`` or the root for ``auth``) is a selling route."""
        return bool(seg) and seg[0] in (
            "carts",
            "shipping-options",
            "payment-providers",
            "payment-collections",
            "customers",
            "orders",
        )

    def store(self, request: FakeRequest, seg: list[str], channels: set[str]) -> FakeResponse:
        """Answer a ``/store`` selling route (``seg`` is below ``/store``)."""
        actor = self._actor(request)
        if seg[0] == "carts":
            return self._carts(request, seg[1:], channels, actor)
        if seg[0] == "customers":
            return self._customers(request, seg[1:], actor)
        if seg[0] == "orders":
            return self._orders(request, seg[1:], actor)
        if seg == ["shipping-options"] and request.method == "GET":
            return self._list_options(request.query)
        calculate = len(seg) == 3 and seg[0::2] == ["shipping-options", "calculate"]
        if calculate and request.method == "POST":
            return self._calculate_option(request.json())
        if seg == ["payment-providers"] and request.method == "GET":
            region = self._m.regions.get(str(request.query.get("region_id")))
            items = [{"id": SYSTEM_PROVIDER, "is_enabled": True}] if region else []
            return self._m._list("payment_providers", items, request.query)
        if seg[0] == "payment-collections" and request.method == "POST":
            return self._payment(request, seg[1:])
        return FakeResponse(404, f"<pre>Cannot {request.method} {request.path}</pre>")

    def auth(self, request: FakeRequest, seg: list[str]) -> FakeResponse | None:
        """Answer a customer ``/auth`` route, or ``None`` when ``seg`` is not one."""
        body = request.json() if request.method == "POST" else None
        body = body if isinstance(body, Mapping) else {}
        email, password = str(body.get("email", "")), str(body.get("password", ""))
        if seg == ["auth", "customer", "emailpass", "register"] and request.method == "POST":
            known = self.identities.get(email)
            # Medusa repeats the registration token for the same password until a customer
            # exists; after that, or with another password, the identity is taken.
            if known is not None and (known["password"] != password or known["customer_id"]):
                return FakeResponse(
                    401, {"type": "unauthorized", "message": "Identity with email already exists"}
                )
            if known is None:
                known = self.identities[email] = {"password": password, "customer_id": None}
            return FakeResponse(200, {"token": self._token(email, known["customer_id"])})
        if seg == ["auth", "customer", "emailpass"] and request.method == "POST":
            known = self.identities.get(email)
            if known is None or known["password"] != password:
                return FakeResponse(
                    401, {"type": "unauthorized", "message": "Invalid email or password"}
                )
            return FakeResponse(200, {"token": self._token(email, known["customer_id"])})
        if seg == ["auth", "token", "refresh"] and request.method == "POST":
            claims = self._claims(request)
            if claims is None:
                return UNAUTHORIZED
            return FakeResponse(200, {"token": self._token(claims["email"], claims["actor_id"])})
        if seg == ["auth", "session"] and request.method == "DELETE":
            return UNAUTHORIZED  # no cookie session: bearer tokens are stateless
        return None

    # ================================================================ auth helpers
    def _token(self, email: str, actor_id: str | None) -> str:
        claims = {"actor_type": "customer", "actor_id": actor_id or "", "email": email}
        raw = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        token = f"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.{raw}.{secrets.token_urlsafe(32)}"
        self.tokens[token] = {"email": email, "actor_id": actor_id}
        return token

    def _claims(self, request: FakeRequest) -> dict[str, Any] | None:
        header = request.headers.get("authorization", "")
        if not header.startswith("Bearer "):
            return None
        return self.tokens.get(header[7:])

    def _actor(self, request: FakeRequest) -> dict[str, Any] | None:
        """The signed-in customer, if the request carries a customer's token."""
        claims = self._claims(request)
        if claims is None or not claims["actor_id"]:
            return None
        return self.customers.get(claims["actor_id"])

    # ================================================================ carts
    def _carts(
        self,
        request: FakeRequest,
        seg: list[str],
        channels: set[str],
        actor: dict[str, Any] | None,
    ) -> FakeResponse:
        method = request.method
        body = request.json() if method in ("POST", "DELETE") else None
        body = body if isinstance(body, Mapping) else {}
        if not seg:
            return self._create_cart(body, channels, actor) if method == "POST" else _nope(request)
        cart = self.carts.get(seg[0])
        if cart is None:
            label = (
                "Cart with id '{}' not found"
                if method == "GET" and len(seg) == 1
                else ("Cart id not found: {}")
            )
            return _not_found(label.format(seg[0]))
        rest = seg[1:]
        if method == "GET" and not rest:
            return self._cart_response(cart)
        if rest == ["complete"] and method == "POST":
            return self._complete(cart)
        if cart["completed_at"] is not None:
            return _invalid(f"Cart {cart['id']} is already completed.")
        if not rest and method == "POST":
            error = self._update_cart(cart, body, channels)
        elif rest == ["line-items"] and method == "POST":
            error = self._add_item(cart, body)
        elif len(rest) == 2 and rest[0] == "line-items" and method == "POST":
            error = self._set_quantity(cart, rest[1], body)
        elif len(rest) == 2 and rest[0] == "line-items" and method == "DELETE":
            cart["items"] = [i for i in cart["items"] if i["id"] != rest[1]]
            self._changed(cart)
            view = self._cart_view(cart)
            return FakeResponse(
                200, {"id": rest[1], "object": "line-item", "deleted": True, "parent": view}
            )
        elif rest == ["shipping-methods"] and method == "POST":
            error = self._ship(cart, body)
        elif rest == ["promotions"] and method in ("POST", "DELETE"):
            error = self._promotions(cart, body, add=method == "POST")
        elif rest == ["customer"] and method == "POST":
            if actor is None:
                return UNAUTHORIZED
            cart["customer_id"], cart["email"] = actor["id"], actor["email"]
            error = None
        else:
            return _nope(request)
        if error is not None:
            return error
        self._changed(cart)
        return self._cart_response(cart)

    def _create_cart(
        self, body: Mapping[str, Any], channels: set[str], actor: dict[str, Any] | None
    ) -> FakeResponse:
        region_id = body.get("region_id")
        region = (
            self._m.regions.get(str(region_id))
            if region_id
            else next(iter(self._m.regions.values()), None)
        )
        if region is None:
            return _not_found("No regions found")
        channel = body.get("sales_channel_id") or next(iter(sorted(channels)))
        if channel not in channels:
            return FakeResponse(
                400,
                {
                    "message": "Provided request body contains errors. Please check the data "
                    "and retry the request"
                },
            )
        currency = body.get("currency_code")
        if currency and currency != region["currency_code"]:
            return _invalid(
                f"Currency code {currency} does not match the region's currency code "
                f"{region['currency_code']}"
            )
        for index, item in enumerate(body.get("items") or []):
            if not isinstance(item.get("quantity"), int | float) or item["quantity"] < 1:
                return _too_small(f"items, {index}, quantity")
        now = self._m._clock.now()
        cart: dict[str, Any] = {
            "id": f"cart_{ulid()}",
            "region_id": region["id"],
            "currency_code": region["currency_code"],
            "sales_channel_id": channel,
            "customer_id": actor["id"] if actor else self._guest(body.get("email")),
            "email": body.get("email") or (actor["email"] if actor else None),
            "items": [],
            "shipping_address": _address(body.get("shipping_address")),
            "billing_address": _address(body.get("billing_address")),
            "shipping_methods": [],
            "promotions": [],
            "payment_collection_id": None,
            "completed_at": None,
            "metadata": body.get("metadata"),
            "created_at": now,
            "updated_at": now,
        }
        for item in body.get("items") or []:
            error = self._add_item(cart, item)
            if error is not None:
                return error  # nothing was stored: Medusa rolls the cart back too
        for code in body.get("promo_codes") or []:
            if code not in self.promotions:
                return _invalid(f"The promotion code {code} is invalid")
            cart["promotions"].append(self.promotions[code]["code"])
        self.carts[cart["id"]] = cart
        return self._cart_response(cart)

    def _update_cart(
        self, cart: dict[str, Any], body: Mapping[str, Any], channels: set[str]
    ) -> FakeResponse | None:
        if "region_id" in body:
            region = self._m.regions.get(str(body["region_id"]))
            if region is None:
                return _not_found(f"Region with id: {body['region_id']} was not found")
            cart["region_id"], cart["currency_code"] = region["id"], region["currency_code"]
        if body.get("sales_channel_id") and body["sales_channel_id"] not in channels:
            return _invalid("Provided request body contains errors.")
        for name in ("email", "metadata", "sales_channel_id"):
            if name in body:
                cart[name] = body[name]
        customer = self.customers.get(cart["customer_id"] or "")
        if body.get("email") and (customer is None or not customer["has_account"]):
            cart["customer_id"] = self._guest(body["email"])
        for name in ("shipping_address", "billing_address"):
            if name in body:
                cart[name] = _address(body[name])
        if "promo_codes" in body:
            cart["promotions"] = []
            return self._promotions(cart, {"promo_codes": body["promo_codes"]}, add=True)
        return None

    def _guest(self, email: Any) -> str | None:
        """The guest customer (no account) Medusa makes for a cart's email, as it does."""
        if not email:
            return None
        for customer in self.customers.values():
            if customer["email"] == email and not customer["has_account"]:
                return str(customer["id"])
        guest = self._new_customer(str(email), {}, has_account=False)
        return str(guest["id"])

    def _variant(self, variant_id: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        for product in self._m.products.values():
            if product["status"] != "published" or product["deleted_at"]:
                continue
            for variant in product["variants"]:
                if variant["id"] == variant_id:
                    return product, variant
        return None

    def _add_item(self, cart: dict[str, Any], body: Mapping[str, Any]) -> FakeResponse | None:
        quantity = body.get("quantity")
        if not isinstance(quantity, int | float) or quantity < 1:
            return _too_small("quantity")
        variant_id = str(body.get("variant_id"))
        found = self._variant(variant_id)
        if found is None:
            return _invalid(
                f"Variants {variant_id} do not exist or belong to a product that is not published"
            )
        product, variant = found
        line = next((i for i in cart["items"] if i["variant_id"] == variant_id), None)
        wanted = quantity + (line["quantity"] if line else 0)
        if not _stock_ok(variant, wanted):
            return INSUFFICIENT
        price = next(
            (p["amount"] for p in variant["prices"] if p["currency_code"] == cart["currency_code"]),
            None,
        )
        if price is None:
            return _invalid(f"Items {variant_id} do not have a price")
        if line is not None:
            line["quantity"] = wanted
            return None
        cart["items"].append(
            {
                "id": f"cali_{ulid()}",
                "title": product["title"],
                "quantity": quantity,
                "unit_price": price,
                "variant_id": variant_id,
                "product_id": product["id"],
                "product_handle": product["handle"],
                "product_title": product["title"],
                "variant_sku": variant.get("sku"),
                "variant_title": variant.get("title"),
                "thumbnail": product.get("thumbnail"),
                "requires_shipping": True,
                "metadata": body.get("metadata") or {},
            }
        )
        return None

    def _set_quantity(
        self, cart: dict[str, Any], line_id: str, body: Mapping[str, Any]
    ) -> FakeResponse | None:
        line = next((i for i in cart["items"] if i["id"] == line_id), None)
        if line is None:
            return _not_found(f"Line item with id: {line_id} was not found")
        quantity = body.get("quantity")
        if not isinstance(quantity, int | float) or quantity < 0:
            return _too_small("quantity")
        if quantity == 0:
            cart["items"].remove(line)
            return None
        found = self._variant(line["variant_id"])
        if found is not None and not _stock_ok(found[1], quantity):
            return INSUFFICIENT
        line["quantity"] = quantity
        return None

    def _ship(self, cart: dict[str, Any], body: Mapping[str, Any]) -> FakeResponse | None:
        option = self.shipping_options.get(str(body.get("option_id")))
        if option is None or option["id"] not in {o["id"] for o in self._options_for(cart)}:
            return _invalid("Shipping Options are invalid for cart.")
        cart["shipping_methods"] = [
            {
                "id": f"casm_{ulid()}",
                "name": None,
                "amount": option["amount"],
                "shipping_option_id": option["id"],
                "data": body.get("data") or {},
            }
        ]
        return None

    def _promotions(
        self, cart: dict[str, Any], body: Mapping[str, Any], *, add: bool
    ) -> FakeResponse | None:
        codes = body.get("promo_codes")
        if not isinstance(codes, list):
            return _invalid("Invalid request: Field 'promo_codes' is required")
        if not add:
            cart["promotions"] = [c for c in cart["promotions"] if c not in codes]
            return None
        for code in codes:
            if code not in self.promotions:
                return _invalid(f"The promotion code {code} is invalid")
            if code not in cart["promotions"]:
                cart["promotions"].append(code)
        return None

    def _changed(self, cart: dict[str, Any]) -> None:
        """Medusa re-prices the payment collection and drops its sessions on any change."""
        cart["updated_at"] = self._m._clock.now()
        collection = self.collections.get(cart["payment_collection_id"] or "")
        if collection is not None:
            collection["amount"] = self._totals(cart)["total"]
            collection["payment_sessions"] = []

    # ================================================================ totals and views
    def _totals(self, cart: Mapping[str, Any]) -> dict[str, Any]:
        item_subtotal = sum(i["quantity"] * i["unit_price"] for i in cart["items"])
        percent = sum(
            self.promotions[c]["application_method"]["value"]
            for c in cart["promotions"]
            if c in self.promotions
        )
        discount = round(item_subtotal * min(percent, 100) / 100, 2)
        shipping = sum(m["amount"] for m in cart["shipping_methods"])
        return {
            "item_subtotal": item_subtotal,
            "item_total": item_subtotal - discount,
            "item_discount_total": discount,
            "shipping_subtotal": shipping,
            "shipping_total": shipping,
            "discount_total": discount,
            "tax_total": 0,
            "subtotal": item_subtotal + shipping,
            "original_total": item_subtotal + shipping,
            "total": item_subtotal + shipping - discount,
        }

    def _cart_view(self, cart: Mapping[str, Any]) -> dict[str, Any]:
        hidden = ("payment_collection_id", "order_id")
        view = {k: copy.deepcopy(v) for k, v in cart.items() if k not in hidden}
        view["promotions"] = [copy.deepcopy(self.promotions[c]) for c in cart["promotions"]]
        collection = self.collections.get(cart["payment_collection_id"] or "")
        view["payment_collection"] = copy.deepcopy(collection)
        view.update(self._totals(cart))
        return view

    def _cart_response(self, cart: Mapping[str, Any]) -> FakeResponse:
        return FakeResponse(200, {"cart": self._cart_view(cart)})

    def _options_for(self, cart: Mapping[str, Any]) -> list[dict[str, Any]]:
        country = (cart.get("shipping_address") or {}).get("country_code")
        return [
            o
            for o in self.shipping_options.values()
            if country is None or str(country).lower() in o["countries"]
        ]

    def _list_options(self, q: Mapping[str, Any]) -> FakeResponse:
        cart = self.carts.get(str(q.get("cart_id")))
        if cart is None:
            return _not_found(f"Cart id not found: {q.get('cart_id')}")
        views = []
        for option in self._options_for(cart):
            view = {k: copy.deepcopy(v) for k, v in option.items() if k != "countries"}
            view["calculated_price"] = {
                "calculated_amount": option["amount"],
                "original_amount": option["amount"],
                "currency_code": cart["currency_code"],
            }
            view["insufficient_inventory"] = False
            views.append(view)
        return self._m._list("shipping_options", views, {})

    def _calculate_option(self, body: Any) -> FakeResponse:
        """``POST /store/shipping-options/{id}/calculate`` as Medusa 2.21.2 answers it.

        The body is checked first (400 ``invalid_data``). Then Medusa asks the option's
        fulfillment provider for a price whatever its ``price_type``: every option here is on
        the ``manual_manual`` provider, which cannot compute one, so the answer is the 500
        ``unknown_error`` Medusa gives, as it does for an unknown option or cart (its route and
        workflow fail on the missing record).
        """
        body = body if isinstance(body, Mapping) else {}
        problems = []
        cart_id = body.get("cart_id")
        if cart_id is None:
            problems.append("Field 'cart_id' is required")
        elif not isinstance(cart_id, str):
            problems.append(f"Expected type: 'string' for field 'cart_id', got: '{cart_id}'")
        data = body.get("data")
        if data is not None and not isinstance(data, Mapping):
            problems.append(f"Expected type: 'record' for field 'data', got: '{data}'")
        unknown = [k for k in body if k not in ("cart_id", "data")]
        if unknown:
            problems.append(f"Unrecognized fields: '{', '.join(unknown)}'")
        if problems:
            return _invalid("Invalid request: " + "; ".join(problems))
        return UNKNOWN_ERROR

    # ================================================================ payment and completion
    def _payment(self, request: FakeRequest, seg: list[str]) -> FakeResponse:
        body = request.json() or {}
        if not seg:
            cart = self.carts.get(str(body.get("cart_id")))
            if cart is None:
                return _not_found(f"Cart id not found: {body.get('cart_id')}")
            collection = self.collections.get(cart["payment_collection_id"] or "")
            if collection is None:
                collection = {
                    "id": f"pay_col_{ulid()}",
                    "currency_code": cart["currency_code"],
                    "amount": self._totals(cart)["total"],
                    "status": "not_paid",
                    "payment_sessions": [],
                    "cart_id": cart["id"],
                }
                self.collections[collection["id"]] = collection
                cart["payment_collection_id"] = collection["id"]
            return FakeResponse(200, {"payment_collection": copy.deepcopy(collection)})
        collection = self.collections.get(seg[0])
        if collection is None or seg[1:] != ["payment-sessions"]:
            return _not_found(f"Payment collection with id: {seg[0]} was not found")
        cart = self.carts[collection["cart_id"]]
        provider = body.get("provider_id")
        if provider != SYSTEM_PROVIDER:
            return _invalid(
                f"Payment provider {provider} is not enabled in the cart's region "
                f"{cart['region_id']}."
            )
        collection["payment_sessions"] = [
            {
                "id": f"payses_{ulid()}",
                "provider_id": provider,
                "amount": collection["amount"],
                "currency_code": collection["currency_code"],
                "status": "pending",
                "data": body.get("data") or {},
            }
        ]
        return FakeResponse(200, {"payment_collection": copy.deepcopy(collection)})

    def _complete(self, cart: dict[str, Any]) -> FakeResponse:
        if cart["completed_at"] is not None:
            order = self._m.orders[cart["order_id"]]
            return FakeResponse(200, {"type": "order", "order": copy.deepcopy(order)})
        if not cart["items"]:
            return _invalid("Cannot complete a cart with no items")
        collection = self.collections.get(cart["payment_collection_id"] or "")
        if collection is None:
            return _invalid("Payment collection has not been initiated for cart")
        if not collection["payment_sessions"]:
            return _invalid("Payment sessions are required to complete cart")
        if cart["items"] and not cart["shipping_methods"]:
            return _invalid(
                "No shipping method selected but the cart contains items that require shipping."
            )
        for line in cart["items"]:
            found = self._variant(line["variant_id"])
            if found is None or not _stock_ok(found[1], line["quantity"]):
                return INSUFFICIENT
        for line in cart["items"]:
            found = self._variant(line["variant_id"])
            if found is not None and found[1]["manage_inventory"]:
                found[1]["inventory_quantity"] -= line["quantity"]
        order = self._order_of(cart)
        self._m.orders[order["id"]] = order
        now = self._m._clock.now()
        cart["completed_at"], cart["order_id"] = now, order["id"]
        collection["status"] = "authorized"
        collection["payment_sessions"][0]["status"] = "authorized"
        return FakeResponse(200, {"type": "order", "order": copy.deepcopy(order)})

    def _order_of(self, cart: Mapping[str, Any]) -> dict[str, Any]:
        now = self._m._clock.now()
        return {
            "id": f"order_{ulid()}",
            "display_id": len(self._m.orders) + 1,
            "status": "pending",
            "email": cart["email"],
            "currency_code": cart["currency_code"],
            "region_id": cart["region_id"],
            "sales_channel_id": cart["sales_channel_id"],
            "customer_id": cart["customer_id"],
            "payment_status": "authorized",
            "fulfillment_status": "not_fulfilled",
            "items": [
                {
                    "id": f"ordli_{ulid()}",
                    **{
                        k: copy.deepcopy(i[k])
                        for k in ("title", "quantity", "unit_price", "variant_id", "product_id")
                    },
                }
                for i in cart["items"]
            ],
            "shipping_address": copy.deepcopy(cart["shipping_address"]),
            "billing_address": copy.deepcopy(cart["billing_address"]),
            **self._totals(cart),
            "metadata": None,
            "created_at": now,
            "updated_at": now,
        }

    # ================================================================ customers and orders
    def _customers(
        self, request: FakeRequest, seg: list[str], actor: dict[str, Any] | None
    ) -> FakeResponse:
        method = request.method
        body = request.json() if method == "POST" else None
        body = body if isinstance(body, Mapping) else {}
        if not seg and method == "POST":
            return self._create_customer(request, body)
        if seg[:1] != ["me"] or actor is None:
            return UNAUTHORIZED if seg[:1] == ["me"] else _nope(request)
        rest = seg[1:]
        if not rest and method in ("GET", "POST"):
            for name in ("first_name", "last_name", "phone", "company_name", "metadata"):
                if name in body:
                    actor[name] = body[name]
            return FakeResponse(200, {"customer": copy.deepcopy(actor)})
        if rest == ["addresses"] and method == "GET":
            return self._m._list("addresses", copy.deepcopy(actor["addresses"]), request.query)
        if rest == ["addresses"] and method == "POST":
            address: dict[str, Any] = {
                "id": f"cuaddr_{ulid()}",
                "customer_id": actor["id"],
                "address_name": body.get("address_name"),
                "is_default_shipping": bool(body.get("is_default_shipping", False)),
                "is_default_billing": bool(body.get("is_default_billing", False)),
                **{k: body.get(k) for k in ADDRESS_FIELDS},
            }
            actor["addresses"].append(address)
            return FakeResponse(200, {"customer": copy.deepcopy(actor)})
        if len(rest) == 2 and rest[0] == "addresses":
            found = next((a for a in actor["addresses"] if a["id"] == rest[1]), None)
            if found is None:
                return _not_found(f"Address with id: {rest[1]} was not found")
            if method == "GET":
                return FakeResponse(200, {"address": copy.deepcopy(found)})
            if method == "POST":
                found.update({k: v for k, v in body.items() if k in found and k != "id"})
                return FakeResponse(200, {"customer": copy.deepcopy(actor)})
            if method == "DELETE":
                actor["addresses"].remove(found)
                return FakeResponse(
                    200,
                    {
                        "id": rest[1],
                        "object": "customer_address",
                        "deleted": True,
                        "parent": copy.deepcopy(actor),
                    },
                )
        return _nope(request)

    def _create_customer(self, request: FakeRequest, body: Mapping[str, Any]) -> FakeResponse:
        claims = self._claims(request)
        if claims is None:
            return UNAUTHORIZED
        if claims["actor_id"]:
            return _invalid("Request already authenticated as a customer.")
        email = str(body.get("email") or claims["email"])
        if any(c["email"] == email and c["has_account"] for c in self.customers.values()):
            return FakeResponse(
                422,
                {
                    "code": "invalid_request_error",
                    "type": "duplicate_error",
                    "message": "Customer with this email already has an account",
                },
            )
        customer = self._new_customer(email, body, has_account=True)
        identity = self.identities.get(claims["email"])
        if identity is not None:
            identity["customer_id"] = customer["id"]
        return FakeResponse(200, {"customer": copy.deepcopy(customer)})

    def _new_customer(
        self, email: str, body: Mapping[str, Any], *, has_account: bool
    ) -> dict[str, Any]:
        now = self._m._clock.now()
        customer: dict[str, Any] = {
            "id": f"cus_{ulid()}",
            "email": email,
            "first_name": body.get("first_name"),
            "last_name": body.get("last_name"),
            "phone": body.get("phone"),
            "company_name": body.get("company_name"),
            "has_account": has_account,
            "default_billing_address_id": None,
            "default_shipping_address_id": None,
            "addresses": [],
            "metadata": body.get("metadata"),
            "created_at": now,
            "updated_at": now,
        }
        self.customers[str(customer["id"])] = customer
        return customer

    def _orders(
        self, request: FakeRequest, seg: list[str], actor: dict[str, Any] | None
    ) -> FakeResponse:
        if request.method != "GET":
            return _nope(request)
        if not seg:
            if actor is None:
                return UNAUTHORIZED
            mine = [
                copy.deepcopy(o) for o in self._m.orders.values() if o["customer_id"] == actor["id"]
            ]
            return self._m._list("orders", mine, request.query)
        order = self._m.orders.get(seg[0])
        if order is None:
            return _not_found(f"Order id not found: {seg[0]}")
        return FakeResponse(200, {"order": self._m._select(order, request.query)})


def _stock_ok(variant: Mapping[str, Any], quantity: float) -> bool:
    if not variant.get("manage_inventory") or variant.get("allow_backorder"):
        return True
    return float(variant.get("inventory_quantity") or 0) >= quantity


def _nope(request: FakeRequest) -> FakeResponse:
    return FakeResponse(404, f"<pre>Cannot {request.method} {request.path}</pre>")
