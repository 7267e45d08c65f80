from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from shop.readonly_admin import ReadOnlyAdmin

from .models import PrivacyConsent, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Email is the login; Oscar's admins autocomplete users by it (pitfall P5)."""

    ordering = ["email"]
    search_fields = ["email", "first_name", "last_name"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("first_name", "last_name")}),
        (_("Quyền"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Ngày quan trọng"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(PrivacyConsent)
class PrivacyConsentAdmin(ReadOnlyAdmin):
    """Proof of consent: read by staff (e.g. to answer an inspection), never written by hand."""

    list_display = ["given_at", "purpose", "notice_version", "user", "order_number"]
    list_filter = ["purpose", "notice_version"]
    search_fields = ["order_number", "user__email", "email"]
    list_select_related = ["user"]
    date_hierarchy = "given_at"
