"""The producer area (phone first) and programme staff's approvals. Thin: forms, then a service."""

import uuid

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import login
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from oscar.core.loading import get_model

from catalogue.certification import ocop_today
from shop.errors import ActionRefused
from shop.security.ratelimits import rate_limited
from users.privacy.services import consent_record
from shop.fulfilment.selectors import producers_of_user

from . import selectors, services
from .access import ProducerAreaMixin
from .forms import ExternalSaleForm, InviteForm, ProductCreateForm, ProductForm, ProfileForm, RegisterForm, StockForm
from .models import ProductChange, StockMovement

Partner = get_model("partner", "Partner")
SESSION_CREATED = "seller_created_products"  # form key → product, so a double submit creates one product
SESSION_STOCK_KEYS = "seller_stock_keys"


class SellerHomeView(ProducerAreaMixin, View):
    def get(self, request):
        return render(request, "shop/listings/home.html", {
            "notices": selectors.seller_notices(user=request.user),
            "producers": producers_of_user(request.user),
        })


class ProductListView(ProducerAreaMixin, View):
    def get(self, request):
        products = list(selectors.products_of_seller(user=request.user))
        today = ocop_today()
        for product in products:
            product.listing_code, product.listing_words = selectors.listing_status(product, today)
            product.record = next(iter(product.stockrecords.all()), None)
            product.first_image = next(iter(product.images.all()), None)
        return render(request, "shop/listings/product_list.html", {"products": products})


class ProductCreateView(ProducerAreaMixin, View):
    def get(self, request):
        form = ProductCreateForm(initial={"key": uuid.uuid4().hex}, producers=producers_of_user(request.user))
        return render(request, "shop/listings/product_form.html", {"form": form, "creating": True})

    def post(self, request):
        done = request.session.get(SESSION_CREATED, {})
        if request.POST.get("key") in done:  # the same form sent twice: one product
            return redirect("seller:product-edit", pk=done[request.POST["key"]])
        form = ProductCreateForm(request.POST, request.FILES, producers=producers_of_user(request.user))
        if not form.is_valid():
            return render(request, "shop/listings/product_form.html", {"form": form, "creating": True}, status=400)
        product = services.product_create(
            producer=form.cleaned_data.get("producer") or self.producer(), user=request.user, data=form.cleaned_data,
            image=form.cleaned_data["image"],
        )
        if form.cleaned_data.get("key"):
            request.session[SESSION_CREATED] = {**dict(list(done.items())[-19:]), form.cleaned_data["key"]: product.pk}
        messages.success(request, _("Đã thêm “%(title)s”. Sản phẩm chờ Ban điều phối ghi nhận chứng nhận OCOP trước khi bán.")
                         % {"title": product.title})
        return redirect("seller:product-edit", pk=product.pk)


class ProductEditView(ProducerAreaMixin, View):
    template_name = "shop/listings/product_form.html"

    def _context(self, product, form=None, stock_form=None):
        record = next(iter(product.stockrecords.all()), None)
        initial = {
            "title": product.title, "ocop_product_set": product.ocop_product_set_id, "description": product.description,
            "weight_grams": product.weight_grams, "volume_ml": product.volume_ml,
            "shelf_life_days": product.shelf_life_days, "ingredients": product.ingredients,
            "raw_material_origin": product.raw_material_origin, "price": int(record.price) if record else None,
        }
        code, words = selectors.listing_status(product)
        return {
            "product": product, "record": record, "form": form or ProductForm(initial=initial),
            "stock_form": stock_form or StockForm(initial={"key": uuid.uuid4().hex}),
            "listing_code": code, "listing_words": words,
            "pending": product.pending_changes.filter(status="pending").first(),
            "edits": product.edits.select_related("user")[:20],
            "movements": record.movements.select_related("user")[:10] if record else [],
        }

    def get(self, request, pk):
        product = selectors.product_for_seller(user=request.user, pk=pk)
        return render(request, self.template_name, self._context(product))

    def post(self, request, pk):
        product = selectors.product_for_seller(user=request.user, pk=pk)
        form = ProductForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, self._context(product, form=form), status=400)
        try:
            change = services.product_update(product=product, user=request.user, data=form.cleaned_data,
                                             image=form.cleaned_data["image"])
        except ActionRefused as refused:
            messages.error(request, str(refused))
            return redirect("seller:product-edit", pk=product.pk)
        if change:
            messages.info(request, _("Đã lưu. Thay đổi tên, nhóm, khối lượng, thể tích hoặc ảnh chính chờ Ban điều phối "
                                     "duyệt; trong lúc chờ, phiên bản đã duyệt vẫn được bán."))
        else:
            messages.success(request, _("Đã lưu."))
        return redirect("seller:product-edit", pk=product.pk)


