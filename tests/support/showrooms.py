"""Builders for showroom tests: showrooms, their clerks, stock on the shelf."""

import itertools
from decimal import Decimal

from catalogue.models import AdministrativeUnit
from showrooms.models import Showroom, ShowroomMembership
from showrooms.services import shelf_receive

_seq = itertools.count(1)


def an_giang_commune(name="Châu Đốc"):
    """A commune/ward of An Giang from the seeded reference data (Châu Đốc by default)."""
    communes = AdministrativeUnit.objects.filter(level="commune", parent__name__contains="An Giang")
    return communes.filter(name__contains=name).first() or communes.order_by("code").first()


def make_showroom(*, name=None, code=None, area=None, **fields):
    n = next(_seq)
    fields.setdefault("street_address", f"{n} Nguyễn Văn Thoại")
    fields.setdefault("latitude", Decimal("10.705100"))
    fields.setdefault("longitude", Decimal("105.116900"))
    return Showroom.objects.create(
        name=name or f"Điểm OCOP thử {n}", code=code or f"diem-thu-{n}", area=area or an_giang_commune(), **fields
    )


def make_clerk(django_user_model, *showrooms, email=None):
    """A showroom clerk: not staff; works at the given showrooms."""
    user = django_user_model.objects.create_user(email=email or f"nhanvien{next(_seq)}@example.vn", password="pw-1234567")
    for showroom in showrooms:
        ShowroomMembership.objects.create(showroom=showroom, user=user)
    return user


def stock_shelf(showroom, product, quantity, *, actor=None):
    """Put units on a shelf the way a clerk does (a delivery movement)."""
    return shelf_receive(showroom=showroom, product=product, quantity=quantity, actor=actor)
