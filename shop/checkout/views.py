"""Thin views over shop/checkout/services.py: the one-page checkout, the card step, the thank-you page."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from oscar.core.loading import get_class, get_model

from catalogue.models import AdministrativeUnit
from livestream.customer import customer_remember
from shop.payments.gateways import gateway_for
from shop.payments.stripe_flow import stripe_intent_ensure
from users.privacy.consent import order_consent_given

from .forms import CheckoutForm
from .services import CheckoutRefused, DeliveryDetails, basket_summary, order_for_token, order_place

Order = get_model("order", "Order")
Applicator = get_class("offer.applicator", "Applicator")
SESSION_ORDER = "checkout_order_id"
SESSION_ADDRESS = "checkout_last_address"
SESSION_TOKENS = "checkout_tokens"  # the checkouts this browser placed: a resubmit of one returns its order


def _last_address(request) -> dict:
    """The address used last time: from the account's last order, or this browser's last checkout."""
    if request.user.is_authenticated:
        order = (
            Order.objects.filter(user=request.user, shipping_address__isnull=False)
            .select_related("shipping_address", "delivery")
            .order_by("-date_placed")
            .first()
        )
        if order and hasattr(order, "delivery"):
            address = order.shipping_address
            return {
                "full_name": address.first_name,
                "phone": str(address.phone_number or ""),
                "street": address.line1,
                "province": order.delivery.province_id,
                "commune": order.delivery.commune_id,
            }
        return {"full_name": request.user.get_full_name()}
    return dict(request.session.get(SESSION_ADDRESS, {}))


def _summary(request, source):
    """The basket's totals for what the shopper chose (delivery to a province, or pickup), and the showrooms that
    could hand the whole basket over."""
    from showrooms.selectors import showrooms_for_pickup

    lines = list(request.basket.all_lines())
    showrooms = showrooms_for_pickup(lines=lines)
    pickup = bool(showrooms) and source.get("delivery_method") == CheckoutForm.PICKUP
    province = source.get("province")
    if isinstance(province, str):
        province = int(province) if province.isdigit() else None
    summary = basket_summary(basket=request.basket, province_id=None if pickup else province, pickup=pickup)
    return summary, showrooms


class CheckoutView(View):
    template_name = "shop/checkout/checkout.html"

    def dispatch(self, request, *args, **kwargs):
        token = request.POST.get("checkout_token", "") if request.method == "POST" else ""
        placed_here = token in request.session.get(SESSION_TOKENS, [])
        if placed_here and (order := order_for_token(token)) is not None:
            # The same checkout again (double click, or a retry after a lost response): the order already exists.
            request.session[SESSION_ORDER] = order.pk
            return redirect(gateway_for(order.ocop_payment.method).next_url(order) or reverse("checkout:thank-you"))
        if request.basket.is_empty:
            messages.info(request, _("Giỏ hàng đang trống."))
            return redirect("basket:summary")
        blocked = []
        lines = request.basket.all_lines() if request.method == "GET" else []  # a POST is checked under lock
        for line in lines:
            permitted, reason = line.purchase_info.availability.is_purchase_permitted(line.quantity)
            if not permitted:
                blocked.append(f"“{line.product.get_title()}”: {reason}")
        if blocked:  # e.g. a certificate expired while the product sat in the basket
            for message in blocked:
                messages.warning(request, message)
            return redirect("basket:summary")
        return super().dispatch(request, *args, **kwargs)

    def _form(self, request, data=None, chosen=None):
        initial = {**_last_address(request), **(chosen or {}), "checkout_token": uuid.uuid4().hex}
        source = data if data is not None else initial
        summary, showrooms = _summary(request, source)  # one quote per page
        form = CheckoutForm(
            data,
            user=request.user,
            initial=initial,
            needs_visit_date=summary.quote.has_services,
            needs_age_check=summary.needs_age_check,
            needs_address=summary.quote.needs_shipping,
            pickup_showrooms=showrooms,
        )
        form.fields["fingerprint"].initial = summary.fingerprint
        return form, summary

    def get(self, request):
        form, summary = self._form(request)
        return self._render(request, form, summary)

    def post(self, request):
        data = request.POST.copy()
        form, summary = self._form(request, data)
        if "choose_province" in data:  # without JavaScript: reload the commune list for the chosen province
            chosen = {k: v for k, v in data.items() if k not in ("checkout_token", "fingerprint", "csrfmiddlewaretoken")}
            form, summary = self._form(request, chosen=chosen)
            return self._render(request, form, summary)
        if not form.is_valid():
            return self._render(request, form, summary, status=400)
        cleaned = form.cleaned_data
        details = DeliveryDetails(
            full_name=cleaned["full_name"],
            phone=cleaned["phone"],
            email=request.user.email if request.user.is_authenticated else cleaned["email"],
            province=cleaned.get("province"),
            commune=cleaned.get("commune"),
            street=cleaned.get("street", ""),
            visit_date=cleaned.get("visit_date"),
            age_confirmed=cleaned.get("age_confirmed", False),
            note=cleaned.get("note", ""),
            pickup_showroom=cleaned.get("pickup_showroom") if form.is_pickup else None,
        )
        customer_remember(request, email=details.email, phone=details.phone)  # a re-render counts their quota
        try:
            with order_consent_given(email=details.email):  # the order records the ticked consent in its transaction
                order = order_place(
                    basket=request.basket,
                    user=request.user,
                    details=details,
                    method=cleaned["payment_method"],
                    checkout_token=cleaned["checkout_token"],
                    fingerprint=cleaned["fingerprint"],
                    request=request,
                )
        except CheckoutRefused as refused:
            for message in refused.messages:
                messages.error(request, message)
            request.basket.reset_offer_applications()  # now knowing who buys (live-price quota): apply afresh
            Applicator().apply(request.basket, request.user, request)
            data["fingerprint"] = _summary(request, data)[0].fingerprint
            form, summary = self._form(request, data)
            form.is_valid()
            return self._render(request, form, summary, status=409)
        request.session[SESSION_ORDER] = order.pk
        request.session[SESSION_TOKENS] = [*request.session.get(SESSION_TOKENS, [])[-9:], cleaned["checkout_token"]]
        if not request.user.is_authenticated and not details.pickup_showroom:  # a pickup keeps the last address
            request.session[SESSION_ADDRESS] = {
                "full_name": details.full_name,
                "phone": details.phone,
                "street": details.street,
                "province": details.province.pk if details.province else None,
                "commune": details.commune.pk if details.commune else None,
                "email": details.email,
            }
        next_url = gateway_for(order.ocop_payment.method).next_url(order)
        return redirect(next_url or reverse("checkout:thank-you"))

    def _render(self, request, form, summary, status=200):
        context = {"form": form, "summary": summary, "basket": request.basket}
        return render(request, self.template_name, context, status=status)


class CommuneOptionsView(View):
    """The communes/wards of a province, as <option>s for the address form's second select."""

    def get(self, request):
        province = request.GET.get("province", "")
        communes = (
            AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE, parent_id=province)
            .order_by("name")
            .values_list("pk", "name")
            if province.isdigit()
            else []
        )
        return render(request, "shop/checkout/commune_options.html", {"communes": communes})


