"""One behavioural suite for every product search engine (catalogue.search).

The database engine runs always (SQLite, and PostgreSQL in CI); the Elasticsearch engine runs whenever
ELASTICSEARCH_URL is set, and is skipped with that reason otherwise. Every test talks to the engine through the
interface only (``engine.search(SearchQuery(...))``, ``engine.suggest(...)``), so a test that passes for one engine
and fails for another points at the engine, not the test. Every word typed must match (accents optional; a fuzzy
engine may forgive a typo), a word matches a whole word or its beginning, and assertions leave a fuzzy engine room
to add near matches below the exact ones, but never anything that shares no word with the query, and never a
product that is not certified today.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import os
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings
from oscar.core.loading import get_model

from catalogue.certification import ocop_today
from catalogue.models import OcopGroup
from catalogue.search import SearchQuery, get_engine
from catalogue.search.indexing import product_changed
from showrooms.models import ShelfStock
from tests.support.catalogue import certify, make_certified_product, make_producer, make_product
from tests.support.showrooms import an_giang_commune, make_showroom, stock_shelf

pytestmark = pytest.mark.django_db
StockRecord = get_model("partner", "StockRecord")
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
ALL = 100  # a page size that holds every product a test makes


# ------------------------------------------------------------------------------------------------ the engine
class EngineUnderTest:
    """The engine chosen by settings, indexed once (lazily, on the first question) after the test's data exists.
    ``reindex()`` is there for a test that changes data on purpose; the expiry test deliberately never calls it.

    An engine that answers from another engine when it fails (Elasticsearch falls back to the database and logs
    an error) must not pass this suite on the other engine's answers: any error logged under ``catalogue.search``
    while it answers fails the test."""

    def __init__(self, name: str, caplog):
        self.name = name
        self.engine = get_engine()
        self.indexed = False
        self.caplog = caplog

    def _answer(self, call, *args, **kwargs):
        seen = len(self.caplog.records)
        answer = call(*args, **kwargs)
        errors = [r for r in self.caplog.records[seen:]
                  if r.levelno >= logging.ERROR and r.name.startswith("catalogue.search")]
        assert not errors, f"the {self.name} engine failed and answered otherwise: {errors[0].getMessage()} {args!r}"
        return answer

    def reindex(self):
        """The engine's ``rebuild()`` (a method, or a function of the engine's module), if it keeps an index."""
        rebuild = getattr(self.engine, "rebuild", None) or getattr(
            importlib.import_module(type(self.engine).__module__), "rebuild", None
        )
        if rebuild is not None:
            rebuild()
        self.indexed = True

    def _ready(self):
        if not self.indexed:
            self.reindex()

    def search(self, text: str = "", **fields):
        self._ready()
        fields.setdefault("page_size", ALL)
        return self._answer(self.engine.search, SearchQuery(text=text, **fields))

    def pks(self, text: str = "", **fields) -> list[int]:
        return [hit.pk for hit in self.search(text, **fields).hits]

    def suggest(self, text: str, *, limit: int = 5):
        self._ready()
        return self._answer(self.engine.suggest, text, limit=limit)


@pytest.fixture(params=["database", "elasticsearch"])
def engine(request, caplog):
    if request.param == "elasticsearch" and not os.environ.get("ELASTICSEARCH_URL"):
        pytest.skip("needs Elasticsearch: set ELASTICSEARCH_URL=http://…")
    with override_settings(OCOP_SEARCH_ENGINE=request.param):
        if request.param == "elasticsearch":
            # The engine's module is imported by get_engine() in this branch only: the suite loads without it.
            from catalogue.search import ENGINES

            assert "elasticsearch" in ENGINES, "catalogue.search.ENGINES has no 'elasticsearch' engine"
        caplog.set_level(logging.WARNING, logger="catalogue.search")
        yield EngineUnderTest(request.param, caplog)


def titled(title, **kwargs):
    return make_certified_product(title=title, producer=kwargs.pop("producer", None) or quiet_producer(), **kwargs)


def quiet_producer(name="Hợp tác xã Bình Minh"):
    """A producer whose name shares no word with the test queries (the default names carry digits)."""
    return make_producer(name=name)


# ------------------------------------------------------------------------------------------ text and folding
@pytest.fixture
def shelf():
    """A small catalogue for the text cases: real titles plus a few that share no word with any query."""
    products = {
        "mam": titled("Mắm cá linh Châu Đốc", producer=quiet_producer("Cơ sở mắm cá Bà Giáo Khoẻ")),
        "duong": titled("Đường thốt nốt Tri Tôn"),
        "banh_da": titled("Bánh đa đỏ Thoại Sơn"),
        "lap_xuong": titled("Lạp xưởng Cần Đước"),
        "tra_hoa": titled("Trà Hòa Bình"),  # the traditional tone placement
        "banh_hoa": titled("Bánh Hoà Hảo"),  # the modern one
        "mat_ong_thuy": titled("Mật ong Thủy Châu"),
        "toi_thuy": titled("Tỏi Thuỷ Phong"),
        "khan": titled("Khăn rằn Tân Châu"),
        "gom": titled("Gốm Bửu Long"),
    }
    return products


UNRELATED = ("duong", "lap_xuong", "khan", "gom", "tra_hoa", "toi_thuy")


def test_bare_query_finds_the_accented_title(engine, shelf):
    hits = engine.pks("mam ca linh chau doc")
    assert hits and hits[0] == shelf["mam"].pk
    assert engine.pks("Mắm cá linh Châu Đốc")[0] == shelf["mam"].pk


# Every Vietnamese vowel with every tone, as the NFC characters a keyboard produces: no mark, huyền, sắc, hỏi,
# ngã, nặng. The bare letter each folds to is written out here, not computed by the fold under test.
TONED_VOWELS = {
    # family: (bare letter, the six toned forms)
    "a": ("a", "aàáảãạ"),
    "ă": ("a", "ăằắẳẵặ"),
    "â": ("a", "âầấẩẫậ"),
    "e": ("e", "eèéẻẽẹ"),
    "ê": ("e", "êềếểễệ"),
    "i": ("i", "iìíỉĩị"),
    "o": ("o", "oòóỏõọ"),
    "ô": ("o", "ôồốổỗộ"),
    "ơ": ("o", "ơờớởỡợ"),
    "u": ("u", "uùúủũụ"),
    "ư": ("u", "ưừứửữự"),
    "y": ("y", "yỳýỷỹỵ"),
}
TONE_MARKS = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]  # none, huyền, sắc, hỏi, ngã, nặng
# One onset per tone and one coda per vowel family make 72 words that are all different once folded, so a query
# can only find its word if that very character folds right.
TONE_ONSETS = ["b", "c", "l", "m", "n", "s"]
FAMILY_CODAS = {"a": "p", "ă": "t", "â": "c", "e": "p", "ê": "t", "i": "p", "o": "p", "ô": "t", "ơ": "c", "u": "p",
                "ư": "t", "y": "p"}


def toned_words(family):
    """[(word as typed with accents, the same word typed bare)] for the six tones of one vowel family."""
    bare_letter, forms = TONED_VOWELS[family]
    onsets, coda = TONE_ONSETS, FAMILY_CODAS[family]
    return [(f"{onsets[t]}{forms[t]}{coda}", f"{onsets[t]}{bare_letter}{coda}") for t in range(6)]


def test_the_vowel_table_is_complete():
    """72 distinct precomposed characters, each its family's vowel plus the tone mark named for its column."""
    seen = set()
    for family, (_bare, forms) in TONED_VOWELS.items():
        assert len(forms) == 6
        for tone, char in enumerate(forms):
            assert char == unicodedata.normalize("NFC", family + TONE_MARKS[tone])
            seen.add(char)
    assert len(seen) == 72
    bare = [b for family in TONED_VOWELS for _a, b in toned_words(family)]
    assert len(set(bare)) == 72


