"""Reads for personal data: what stops an erasure, how long a host's identity checks are kept."""

import datetime as dt

from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalogue.certification import add_months, ocop_today
from shop.fulfilment.selectors import producers_of_user

from .conf import LIVESTREAM_RECORD_YEARS, contact_email

Order = get_model("order", "Order")

ERASED_EMAIL_DOMAIN = "invalid"  # RFC 2606: never delivered


def erased_email(user_id: int) -> str:
    return f"erased-{user_id}@{ERASED_EMAIL_DOMAIN}"


def person_is_erased(user) -> bool:
    return user.email == erased_email(user.pk)


def _active_sessions(*, now: dt.datetime):
    """Sessions a host still has ahead of them: live now, or scheduled and not yet over."""
    from livestream.models import LiveSession

    Status = LiveSession.Status
    return LiveSession.objects.filter(Q(status=Status.LIVE) | Q(status=Status.SCHEDULED, scheduled_end__gt=now))


def _last_session_end():
    """The end of the host's (OuterRef ``user_id``) last session that went on air."""
    from livestream.models import LiveSession

    return (
        LiveSession.objects.filter(host=OuterRef("user_id"), status=LiveSession.Status.ENDED)
        .annotate(end=Coalesce("actual_end", "scheduled_end"))
        .order_by("-end")
        .values("end")[:1]
    )


def _retained_until(*, checked_on: dt.date, last_end: dt.datetime | None) -> dt.date:
    """A check is kept 3 years after the later of the check and the host's last session (Law on E-commerce:
    livestream records 3 years; a check younger than the last session is kept 3 years from the check)."""
    anchor = checked_on
    if last_end is not None:
        anchor = max(anchor, timezone.localdate(last_end))
    return add_months(anchor, 12 * LIVESTREAM_RECORD_YEARS)


def identity_checks_expired(*, today: dt.date | None = None) -> list[int]:
    """The host identity checks whose retention is over: not a host with a session ahead, and 3 years past the later
    of the check and the host's last session (or the check alone if they never went on air)."""
    from livestream.models import HostIdentityCheck

    today = today or ocop_today()
    oldest_kept = add_months(today, -12 * LIVESTREAM_RECORD_YEARS)  # younger checks cannot have expired
    rows = (
        HostIdentityCheck.objects.filter(checked_on__lt=oldest_kept)
        .annotate(
            busy=Exists(_active_sessions(now=timezone.now()).filter(host=OuterRef("user_id"))),
            last_end=Subquery(_last_session_end()),
        )
        .filter(busy=False)
        .values_list("pk", "checked_on", "last_end")
    )
    return [
        pk for pk, checked_on, last_end in rows if _retained_until(checked_on=checked_on, last_end=last_end) < today
    ]


def identity_retained_until(*, user) -> dt.date | None:
    """The last day the law keeps this user's identity checks as a host who went on air; None if they never did."""
    from livestream.models import HostIdentityCheck

    rows = list(
        HostIdentityCheck.objects.filter(user=user)
        .annotate(last_end=Subquery(_last_session_end()))
        .values_list("checked_on", "last_end")
    )
    hosted = [(checked_on, last_end) for checked_on, last_end in rows if last_end is not None]
    if not hosted:
        return None
    return max(_retained_until(checked_on=checked_on, last_end=last_end) for checked_on, last_end in hosted)


def _unfinished_order_numbers(*, user) -> list[str]:
    """Orders still moving: awaiting payment, being prepared or delivered, with an open return or complaint, or a
    refund not yet made."""
    from shop.fulfilment.models import Complaint, FulfilmentPart, ReturnRequest
    from shop.payments.models import Refund

    Status = FulfilmentPart.Status
    moving = Status.AWAITING_PAYMENT, Status.CONFIRMED, Status.PACKED, Status.SHIPPED
    unfinished = Order.objects.filter(user=user).filter(
        Q(status__in=("awaiting_payment", "processing"))
        | Exists(FulfilmentPart.objects.filter(order=OuterRef("pk"), status__in=moving))
        | Exists(ReturnRequest.objects.filter(part__order=OuterRef("pk"), status=ReturnRequest.Status.OPEN))
        | Exists(Complaint.objects.filter(order=OuterRef("pk"), status=Complaint.Status.OPEN))
        | Exists(
            Refund.objects.filter(
                payment__order=OuterRef("pk"), status__in=(Refund.Status.PENDING, Refund.Status.MANUAL)
            )
        )
    )
    return list(unfinished.order_by("date_placed").values_list("number", flat=True))


def erasure_blockers(*, user) -> list[str]:
    """Why this account cannot be erased now, each with what to do; empty when it can."""
    from livestream.models import LiveSession
    from showrooms.models import ShowroomMembership

    office = contact_email()
    problems = []
    if user.is_staff or user.is_superuser:
        problems.append(
            _("Đây là tài khoản cán bộ của Ban điều phối: không tự xoá được. Vui lòng liên hệ Ban điều phối "
              "(%(email)s) để bàn giao công việc và khoá tài khoản.") % {"email": office}
        )
    producers = list(producers_of_user(user).order_by("name").values_list("name", flat=True))
    if producers:
        problems.append(
            _("Bạn đang là người dùng của chủ thể OCOP %(names)s. Vui lòng liên hệ Ban điều phối (%(email)s) để rời "
              "chủ thể trước khi xoá tài khoản.") % {"names": ", ".join(producers), "email": office}
        )
    showrooms = list(
        ShowroomMembership.objects.filter(user=user).order_by("showroom__name").values_list("showroom__name", flat=True)
    )
    if showrooms:
        problems.append(
            _("Bạn đang là nhân viên của điểm bán %(names)s. Vui lòng liên hệ Ban điều phối (%(email)s) để thôi phân "
              "công trước khi xoá tài khoản.") % {"names": ", ".join(showrooms), "email": office}
        )
    upcoming = list(
        _active_sessions(now=timezone.now())
        .filter(host=user)
        .order_by("scheduled_start")
        .values_list("title", flat=True)
    )
    if upcoming:
        problems.append(
            _("Bạn là người dẫn của phiên livestream sắp tới hoặc đang phát (%(titles)s). Vui lòng liên hệ Ban điều "
              "phối (%(email)s) để đổi người dẫn hoặc huỷ phiên trước.") % {"titles": ", ".join(upcoming), "email": office}
        )
    elif LiveSession.objects.filter(host=user, status=LiveSession.Status.ENDED).exists():
        until = identity_retained_until(user=user)
        if until is not None and until >= ocop_today():
            problems.append(
                _("Bạn từng dẫn phiên livestream: theo Luật Thương mại điện tử, hồ sơ phiên live và thông tin xác minh "
                  "danh tính người dẫn được lưu 3 năm, đến hết ngày %(date)s. Sau ngày đó bạn có thể yêu cầu xoá; "
                  "nếu cần trao đổi, vui lòng liên hệ Ban điều phối (%(email)s).")
                % {"date": date_format(until, "d/m/Y"), "email": office}
            )
    numbers = _unfinished_order_numbers(user=user)
    if numbers:
        problems.append(
            _("Bạn còn đơn hàng chưa hoàn tất (%(numbers)s): chờ thanh toán, đang giao, hoặc đang trả hàng, khiếu nại, "
              "hoàn tiền. Bạn có thể yêu cầu xoá khi các đơn này đã xong; nếu cần gấp, vui lòng liên hệ Ban điều phối "
              "(%(email)s).") % {"numbers": ", ".join(numbers), "email": office}
        )
    return problems