class QuoteView(View):
    """Shipping and total for a destination province, with the fingerprint the order form must carry."""

    def get(self, request):
        from django.http import JsonResponse

        from shop.templatetags.shop_tags import dong

        summary, _showrooms = _summary(request, request.GET)
        return JsonResponse(
            {
                "shipping": dong(summary.quote.total) if summary.quote.total else _("Miễn phí"),
                "total": dong(summary.total),
                "fingerprint": summary.fingerprint,
            }
        )


def _session_order(request):
    order_id = request.session.get(SESSION_ORDER)
    if not order_id:
        raise Http404
    return Order.objects.select_related("ocop_payment", "delivery").get(pk=order_id)


class ThankYouView(View):
    def get(self, request):
        order = _session_order(request)
        payment = order.ocop_payment
        if request.GET.get("redirect_status") == "failed" and payment.status == "pending":  # back from Stripe
            messages.error(request, _("Thanh toán thẻ chưa thành công. Bạn có thể thử lại bằng thẻ khác."))
        gateway = gateway_for(payment.method)
        instructions = gateway.instructions(payment) if payment.method == "vietqr" and payment.status == "pending" else None
        return render(
            request,
            "shop/checkout/thank_you.html",
            {"order": order, "payment": payment, "instructions": instructions, "parts": order.parts.select_related("producer")},
        )


class CardPaymentView(View):
    """The card step: Stripe's Payment Element confirms the PaymentIntent in the browser; the webhook marks it paid."""

    def get(self, request, number=None, key=None):
        if number is not None:  # from the order page or the email, on any device
            from shop.fulfilment.selectors import order_for_shopper

            order = order_for_shopper(number=number, key=key)
            request.session[SESSION_ORDER] = order.pk
        else:
            order = _session_order(request)
        payment = order.ocop_payment
        if payment.method != "stripe" or payment.status != "pending":
            return redirect("checkout:thank-you")
        intent = stripe_intent_ensure(payment=payment)
        return render(
            request,
            "shop/checkout/card.html",
            {
                "order": order,
                "payment": payment,
                "client_secret": intent["client_secret"],
                "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
                "return_url": request.build_absolute_uri(reverse("checkout:thank-you")),
            },
        )