@pytest.fixture
def vowel_products():
    """One product per vowel family; its title holds the family's six toned words ("Thử bap càp láp mảp nãp sạp")."""
    return {
        family: titled("Thử " + " ".join(accented for accented, _bare in toned_words(family)))
        for family in TONED_VOWELS
    }


def test_every_vowel_with_every_tone_typed_bare(engine, vowel_products):
    missed = []
    for family, product in vowel_products.items():
        for accented, bare in toned_words(family):
            for typed in (bare, accented, bare.upper()):
                hits = engine.pks(typed)
                if not hits or hits[0] != product.pk:
                    missed.append(f"{typed!r} should find {product.title!r} first (holds {accented!r})")
    assert not missed, "\n".join(missed)


def test_d_with_stroke_typed_as_d_at_start_middle_and_end(engine, shelf):
    for typed, name in [
        ("duong thot not", "duong"),  # đ opens the title
        ("banh da do", "banh_da"),  # đ inside the title, twice
        ("can duoc", "lap_xuong"),  # đ in the title's last word
        ("DUONG", "duong"),
        ("Đuong", "duong"),  # half accented
        ("đường", "duong"),
    ]:
        hits = engine.pks(typed)
        assert hits and hits[0] == shelf[name].pk, typed


def test_both_tone_placements_find_each_other(engine, shelf):
    for typed in ("Hòa", "Hoà", "hoa", "HÒA", "HOÀ"):
        hits = engine.pks(typed)
        assert set(hits[:2]) == {shelf["tra_hoa"].pk, shelf["banh_hoa"].pk}, typed
    for typed in ("Thủy", "Thuỷ", "thuy", "THỦY", "THUỶ"):
        hits = engine.pks(typed)
        assert set(hits[:2]) == {shelf["mat_ong_thuy"].pk, shelf["toi_thuy"].pk}, typed