class ProductStockView(ProducerAreaMixin, View):
    def post(self, request, pk):
        product = selectors.product_for_seller(user=request.user, pk=pk)
        record = get_object_or_404(product.stockrecords.filter(partner_id=product.producer_id))
        form = StockForm(request.POST)
        used = request.session.get(SESSION_STOCK_KEYS, [])
        if form.is_valid() and form.cleaned_data["key"] and form.cleaned_data["key"] in used:
            return redirect("seller:product-edit", pk=product.pk)  # the same delivery sent twice: added once
        if form.is_valid():
            data = form.cleaned_data
            if data["key"]:
                request.session[SESSION_STOCK_KEYS] = [*used[-19:], data["key"]]
            try:
                if data["mode"] == "receive":
                    services.stock_move(stockrecord=record, delta=data["quantity"], user=request.user,
                                        reason=StockMovement.Reason.DELIVERY, note=data["note"])
                else:
                    services.stock_set(stockrecord=record, level=data["quantity"], user=request.user, note=data["note"])
                messages.success(request, _("Đã cập nhật tồn kho."))
            except ActionRefused as refused:
                messages.error(request, str(refused))
        else:
            messages.error(request, _("Số lượng không hợp lệ."))
        return redirect("seller:product-edit", pk=product.pk)


class SalesView(ProducerAreaMixin, View):
    template_name = "shop/listings/sales.html"

    def _render(self, request, form=None, status=200):
        products = selectors.products_of_seller(user=request.user)
        form = form or ExternalSaleForm(products=products, initial={"key": uuid.uuid4().hex, "sold_on": ocop_today()})
        summary = selectors.sales_summary(user=request.user, month=ocop_today())
        return render(request, self.template_name, {"form": form, "summary": summary}, status=status)

    def get(self, request):
        return self._render(request)

    def post(self, request):
        from decimal import Decimal

        form = ExternalSaleForm(request.POST, products=selectors.products_of_seller(user=request.user))
        if not form.is_valid():
            return self._render(request, form, status=400)
        data = form.cleaned_data
        try:
            services.external_sale_record(
                producer=data["product"].producer, product=data["product"], quantity=data["quantity"],
                amount=Decimal(data["amount"]), platform=data["platform"], sold_on=data["sold_on"],
                user=request.user, key=data["key"], note=data["note"],
            )
            messages.success(request, _("Đã ghi nhận doanh số."))
        except ActionRefused as refused:
            messages.error(request, str(refused))
        return redirect("seller:sales")


class ProfileView(ProducerAreaMixin, View):
    def get(self, request):
        producer = self.producer()
        initial = {f: getattr(producer, f) for f in ProfileForm.base_fields if hasattr(producer, f)}
        return render(request, "shop/listings/profile.html", {"form": ProfileForm(initial=initial), "producer": producer,
                                                              "producers": producers_of_user(request.user)})

    def post(self, request):
        producer = self.producer()
        if request.POST.get("delete_photo", "").isdigit():
            services.producer_photo_delete(producer=producer, photo_id=int(request.POST["delete_photo"]))
            return redirect("seller:profile")
        form = ProfileForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, "shop/listings/profile.html", {"form": form, "producer": producer}, status=400)
        services.producer_profile_update(producer=producer, data=form.cleaned_data)
        messages.success(request, _("Đã lưu hồ sơ."))
        return redirect("seller:profile")


@method_decorator(rate_limited("register"), name="post")  # account creation, per client IP (README: Production)
class RegisterView(View):
    def get(self, request):
        return render(request, "shop/listings/register.html", {"form": RegisterForm()})

    def post(self, request):
        form = RegisterForm(request.POST)
        if not form.is_valid():
            return render(request, "shop/listings/register.html", {"form": form}, status=400)
        data = form.cleaned_data
        with transaction.atomic():  # the account and its consent to the privacy notice together
            producer, user = services.producer_register(
                name=data["name"], kind=data["kind"], commune=data["commune"], representative=data["representative"],
                phone=data["phone"], email=data["email"], password=data["password"],
            )
            consent_record(purpose="account", user=user)
        login(request, user, backend="shop.security.auth_backends.EmailBackend")
        messages.success(request, _("Đã đăng ký. Ban điều phối sẽ duyệt hồ sơ; trong lúc chờ, bạn có thể thêm sản phẩm."))
        return redirect("seller:home")


