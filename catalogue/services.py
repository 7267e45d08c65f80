"""Writes for the catalogue's OCOP data: reference data seeding and certificate recording."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import vietnam_provinces
from oscar.core.loading import get_model
from django.db import transaction
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .certification import default_expiry
from .models import (
    AdministrativeUnit,
    Category,
    Certificate,
    OcopGroup,
    OcopProductSet,
    OcopTaxonomy,
    Product,
    ProductCategory,
    ProductClass,
)

DATA_DIR = Path(__file__).parent / "data"


def _former_districts() -> dict[str, str]:
    with open(DATA_DIR / "former_districts.csv", encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {row["ward_code"]: row["former_district"] for row in rows}


@transaction.atomic
def administrative_units_seed() -> int:
    """Load the 34 provinces and their communes/wards from vietnam-provinces. Idempotent; returns rows created."""
    divisions = json.loads(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))
    former = _former_districts()
    existing = set(AdministrativeUnit.objects.values_list("level", "code"))
    province, commune = AdministrativeUnit.Level.PROVINCE, AdministrativeUnit.Level.COMMUNE
    provinces = [
        AdministrativeUnit(
            code=str(p["code"]),
            name=p["name"],
            level=province,
            division_type=p["division_type"],
            codename=p["codename"],
        )
        for p in divisions
        if (province, str(p["code"])) not in existing
    ]
    AdministrativeUnit.objects.bulk_create(provinces)
    by_code = {u.code: u for u in AdministrativeUnit.objects.filter(level=province)}
    communes = [
        AdministrativeUnit(
            code=str(w["code"]),
            name=w["name"],
            level=commune,
            division_type=w["division_type"],
            codename=w["codename"],
            parent=by_code[str(p["code"])],
            former_district=former.get(str(w["code"]), ""),
        )
        for p in divisions
        for w in p["wards"]
        if (commune, str(w["code"])) not in existing
    ]
    AdministrativeUnit.objects.bulk_create(communes, batch_size=500)
    return len(provinces) + len(communes)


@transaction.atomic
def taxonomy_seed(path: Path = DATA_DIR / "ocop_taxonomy_148.json") -> OcopTaxonomy:
    """Create (or complete) the OCOP groups and product sets of one decision, each mapped onto an Oscar
    category so shoppers browse by group, and each group onto a product class (Group VI needs no shipping)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    taxonomy, _created = OcopTaxonomy.objects.get_or_create(
        decision_number=data["decision_number"],
        defaults={"decision_date": dt.date.fromisoformat(data["decision_date"]), "title": data["title"]},
    )
    if not OcopTaxonomy.objects.filter(is_current=True).exists():
        OcopTaxonomy.objects.filter(pk=taxonomy.pk).update(is_current=True)
        taxonomy.is_current = True
    for group_data in data["groups"]:
        group, _created = OcopGroup.objects.get_or_create(
            taxonomy=taxonomy,
            number=group_data["number"],
            defaults={"name": group_data["name"], "name_en": group_data["name_en"], "is_shippable": group_data["shippable"]},
        )
        if group.category is None:
            group.category = Category.add_root(name=group.name)
        if group.product_class is None:
            group.product_class, _created = ProductClass.objects.get_or_create(
                name=group.name, defaults={"requires_shipping": group.is_shippable, "track_stock": group.is_shippable}
            )
        group.save()
        for number, (name, name_en) in enumerate(group_data["sets"], start=1):
            product_set, _created = OcopProductSet.objects.get_or_create(
                group=group, number=number, defaults={"name": name, "name_en": name_en}
            )
            if product_set.category is None:
                group.category.refresh_from_db()
                product_set.category = group.category.add_child(name=name)
                product_set.save()
    return taxonomy


@transaction.atomic
def certificate_record(
    *,
    product: Product,
    decision_number: str,
    issued_on: dt.date,
    stars: int,
    issuing_level: str = Certificate.Level.PROVINCE,
    issuing_authority: str = "",
    score: int | None = None,
    is_potential_five_star: bool = False,
    expires_on: dt.date | None = None,
    recorded_by=None,
) -> Certificate:
    """Record a recognition decision (a first certificate or a renewal: renewals are new rows)."""
    certificate = Certificate(
        product=product,
        decision_number=decision_number,
        issued_on=issued_on,
        stars=stars,
        issuing_level=issuing_level,
        issuing_authority=issuing_authority,
        score=score,
        is_potential_five_star=is_potential_five_star,
        expires_on=expires_on or default_expiry(issued_on),
        recorded_by=recorded_by,
    )
    certificate.full_clean()
    certificate.save()
    return certificate


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, revoked_on: dt.date, reason: str) -> Certificate:
    if not reason.strip():
        raise ValidationError({"revocation_reason": _("Cần ghi lý do thu hồi.")})
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_on is None:  # revoking twice changes nothing
        certificate.revoked_on = revoked_on
        certificate.revocation_reason = reason.strip()
        certificate.save(update_fields=["revoked_on", "revocation_reason", "updated_at"])
    return certificate


def reference_data_seed() -> int:
    """Everything a fresh database needs besides migrations: areas, the taxonomy and the site's home page."""
    from cms.services import site_structure_ensure  # cms builds on the catalogue, not the other way round

    created = administrative_units_seed()
    taxonomy_seed()
    shipping_country_ensure()
    site_structure_ensure()
    return created


def shipping_country_ensure():
    """Oscar's addresses need a Country row: Việt Nam is the one we ship to."""
    Country = get_model("address", "Country")
    country, _created = Country.objects.update_or_create(
        iso_3166_1_a2="VN",
        defaults={
            "iso_3166_1_a3": "VNM",
            "iso_3166_1_numeric": "704",
            "printable_name": "Việt Nam",
            "name": "Cộng hoà Xã hội Chủ nghĩa Việt Nam",
            "is_shipping_country": True,
        },
    )
    return country


ALCOHOL_SETS = {(2, 1), (2, 2)}  # II.1 rượu trắng, II.2 đồ uống có cồn khác: sold to adults only


def product_set_link(*, product: Product, product_set: OcopProductSet) -> bool:
    """Everything that follows a product's OCOP set: its product class, its set's category (other OCOP set
    categories are unlinked; other categories are kept) and the 18+ flag for alcohol (never cleared here).
    Saves the product; True if anything changed."""
    changed = []
    if product.ocop_product_set_id != product_set.pk:
        product.ocop_product_set = product_set
        changed.append("ocop_product_set")
    if product_set.group.product_class_id and product.product_class_id != product_set.group.product_class_id:
        product.product_class_id = product_set.group.product_class_id
        changed.append("product_class")
    if (product_set.group.number, product_set.number) in ALCOHOL_SETS and not product.is_age_restricted:
        product.is_age_restricted = True
        changed.append("is_age_restricted")
    if changed:
        product.save(update_fields=[*changed, "date_updated"])
    if product_set.category_id is None:
        return bool(changed)
    stale = ProductCategory.objects.filter(product=product, category__ocop_product_set__isnull=False).exclude(
        category_id=product_set.category_id
    )
    removed, _detail = stale.delete()
    _link, created = ProductCategory.objects.get_or_create(product=product, category_id=product_set.category_id)
    return bool(changed or removed or created)