def test_decomposed_text_folds_like_composed(engine):
    """Some keyboards send NFD (a base letter plus combining marks): the title or the query may be either."""
    nfd_title = titled(unicodedata.normalize("NFD", "Khô cá tra phồng Hồng Ngự"))
    nfc_title = titled("Bánh pía Sóc Trăng")
    for typed, product in [
        ("kho ca tra phong", nfd_title),
        ("Khô cá tra phồng", nfd_title),
        (unicodedata.normalize("NFD", "Bánh pía Sóc Trăng"), nfc_title),
        ("banh pia soc trang", nfc_title),
    ]:
        hits = engine.pks(typed)
        assert hits and hits[0] == product.pk, ascii(typed)


def test_mixed_case_and_extra_spaces(engine, shelf):
    for typed in ("MAM CA LINH", "mAm  Ca   LiNh", "   mắm   cá  linh   ", "\tMẮM\u00a0CÁ\nLINH ",
                  "Mắm Cá Linh Châu ĐỐC"):
        hits = engine.pks(typed)
        assert hits and hits[0] == shelf["mam"].pk, repr(typed)


def test_empty_query_is_the_browse_listing(engine, shelf):
    hidden = make_product(title="Mắm chưa chứng nhận")
    certified = {p.pk for p in shelf.values()}
    for typed in ("", "   ", "\n\t"):
        result = engine.search(typed)
        assert result.total == len(certified), repr(typed)
        assert set(hit.pk for hit in result.hits) == certified
        assert hidden.pk not in {hit.pk for hit in result.hits}
    # browse lists the newest first
    assert engine.pks("") == sorted(certified, key=lambda pk: -pk) == engine.pks("", sort="newest")


def test_a_2000_character_query_answers(engine, shelf):
    long_words = ("mắm cá linh " * 200)[:2000]
    assert len(long_words) == 2000
    hits = engine.pks(long_words)
    assert hits and hits[0] == shelf["mam"].pk
    assert not {shelf[name].pk for name in UNRELATED} & set(hits)
    assert engine.search("x" * 2000).total == 0
    assert engine.search("mắm" + "\u0301" * 1997).total >= 0  # a pile of combining marks answers too