class JoinView(LoginRequiredMixin, View):
    """An existing account accepts an invitation from the link in its own mailbox."""

    def get(self, request, token):
        try:
            producer = services.producer_join(token=token, user=request.user)
        except ActionRefused as refused:
            messages.error(request, str(refused))
            return redirect("/")
        messages.success(request, _("Bạn đã tham gia %(name)s.") % {"name": producer.name})
        return redirect("seller:home")


# ---------------------------------------------------------------- programme staff
# Programme staff: staff who may record certificates (what these screens lead to makes products sellable).
programme_staff = [staff_member_required, permission_required("catalogue.add_certificate", raise_exception=True)]


@method_decorator(programme_staff, name="dispatch")
class ChangeReviewView(View):
    def get(self, request):
        changes = ProductChange.objects.filter(status="pending").select_related("product__producer", "created_by")
        # The product form turns a proposed OCOP set id into its name. Its choices are read once here: the template
        # looks them up for every change (current and proposed), and a model field's choices query on each loop.
        form = ProductForm()
        field = form.fields["ocop_product_set"]
        field.choices = list(field.choices)
        return render(request, "shop/listings/staff_changes.html", {"changes": changes, "form": form})

    def post(self, request):
        change = get_object_or_404(ProductChange, pk=request.POST.get("change"), status="pending")
        approve = request.POST.get("decision") == "approve"
        try:
            services.product_change_decide(change=change, user=request.user, approve=approve,
                                           note=request.POST.get("note", ""), version=request.POST.get("version", ""))
            messages.success(request, _("Đã duyệt thay đổi.") if approve else _("Đã từ chối thay đổi."))
        except ActionRefused as refused:
            messages.error(request, str(refused))
        return redirect("programme:changes")


@method_decorator(programme_staff, name="dispatch")
class ProducerAdminView(View):
    """Producers waiting for approval, and invitations for any producer's users."""

    def get(self, request):
        return render(request, "shop/listings/staff_producers.html", {
            "pending": Partner.objects.filter(approved_at__isnull=True).select_related("area"),
            "producers": Partner.objects.order_by("name").only("code", "name"),
            "form": InviteForm(),
        })

    def post(self, request):
        producer = get_object_or_404(Partner, code=request.POST.get("producer"))
        if request.POST.get("action") == "approve":
            services.producer_approve(producer=producer, user=request.user)
            messages.success(request, _("Đã duyệt %(name)s.") % {"name": producer.name})
        else:
            form = InviteForm(request.POST)
            if form.is_valid():
                try:
                    services.producer_user_invite(producer=producer, email=form.cleaned_data["email"],
                                                  full_name=form.cleaned_data["full_name"], invited_by=request.user)
                    messages.success(request, _("Đã gửi lời mời tới %(email)s.") % {"email": form.cleaned_data["email"]})
                except ActionRefused as refused:
                    messages.error(request, str(refused))
            else:
                messages.error(request, _("Email hoặc họ tên không hợp lệ."))
        return redirect("programme:producers")


@method_decorator(programme_staff, name="dispatch")
class RegistryImportView(View):
    """The province's registry (producers, products, certificates) from a spreadsheet: a dry run with a report
    per row first; then the same file applied, all rows or none."""

    template_name = "shop/listings/staff_registry.html"

    def get(self, request):
        return render(request, self.template_name, {})

    def post(self, request):
        from django.core.cache import cache

        from shop.partner.registry import RegistryError, registry_import

        token = request.POST.get("token", "")
        if request.FILES.get("registry"):
            upload = request.FILES["registry"]
            data, filename, token = upload.read(), upload.name, uuid.uuid4().hex
            cache.set(f"registry-{token}", (data, filename), 3600)
        elif token and (kept := cache.get(f"registry-{token}")):
            data, filename = kept
        else:
            messages.error(request, _("Vui lòng chọn tệp danh sách (XLSX hoặc CSV)."))
            return render(request, self.template_name, {}, status=400)
        apply = request.POST.get("apply") == "1"
        try:
            report = registry_import(data=data, filename=filename, apply=apply, recorded_by=request.user)
        except RegistryError as error:
            messages.error(request, str(error))
            return render(request, self.template_name, {}, status=400)
        if report.applied:
            cache.delete(f"registry-{token}")
            messages.success(request, _("Đã nhập %(n)s dòng.") % {"n": len(report.rows)})
        return render(request, self.template_name, {"report": report, "token": token, "filename": filename,
                                                    "dry_run": not apply}, status=200 if report.ok else 400)