# Special characters alone: each answered, and with nothing to look for there is nothing to show (a Lucene
# wildcard or an SQL OR must never turn into "everything").
SPECIAL_ALONE = ['"', "*", ":", "(", ")", "\\", "'", "' OR 1=1 --", '"; DROP TABLE catalogue_product; --', "%", "_",
                 "?", "~", "[", "]", "{", "/", "-", "+", "!", "^", "&&", "||", "\x00", "🐟", "🐟🦐🍚", "👨‍👩‍👧"]
# The same characters around a real word: the word is found, nothing unrelated comes with it.
SPECIAL_AROUND = ['"mắm cá"', "mắm*", "mắm:", "(mắm)", "mắm\\", "mắm'", "'mắm'", "mắm %", "mắm~", "mắm?", "mắm 🐟",
                  "🐟mắm", "mắm\x00", "mắm\u200b", "«mắm»", "mắm;"]


def test_special_characters_alone_answer_with_nothing(engine, shelf):
    for typed in SPECIAL_ALONE:
        result = engine.search(typed)
        assert result.total == 0 and result.hits == [], repr(typed)
    assert engine.search("").total == len(shelf)  # and the catalogue is still there


def test_special_characters_around_a_word(engine, shelf):
    unrelated = {shelf[name].pk for name in UNRELATED}
    for typed in SPECIAL_AROUND:
        hits = engine.pks(typed)
        assert hits and hits[0] == shelf["mam"].pk, repr(typed)
        assert not unrelated & set(hits), repr(typed)


def test_words_match_whole_words_or_their_beginnings(engine, shelf):
    """"hoa" (flower, peace) is not found inside "Thoại"; a word typed is a word or the start of one."""
    assert shelf["banh_da"].pk not in engine.pks("hoa")  # Bánh đa đỏ Thoại Sơn
    assert shelf["banh_da"].pk in engine.pks("thoai")
    assert shelf["banh_da"].pk in engine.pks("tho")  # the beginning of a word: the search box types letter by letter
    assert shelf["mam"].pk not in engine.pks("inh")  # Mắm cá linh


@pytest.mark.parametrize("mam_first", [True, False], ids=["mam-older", "mam-newer"])
def test_accented_query_ranks_exact_accents_first(engine, mam_first):
    """Both fold to "mam"; the accents typed decide which comes first, whichever is newer."""
    if mam_first:
        mam, mam_tray = titled("Mắm cá linh"), titled("Mâm ngũ quả")
    else:
        mam_tray, mam = titled("Mâm ngũ quả"), titled("Mắm cá linh")
    assert engine.pks("mắm")[:2] == [mam.pk, mam_tray.pk]
    assert engine.pks("mâm")[:2] == [mam_tray.pk, mam.pk]
    assert engine.pks("MẮM")[:2] == [mam.pk, mam_tray.pk]
    assert set(engine.pks("mam")[:2]) == {mam.pk, mam_tray.pk}  # bare: both, in either order


# --------------------------------------------------------------------------------------- the certification gate
def _with_certificate(title, **certificate):
    product = make_product(title=title, producer=quiet_producer())
    certify(product, **certificate)
    return product


def test_only_certified_products_are_found(engine):
    today = ocop_today()
    certified = titled("Mắm cá linh Châu Đốc")
    not_certified = {
        "uncertified": make_product(title="Mắm cá linh Châu Đốc loại 2", producer=quiet_producer()),
        "expired": _with_certificate("Mắm cá linh Châu Đốc hũ lớn", issued_on=today - dt.timedelta(days=1200),
                                     expires_on=today - dt.timedelta(days=30)),
        "revoked": _with_certificate("Mắm cá linh Châu Đốc hũ nhỏ", revoked=True),
        "not_yet_valid": _with_certificate("Mắm cá linh Châu Đốc đặc biệt", issued_on=today + dt.timedelta(days=10)),
        "hidden": make_certified_product(title="Mắm cá linh Châu Đốc nội bộ", is_public=False,
                                         producer=quiet_producer()),
    }
    excluded = {product.pk for product in not_certified.values()}
    for typed in ("mam ca linh chau doc", "Mắm cá linh", "mam", "", "loai 2", "hu lon", "dac biet"):
        hits = set(engine.pks(typed))
        assert not hits & excluded, (typed, [name for name, p in not_certified.items() if p.pk in hits])
    assert engine.pks("mam ca linh") == [certified.pk]
    assert engine.search("").total == 1
    facets = engine.search("").facets
    assert sum(v.count for v in facets["group"]) == 1
    assert sum(v.count for v in facets["stars"]) == 1


def test_last_valid_day_is_in_and_the_day_after_is_out_without_a_reindex(engine):
    """``expires_on`` is the last valid day, "today" is Vietnam's (catalogue.certification.ocop_today)."""
    today = ocop_today()
    noon = dt.datetime.combine(today, dt.time(12), tzinfo=VIETNAM)
    long_ago = today - dt.timedelta(days=400)
    last_day_today = _with_certificate("Khô cá lóc hạn hôm nay", issued_on=long_ago, expires_on=today)
    last_day_yesterday = _with_certificate("Khô cá lóc hạn hôm qua", issued_on=long_ago,
                                           expires_on=today - dt.timedelta(days=1))
    starts_tomorrow = _with_certificate("Khô cá lóc từ ngày mai", issued_on=today + dt.timedelta(days=1))
    renewed = _with_certificate("Khô cá lóc gia hạn", issued_on=long_ago, expires_on=today)
    certify(renewed, issued_on=today + dt.timedelta(days=1))  # the renewal takes over tomorrow

    with time_machine.travel(noon, tick=True):
        assert ocop_today() == today
        assert set(engine.pks("kho ca loc")) == {last_day_today.pk, renewed.pk}
        assert set(engine.pks("")) == {last_day_today.pk, renewed.pk}
    # the next day, with the same index: no job, no reindex
    with time_machine.travel(noon + dt.timedelta(days=1), tick=True):
        assert ocop_today() == today + dt.timedelta(days=1)
        assert set(engine.pks("kho ca loc")) == {starts_tomorrow.pk, renewed.pk}
        assert set(engine.pks("")) == {starts_tomorrow.pk, renewed.pk}
        assert last_day_yesterday.pk not in engine.pks("han hom qua")


# ------------------------------------------------------------------------------------------ facets and filters
@dataclass
class Spec:
    title: str
    group: int
    stars: int
    area: str  # a commune's name to look up ("" for a producer without an area)
    price: int
    stock: int = 5
    allocated: int = 0
    shelf: list = field(default_factory=list)  # [(showroom key, quantity, reserved)]
    renewed_from: int | None = None  # stars of an older, expired certificate


FACET_SPECS = [
    Spec("Gạo Nàng Nhen Bảy Núi", 1, 5, "Tri Tôn", 150_000),
    Spec("Mắm cá linh Châu Đốc", 1, 4, "Châu Đốc", 99_000, stock=5, allocated=5, shelf=[("open", 3, 0)]),
    Spec("Khô cá tra phồng", 1, 3, "Châu Đốc", 100_000, stock=0, shelf=[("open", 2, 2)]),
    Spec("Rượu nếp Phú Tân", 2, 4, "Thoại Sơn", 500_000, stock=4, allocated=1, shelf=[("closed", 5, 0)]),
    Spec("Trà khổ qua rừng", 3, 3, "Tri Tôn", 250_000, stock=2, shelf=[("open", 1, 0), ("closed", 4, 0)]),
    Spec("Khăn rằn Tân Châu", 4, 5, "", 650_000, stock=1),
    Spec("Đường thốt nốt Tri Tôn", 1, 5, "Tri Tôn", 60_000, stock=3, renewed_from=3),
    Spec("Mắm thái Châu Đốc", 1, 3, "Châu Đốc", 180_000, stock=6, allocated=2, shelf=[("open", 4, 1)]),
]
BANDS = [("under-100k", 0, 100_000), ("100k-200k", 100_000, 200_000), ("200k-500k", 200_000, 500_000),
         ("500k-plus", 500_000, 10**12)]


def band_of(price):
    return next(key for key, low, high in BANDS if low <= price < high)


@pytest.fixture
def faceted():
    """The FACET_SPECS products (plus products that are not certified and must count nowhere)."""
    today = ocop_today()
    showrooms = {"open": make_showroom(name="Điểm OCOP Châu Đốc"), "closed": make_showroom(name="Điểm OCOP cũ")}
    by_pk = {}
    for spec in FACET_SPECS:
        area = an_giang_commune(spec.area) if spec.area else None
        producer = make_producer(name=f"Hợp tác xã {spec.title.split()[0]}", area=area)
        product = make_product(title=spec.title, group=spec.group, price=Decimal(spec.price), stock=spec.stock,
                               producer=producer)
        if spec.renewed_from:
            certify(product, stars=spec.renewed_from, issued_on=today - dt.timedelta(days=1300),
                    expires_on=today - dt.timedelta(days=200))
        certify(product, stars=spec.stars)
        StockRecord.objects.filter(product=product).update(num_allocated=spec.allocated)
        for key, quantity, reserved in spec.shelf:
            stock_shelf(showrooms[key], product, quantity)
            ShelfStock.objects.filter(showroom=showrooms[key], product=product).update(reserved=reserved)
        product_changed(product.pk)  # what every update() writer in the project calls after such a write
        by_pk[product.pk] = (spec, area.former_district if area else "")
    showrooms["closed"].is_active = False
    showrooms["closed"].save()
    # Not certified: in stock, on a shelf, matching words, counted nowhere.
    ghost = make_product(title="Mắm cá linh chưa chứng nhận", group=2, price=Decimal(150_000), stock=9,
                         producer=make_producer(name="Hợp tác xã Ma", area=an_giang_commune("Tri Tôn")))
    expired = make_product(title="Gạo hết hạn", group=3, price=Decimal(90_000), stock=9)
    certify(expired, stars=5, issued_on=today - dt.timedelta(days=1200), expires_on=today - dt.timedelta(days=1))
    assert ghost and expired
    return by_pk


def attributes(spec: Spec, area_label: str) -> dict:
    """What each facet says of one product, worked out from its spec (the oracle)."""
    return {
        "group": str(spec.group),
        "stars": str(spec.stars),
        "area": area_label,
        "price": band_of(spec.price),
        "in_stock": spec.stock - spec.allocated > 0,
        "at_showroom": any(key == "open" and quantity > reserved for key, quantity, reserved in spec.shelf),
    }


SELECTIONS = {  # facet name → how a SearchQuery selects one of its values
    "group": lambda value: {"group": int(value)},
    "stars": lambda value: {"stars": int(value)},
    "area": lambda value: {"area": value},
    "price": lambda value: {"price_band": value},
}


def expected_facets(products: dict, selected: dict, pks: set) -> dict:
    """Counts a facet shows: the products matching every other selection (a facet's own selection is left out, so
    a shopper can switch to a sibling value); availability counts each flag on top of all selections."""

    def matches(attrs, *, skip=""):
        for name, value in selected.items():
            if name != skip and attrs[name] != value:
                return False
        return True

    rows = [attributes(*products[pk]) for pk in pks]
    counts = {}
    for name in ("group", "stars", "area", "price"):
        counted = {}
        for attrs in rows:
            if matches(attrs, skip=name) and attrs[name]:
                counted[attrs[name]] = counted.get(attrs[name], 0) + 1
        counts[name] = counted
    counts["availability"] = {
        flag: n for flag in ("in_stock", "at_showroom") if (n := sum(1 for a in rows if matches(a) and a[flag]))
    }
    return counts


def shown(facets) -> dict:
    """The nonzero counts an engine shows, per facet (engines may also list values with no product)."""
    return {name: {v.value: v.count for v in values if v.count} for name, values in facets.items()
            if name in ("group", "stars", "area", "price", "availability")}


def _query_fields(selected: dict) -> dict:
    fields = {}
    for name, value in selected.items():
        fields.update({"in_stock": True} if name == "in_stock" else {"at_showroom": True} if name == "at_showroom"
                      else SELECTIONS[name](value))
    return fields


def test_browse_facet_counts(engine, faceted):
    result = engine.search("")
    assert result.total == len(FACET_SPECS)
    blank = [v for v in result.facets["area"] if not v.value or not v.label]
    assert not blank, f"a producer without an area makes a blank area value: {blank}"
    assert shown(result.facets) == expected_facets(faceted, {}, set(faceted))
    # the oracle itself, spelled out once so a wrong oracle cannot hide a wrong engine
    assert shown(result.facets)["availability"] == {"in_stock": 6, "at_showroom": 3}
    assert shown(result.facets)["group"] == {"1": 5, "2": 1, "3": 1, "4": 1}
    assert shown(result.facets)["stars"] == {"5": 3, "4": 2, "3": 3}  # the renewal counts its current 5 stars
    assert shown(result.facets)["price"] == {"under-100k": 2, "100k-200k": 3, "200k-500k": 1, "500k-plus": 2}


def _hit_attributes(faceted, hits):
    return [attributes(*faceted[hit.pk]) for hit in hits]


@pytest.mark.parametrize("facet", ["group", "stars", "area", "price", "in_stock", "at_showroom"])
def test_selecting_a_facet_value_filters(engine, faceted, facet):
    browse = shown(engine.search("").facets)
    values = {True: browse["availability"][facet]} if facet in ("in_stock", "at_showroom") else browse[facet]
    assert values, facet
    for value, count in values.items():
        selected = {facet: value}
        result = engine.search("", **_query_fields(selected))
        assert result.total == count == len(result.hits), (facet, value)
        assert all(attrs[facet] == value for attrs in _hit_attributes(faceted, result.hits)), (facet, value)
        assert shown(result.facets) == expected_facets(faceted, selected, set(faceted)), (facet, value)
        name, marked_value = (facet, value) if facet in SELECTIONS else ("availability", facet)
        assert [v.value for v in result.facets[name] if v.selected] == [marked_value], (facet, value)


def test_facets_combine_and_follow_the_text(engine, faceted):
    chau_doc = an_giang_commune("Châu Đốc").former_district
    for text, selected in [
        ("", {"group": "1", "area": chau_doc}),
        ("", {"stars": "3", "at_showroom": True}),
        ("", {"price": "100k-200k", "in_stock": True}),
        ("mam", {}),
        ("mắm", {"area": chau_doc, "in_stock": True}),
        ("chau doc", {"stars": "4"}),
    ]:
        result = engine.search(text, **_query_fields(selected))
        matching = {pk for pk in faceted if not text or _folded_has(faceted[pk][0].title, text)}
        expected_hits = {pk for pk in matching if all(attributes(*faceted[pk])[k] == v for k, v in selected.items())}
        assert {hit.pk for hit in result.hits} == expected_hits, (text, selected)
        assert result.total == len(expected_hits)
        assert shown(result.facets) == expected_facets(faceted, selected, matching), (text, selected)


def _folded_has(title, text):
    """Does a FACET_SPECS title hold every word typed? (Worked out by hand for the queries above.)"""
    known = {"mam": {"Mắm cá linh Châu Đốc", "Mắm thái Châu Đốc"}, "mắm": {"Mắm cá linh Châu Đốc", "Mắm thái Châu Đốc"},
             "chau doc": {"Mắm cá linh Châu Đốc", "Mắm thái Châu Đốc"}}
    return title in known[text]


def test_category_filter(engine, faceted):
    group = OcopGroup.objects.get(taxonomy__is_current=True, number=1)
    ids = tuple(group.category.get_descendants_and_self().values_list("pk", flat=True))
    hits = engine.pks("", category_ids=ids)
    assert set(hits) == {pk for pk, (spec, _a) in faceted.items() if spec.group == 1}
    assert len(hits) == len(set(hits))  # no duplicates from the join


# ------------------------------------------------------------------------------------------ sorting and pages
def test_sorting_orders_as_named(engine, faceted):
    newest_first = sorted(faceted, reverse=True)
    price = {pk: spec.price for pk, (spec, _a) in faceted.items()}
    stars = {pk: spec.stars for pk, (spec, _a) in faceted.items()}
    assert engine.pks("", sort="newest") == newest_first
    assert engine.pks("") == newest_first  # browse defaults to newest
    assert engine.pks("", sort="price-asc") == sorted(faceted, key=price.get)
    assert engine.pks("", sort="price-desc") == sorted(faceted, key=price.get, reverse=True)
    by_stars = engine.pks("", sort="stars")
    assert sorted(by_stars) == sorted(faceted)
    assert [stars[pk] for pk in by_stars] == sorted(stars.values(), reverse=True)
    # relevance: the title that starts with the words and holds their accents first
    relevance = engine.pks("mắm cá", sort="relevance")
    assert relevance[0] == next(pk for pk, (spec, _a) in faceted.items() if spec.title == "Mắm cá linh Châu Đốc")
    assert engine.pks("mắm cá") == relevance  # a text query defaults to relevance
    # sorting a text query by price keeps only the matches
    mam = engine.pks("mam", sort="price-desc")
    assert [price[pk] for pk in mam] == [180_000, 99_000]


def test_pagination(engine, faceted):
    everything = engine.pks("", sort="price-asc")
    pages = [engine.search("", sort="price-asc", page=n, page_size=3) for n in (1, 2, 3)]
    assert [r.total for r in pages] == [8, 8, 8]
    assert [r.num_pages for r in pages] == [3, 3, 3]
    assert [r.page for r in pages] == [1, 2, 3]
    assert [hit.pk for hit in pages[1].hits] == everything[3:6]
    assert [hit.pk for r in pages for hit in r.hits] == everything
    # a filtered listing pages the filtered hits
    second = engine.search("", group=1, sort="price-desc", page=2, page_size=2)
    assert second.total == 5
    assert [hit.pk for hit in second.hits] == engine.pks("", group=1, sort="price-desc")[2:4]


# ------------------------------------------------------------------------------------------------ suggestions
def test_suggestions_offer_the_product_and_its_producer(engine):
    producer = make_producer(name="Cơ sở mắm cá Bà Giáo Khoẻ")
    product = make_certified_product(title="Mắm cá linh Châu Đốc", producer=producer)
    uncertified = make_product(title="Mắm cá lóc chưa chứng nhận", producer=quiet_producer())
    expired = _with_certificate("Mắm cá rô hết hạn", issued_on=ocop_today() - dt.timedelta(days=1200),
                                expires_on=ocop_today() - dt.timedelta(days=1))
    waiting = make_producer(name="Cơ sở mắm cá chờ duyệt", approved_at=None)
    sugar = titled("Đường thốt nốt Tri Tôn")

    suggestions = engine.suggest("mam ca", limit=5)
    assert (product.get_title(), product.get_absolute_url()) in suggestions.products
    assert (producer.name, producer.get_absolute_url()) in suggestions.producers
    offered = [label for label, _url in suggestions.products]
    assert uncertified.get_title() not in offered and expired.get_title() not in offered
    assert waiting.name not in [label for label, _url in suggestions.producers]
    assert len(suggestions.products) <= 5 and len(suggestions.producers) <= 5

    assert (sugar.get_title(), sugar.get_absolute_url()) in engine.suggest("duo").products  # the box's first letters
    assert (product.get_title(), product.get_absolute_url()) == engine.suggest("Mắm CÁ  linh").products[0]
    for typed in ("", "  ", "*", "🐟", "' OR 1=1 --", "x" * 2000):
        nothing = engine.suggest(typed)
        assert not nothing.products and not nothing.producers, repr(typed)
    for typed in ('"mắm', "mắm*", "(mắm", "mắm\\", "mắm 🐟", "mắm\x00", ("mắm " * 500)[:2000]):
        assert (product.get_title(), product.get_absolute_url()) in engine.suggest(typed).products, repr(typed)
