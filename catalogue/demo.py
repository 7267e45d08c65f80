"""Demo catalogue for An Giang: producers, products, certificates in every state, and one user per role.

Used by ``manage.py load_demo_data``. Everything is looked up by a natural key (partner code, product upc,
certificate product + decision number, user email) so a second run creates and changes nothing. Random
choices come from ``random.Random(SEED)`` and every draw is made whatever the database holds, so the plan
is the same on every run. Certificate dates are relative to today, so a fresh load always shows every state.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.utils import timezone
from django.db import transaction
from django.utils.html import format_html
from oscar.core.loading import get_model
from PIL import Image, ImageDraw, ImageFont

from .certification import add_months, ocop_today
from .models import AdministrativeUnit, Certificate, OcopProductSet, Product, ProductCategory, ProductImage
from .services import certificate_record, certificate_revoke, reference_data_seed

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

SEED = 2026
PROVINCE_CODE = "91"  # An Giang since July 2025 (former An Giang and Kiên Giang)
FIRST_FORMER_KIEN_GIANG_WARD_CODE = 30742  # ward codes of the former Kiên Giang (old code 91) start here
MERGER_DAY = dt.date(2025, 7, 1)  # districts abolished, provinces merged
DEMO_PASSWORD = "ocop-demo-2026"
UPC_PREFIX = "DEMO-"
FONT_PATH = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

K = Partner.Kind


class ProducerRow(NamedTuple):
    code: str
    kind: str
    name: str
    commune: str  # AdministrativeUnit name, a commune of province 91
    street_address: str
    representative: str
    story: str
    products: tuple[tuple[str, str, int], ...]  # (title, "group.set" e.g. "I.5", price in đồng)


# ---------------------------------------------------------------- data: producers and their products
PRODUCERS: tuple[ProducerRow, ...] = (
    # ---- cooperatives
    ProducerRow(
        "htx-nong-nghiep-chau-doc", K.COOPERATIVE, "HTX Nông nghiệp Châu Đốc", "Phường Châu Đốc",
        "Số 12 đường Lê Công Thành, khóm Châu Long 3", "Nguyễn Văn Thành",
        "Hợp tác xã quy tụ 45 hộ làm mắm và khô cá lâu năm ở Châu Đốc, giữ cách ủ mắm truyền thống "
        "với cá linh, cá lóc đánh bắt mùa nước nổi.",
        (
            ("Mắm cá linh Châu Đốc hũ 500g", "I.5", 85000),
            ("Mắm cá lóc Châu Đốc hũ 500g", "I.5", 120000),
            ("Mắm thái đu đủ Châu Đốc hũ 500g", "I.5", 95000),
            ("Khô cá lóc một nắng 500g", "I.4", 180000),
        ),
    ),
    ProducerRow(
        "htx-thot-not-tri-ton", K.COOPERATIVE, "HTX Thốt nốt Tri Tôn", "Xã Tri Tôn",
        "Ấp Tô Thuận", "Chau Sóc Khang",
        "Các hộ đồng bào Khmer leo thốt nốt, nấu đường bằng chảo gang trên bếp củi theo cách ông bà để lại.",
        (
            ("Đường thốt nốt Tri Tôn túi 1kg", "I.5", 90000),
            ("Đường thốt nốt viên hũ 500g", "I.5", 55000),
            ("Rượu thốt nốt Tri Tôn chai 500ml", "II.2", 110000),
            ("Nước thốt nốt tươi đóng chai 330ml", "II.3", 18000),
        ),
    ),
    ProducerRow(
        "htx-lua-gao-nang-nhen-bay-nui", K.COOPERATIVE, "HTX Lúa gạo Nàng Nhen Bảy Núi", "Xã An Cư",
        "Ấp Văn Trà", "Néang Sa Phia",
        "Giống lúa mùa Nàng Nhen được trồng một vụ mỗi năm trên ruộng chân núi, không phân bón hóa học.",
        (
            ("Gạo Nàng Nhen thơm túi 5kg", "I.3", 200000),
            ("Gạo lứt Nàng Nhen túi 2kg", "I.3", 110000),
            ("Bánh phồng gạo Nàng Nhen gói 300g", "I.5", 45000),
        ),
    ),
    ProducerRow(
        "htx-du-lich-tra-su", K.COOPERATIVE, "HTX Du lịch cộng đồng Trà Sư", "Phường Thới Sơn",
        "Tổ 4, khóm Văn Trà", "Lê Thị Mỹ Hạnh",
        "Người dân ven rừng tràm Trà Sư chèo xuồng đưa khách, nuôi ong và nấu các món ăn mùa nước nổi.",
        (
            ("Tour rừng tràm Trà Sư nửa ngày", "VI.2", 250000),
            ("Homestay ven rừng tràm Trà Sư một đêm", "VI.1", 450000),
            ("Mật ong rừng tràm Trà Sư chai 500ml", "I.9", 220000),
        ),
    ),
    ProducerRow(
        "htx-det-lua-tan-chau", K.COOPERATIVE, "HTX Dệt lụa Tân Châu", "Phường Tân Châu",
        "Số 88 đường Tôn Đức Thắng, khóm Long Thị C", "Trần Thị Kim Loan",
        "Làng nghề dệt lãnh Mỹ A nhuộm trái mặc nưa hơn trăm năm, nay còn hơn 30 khung dệt đang hoạt động.",
        (
            ("Lãnh Mỹ A Tân Châu cuộn 2m", "IV.3", 1200000),
            ("Khăn lụa tơ tằm Tân Châu", "IV.3", 450000),
            ("Áo bà ba lụa Tân Châu", "IV.3", 950000),
        ),
    ),
    ProducerRow(
        "htx-du-lich-cu-lao-gieng", K.COOPERATIVE, "HTX Du lịch Cù lao Giêng", "Xã Cù Lao Giêng",
        "Ấp Mỹ Hòa", "Phạm Văn Hiếu",
        "Hợp tác xã kết nối các nhà vườn trên cù lao để đón khách tham quan, nấu bánh và chèo xuồng.",
        (
            ("Tour trải nghiệm Cù lao Giêng một ngày", "VI.1", 550000),
            ("Điểm du lịch nhà vườn Cù lao Giêng", "VI.3", 60000),
            ("Bánh tráng nước dừa Cù lao Giêng gói 500g", "I.5", 50000),
        ),
    ),
    ProducerRow(
        "htx-xoai-long-dien", K.COOPERATIVE, "HTX Xoài Long Điền", "Xã Long Điền",
        "Ấp Long Hòa", "Võ Minh Tâm",
        "Vùng xoài ven sông Tiền áp dụng quy trình VietGAP, bao trái từng quả để giữ vỏ vàng đẹp.",
        (
            ("Xoài cát Hòa Lộc loại 1 thùng 5kg", "I.1", 250000),
            ("Xoài keo xuất khẩu thùng 10kg", "I.1", 220000),
            ("Xoài sấy dẻo gói 200g", "I.5", 65000),
        ),
    ),
    ProducerRow(
        "htx-nep-phu-tan", K.COOPERATIVE, "HTX Nếp Phú Tân", "Xã Phú Tân",
        "Ấp Mỹ Hòa, Phú Mỹ", "Huỳnh Văn Lực",
        "Vùng nếp Phú Tân nổi tiếng dẻo thơm, là nguyên liệu cho bánh phồng Phú Mỹ và rượu nếp.",
        (
            ("Nếp Phú Tân túi 5kg", "I.3", 150000),
            ("Rượu nếp Phú Tân chai 500ml", "II.1", 90000),
            ("Bánh phồng nếp Phú Mỹ gói 10 cái", "I.5", 50000),
        ),
    ),
    ProducerRow(
        "htx-nong-nghiep-thoai-son", K.COOPERATIVE, "HTX Nông nghiệp Thoại Sơn", "Xã Thoại Sơn",
        "Ấp Đông Sơn 1", "Đặng Quốc Việt",
        "Cánh đồng lớn của hợp tác xã luân canh lúa, nấm rơm và nuôi vịt chạy đồng.",
        (
            ("Gạo thơm Jasmine Thoại Sơn túi 5kg", "I.3", 140000),
            ("Nấm rơm tươi Thoại Sơn hộp 500g", "I.1", 60000),
            ("Trứng vịt chạy đồng hộp 10 quả", "I.2", 40000),
        ),
    ),
    ProducerRow(
        "htx-ho-tieu-phu-quoc", K.COOPERATIVE, "HTX Hồ tiêu Phú Quốc", "Đặc khu Phú Quốc",
        "Ấp Suối Đá, Dương Tơ", "Lâm Văn Phước",
        "Vườn tiêu trên đất đỏ Phú Quốc được chọn hạt thủ công, phơi nắng và đóng gói tại chỗ.",
        (
            ("Hồ tiêu đen Phú Quốc hũ 100g", "I.6", 75000),
            ("Tiêu sọ trắng Phú Quốc hũ 100g", "I.6", 120000),
            ("Tiêu đỏ Phú Quốc hũ 100g", "I.6", 150000),
        ),
    ),
    ProducerRow(
        "htx-ong-mat-u-minh-thuong", K.COOPERATIVE, "HTX Ong mật U Minh Thượng", "Xã U Minh Thượng",
        "Ấp Cạnh Đền 3", "Nguyễn Thị Diễm",
        "Thành viên gác kèo ong trong rừng tràm U Minh, khai thác mật theo mùa để giữ đàn ong rừng.",
        (
            ("Mật ong U Minh Thượng chai 500ml", "I.9", 250000),
            ("Phấn hoa tràm U Minh hũ 200g", "I.9", 180000),
            ("Sáp ong tràm U Minh hũ 50g", "III.4", 60000),
            ("Tour khám phá Vườn quốc gia U Minh Thượng", "VI.2", 350000),
        ),
    ),
    ProducerRow(
        "htx-khom-tac-cau", K.COOPERATIVE, "HTX Khóm Tắc Cậu", "Xã Bình An",
        "Ấp Minh Phong", "Trương Văn Năm",
        "Khóm trồng trên đất phèn Tắc Cậu cho trái nhỏ, ngọt đậm, được chế biến ngay trong ngày thu hoạch.",
        (
            ("Khóm Tắc Cậu trái tươi", "I.1", 25000),
            ("Mứt khóm Tắc Cậu hộp 300g", "I.5", 55000),
            ("Nước ép khóm Tắc Cậu lon 330ml", "II.3", 15000),
        ),
    ),
    ProducerRow(
        "htx-thuy-san-an-minh", K.COOPERATIVE, "HTX Thủy sản An Minh", "Xã An Minh",
        "Ấp Xẻo Nhàu", "Lê Hoàng Phúc",
        "Tôm nuôi quảng canh dưới tán rừng và ba khía bắt ven biển Tây được làm khô, muối theo cách truyền thống.",
        (
            ("Tôm khô An Minh gói 250g", "I.4", 320000),
            ("Ba khía muối An Minh hũ 500g", "I.5", 90000),
            ("Khô cá đù một nắng 500g", "I.4", 150000),
        ),
    ),
    # ---- cooperative groups
    ProducerRow(
        "tht-det-tho-cam-cham-chau-phong", K.COOPERATIVE_GROUP, "Tổ hợp tác Dệt thổ cẩm Chăm Châu Phong",
        "Xã Châu Phong", "Ấp Phũm Soài", "Sa Ly Mah",
        "Phụ nữ Chăm dệt khăn, xà rông trên khung dệt tay, hoa văn truyền từ đời bà đời mẹ.",
        (
            ("Khăn choàng Chăm Châu Phong", "IV.3", 250000),
            ("Xà rông thổ cẩm Chăm", "IV.3", 380000),
            ("Túi xách thổ cẩm Chăm", "IV.4", 180000),
            ("Tour làng Chăm Châu Phong", "VI.1", 200000),
        ),
    ),
    ProducerRow(
        "tht-dan-luc-binh-my-duc", K.COOPERATIVE_GROUP, "Tổ hợp tác Đan lục bình Mỹ Đức", "Xã Mỹ Đức",
        "Ấp Mỹ Lợi", "Ngô Thị Bích",
        "Lục bình vớt trên kênh được phơi khô, đan tay thành giỏ, thảm, tạo việc làm cho phụ nữ lúc nông nhàn.",
        (
            ("Giỏ lục bình đan tay", "IV.2", 150000),
            ("Thảm lục bình tròn đường kính 80cm", "IV.2", 220000),
            ("Hộp đựng đồ lục bình bộ 3 cái", "IV.2", 95000),
        ),
    ),
    ProducerRow(
        "tht-tranh-dinh-da-long-xuyen", K.COOPERATIVE_GROUP, "Tổ hợp tác Tranh đính đá Long Xuyên",
        "Phường Long Xuyên", "Số 21 đường Hà Hoàng Hổ", "Lý Ngọc Hân",
        "Các thợ trẻ gắn từng hạt đá thủ công, vẽ lại phong cảnh Bảy Núi và sông nước miền Tây.",
        (
            ("Tranh đính đá phong cảnh Núi Cấm 40x60cm", "IV.1", 850000),
            ("Tranh đính đá chữ Phúc 30x40cm", "IV.1", 650000),
            ("Tranh đính đá hoa sen khổ nhỏ", "IV.4", 250000),
        ),
    ),
    ProducerRow(
        "tht-hoa-kieng-my-hoa-hung", K.COOPERATIVE_GROUP, "Tổ hợp tác Hoa kiểng Mỹ Hòa Hưng",
        "Xã Mỹ Hòa Hưng", "Tổ 7, ấp Mỹ An", "Bùi Văn Sang",
        "Cù lao Ông Hổ có nghề ươm mai và trồng hoa Tết, cung cấp cho chợ hoa Long Xuyên mỗi dịp xuân về.",
        (
            ("Cây mai vàng dáng trực", "V.2", 2500000),
            ("Mai vàng bonsai mini", "V.2", 800000),
            ("Hoa lan Dendro chậu", "V.1", 350000),
            ("Cúc mâm xôi chậu lớn", "V.1", 120000),
        ),
    ),
    # ---- enterprises
    ProducerRow(
        "cong-ty-thot-not-tri-ton", K.ENTERPRISE, "Công ty TNHH Thốt Nốt Tri Tôn", "Xã Cô Tô",
        "Tỉnh lộ 943, ấp Tô Trung", "Nguyễn Hoàng Nam",
        "Doanh nghiệp thu mua nước thốt nốt của hơn 200 hộ Khmer, chế biến kẹo, đường và giấm thốt nốt.",
        (
            ("Kẹo thốt nốt Tri Tôn hộp 250g", "I.5", 45000),
            ("Đường thốt nốt cát hũ 400g", "I.5", 60000),
            ("Giấm thốt nốt chai 500ml", "I.6", 45000),
        ),
    ),
    ProducerRow(
        "cong-ty-nuoc-mam-dao-ngoc", K.ENTERPRISE, "Công ty TNHH Nước mắm Cá cơm Đảo Ngọc", "Đặc khu Phú Quốc",
        "Số 5 đường Bạch Đằng, Dương Đông", "Trần Quang Vinh",
        "Nhà thùng ủ cá cơm than với muối theo tỷ lệ truyền thống Phú Quốc trong thùng gỗ bời lời.",
        (
            ("Nước mắm cá cơm Phú Quốc 40 độ đạm chai 500ml", "I.6", 95000),
            ("Nước mắm nhĩ Phú Quốc 43 độ đạm chai 250ml", "I.6", 160000),
            ("Tham quan nhà thùng nước mắm Phú Quốc", "VI.3", 100000),
        ),
    ),
    ProducerRow(
        "cong-ty-ruou-sim-dao-ngoc", K.ENTERPRISE, "Công ty Cổ phần Rượu sim Đảo Ngọc", "Đặc khu Phú Quốc",
        "Tổ 3, ấp Cửa Lấp", "Phan Thị Thu Trang",
        "Trái sim rừng Phú Quốc được ngâm, lên men và ủ trong chum sành từ sáu tháng trở lên.",
        (
            ("Rượu sim Phú Quốc chai 500ml", "II.2", 180000),
            ("Nước cốt sim Phú Quốc chai 500ml", "II.3", 120000),
            ("Sim sấy dẻo Phú Quốc gói 200g", "I.5", 70000),
        ),
    ),
    ProducerRow(
        "cong-ty-thuc-pham-bay-nui", K.ENTERPRISE, "Công ty TNHH Thực phẩm Bảy Núi", "Phường Vĩnh Tế",
        "Quốc lộ 91, khóm Vĩnh Tây 1", "Đỗ Thanh Tùng",
        "Cơ sở chế biến khô cá và khô bò đạt chứng nhận an toàn thực phẩm, giao hàng khắp cả nước.",
        (
            ("Khô cá tra phồng 500g", "I.4", 160000),
            ("Khô cá sặc bổi 500g", "I.4", 170000),
            ("Khô bò Bảy Núi gói 200g", "I.5", 150000),
            ("Chà bông cá lóc hũ 200g", "I.5", 120000),
        ),
    ),
    ProducerRow(
        "cong-ty-duoc-lieu-that-son", K.ENTERPRISE, "Công ty TNHH Dược liệu Thất Sơn", "Xã Núi Cấm",
        "Ấp Vồ Đầu", "Lương Minh Khoa",
        "Vùng trồng khổ qua rừng và dược liệu dưới chân Núi Cấm, sấy lạnh để giữ hoạt chất.",
        (
            ("Trà khổ qua rừng túi lọc hộp 25 gói", "III.3", 60000),
            ("Trà khổ qua rừng sấy khô gói 200g", "III.3", 80000),
            ("Cao khổ qua rừng hũ 100g", "III.1", 250000),
            ("Trà mãng cầu xiêm túi lọc", "III.3", 55000),
            ("Dầu gội bồ kết thảo dược chai 300ml", "III.2", 90000),
            ("Xà bông thảo dược Thất Sơn bánh 100g", "III.2", 40000),
        ),
    ),
    ProducerRow(
        "cong-ty-ngoc-trai-bien-tay", K.ENTERPRISE, "Công ty TNHH Ngọc trai Biển Tây", "Đặc khu Phú Quốc",
        "Ấp Bãi Khem, An Thới", "Hà Minh Châu",
        "Trại nuôi cấy ngọc trai nước mặn ở nam đảo, chế tác trang sức và quà lưu niệm tại xưởng.",
        (
            ("Vòng tay ngọc trai Phú Quốc", "IV.4", 650000),
            ("Dây chuyền ngọc trai nước mặn", "IV.4", 1500000),
            ("Móc khóa vỏ sò Phú Quốc", "IV.4", 30000),
        ),
    ),
    ProducerRow(
        "cong-ty-ca-cao-cho-moi", K.ENTERPRISE, "Công ty TNHH Ca cao Chợ Mới", "Xã Chợ Mới",
        "Số 9 đường Nguyễn Hữu Cảnh, ấp Thị 1", "Châu Thị Ngọc Bích",
        "Ca cao trồng xen trong vườn cây ăn trái được lên men, rang và nghiền tại cơ sở.",
        (
            ("Bột ca cao nguyên chất hộp 250g", "I.8", 120000),
            ("Sô cô la đen 70% ca cao thanh 80g", "I.8", 75000),
        ),
    ),
    # ---- households
    ProducerRow(
        "hkd-ba-ba-kho-ca", K.HOUSEHOLD, "Hộ kinh doanh Bà Ba Khô Cá", "Xã Vĩnh Hậu",
        "Ấp Vĩnh Phước", "Nguyễn Thị Ba",
        "Ba thế hệ làm khô cá đồng mùa nước nổi, phơi trên giàn tre ngay bờ sông Bình Di.",
        (
            ("Khô cá linh gói 250g", "I.4", 120000),
            ("Khô cá chạch gói 250g", "I.4", 140000),
            ("Khô cá rô đồng 500g", "I.4", 150000),
        ),
    ),
    ProducerRow(
        "hkd-mam-co-tu-chau-doc", K.HOUSEHOLD, "Hộ kinh doanh Mắm Cô Tư Châu Đốc", "Phường Vĩnh Tế",
        "Số 40 đường Tân Lộ Kiều Lương", "Lê Thị Tư",
        "Gian hàng mắm ở chợ Châu Đốc hơn 30 năm, tự ủ mắm trong khạp sành.",
        (
            ("Mắm cá sặc Châu Đốc hũ 500g", "I.5", 100000),
            ("Mắm cá trèn Châu Đốc hũ 500g", "I.5", 130000),
            ("Mắm ruốc Châu Đốc hũ 300g", "I.6", 60000),
        ),
    ),
    ProducerRow(
        "hkd-tung-lo-mo-ba-ly", K.HOUSEHOLD, "Hộ kinh doanh Tung lò mò Ba Ly", "Xã Châu Phong",
        "Ấp Phũm Xoài", "Ly Sa",
        "Món lạp xưởng bò của người Chăm, làm từ thịt bò, gạo rang và gia vị, không dùng thịt heo.",
        (
            ("Tung lò mò bò gói 500g", "I.5", 180000),
            ("Khô bò Chăm gói 300g", "I.5", 150000),
        ),
    ),
    ProducerRow(
        "hkd-bo-bay-nui-chau-ty", K.HOUSEHOLD, "Hộ kinh doanh Bò Bảy Núi Chau Ty", "Xã Ba Chúc",
        "Ấp An Hòa", "Chau Ty",
        "Đàn bò thả đồng dưới chân núi Tô, ăn cỏ tự nhiên, thịt săn chắc và ngọt.",
        (
            ("Thịt bò Bảy Núi tươi 1kg", "I.2", 280000),
            ("Bò một nắng Bảy Núi 500g", "I.4", 220000),
        ),
    ),
    ProducerRow(
        "hkd-rau-sach-nhon-hoi", K.HOUSEHOLD, "Hộ kinh doanh Rau sạch Nhơn Hội", "Xã Nhơn Hội",
        "Ấp Bắc Đai", "Phan Văn Út",
        "Rau đồng mùa nước nổi được hái sáng sớm, bó tại ruộng và giao ngay cho chợ Châu Đốc.",
        (
            ("Bông điên điển tươi 500g", "I.1", 30000),
            ("Bông súng tươi bó 1kg", "I.1", 20000),
        ),
    ),
    ProducerRow(
        "hkd-nha-vuon-ut-hien-nui-cam", K.HOUSEHOLD, "Hộ kinh doanh Nhà vườn Út Hiền Núi Cấm", "Xã Núi Cấm",
        "Ấp Rộc Đá", "Trần Thị Út Hiền",
        "Vườn trái cây trên đỉnh Núi Cấm, khí hậu mát quanh năm cho sầu riêng và bơ thơm ngon.",
        (
            ("Sầu riêng Núi Cấm 1kg", "I.1", 120000),
            ("Bơ sáp Núi Cấm 1kg", "I.1", 60000),
            ("Mít sấy giòn Núi Cấm gói 250g", "I.5", 50000),
        ),
    ),
    ProducerRow(
        "hkd-ruou-nep-hoa-lac", K.HOUSEHOLD, "Hộ kinh doanh Rượu nếp Năm Tiền", "Xã Hòa Lạc",
        "Ấp Hòa Long", "Nguyễn Văn Tiền",
        "Lò rượu gia đình nấu bằng nếp Phú Tân và men lá, chưng cất hai lần cho rượu êm.",
        (
            ("Rượu nếp than Hòa Lạc chai 500ml", "II.1", 85000),
            ("Rượu nếp Hòa Lạc 40 độ chai 500ml", "II.1", 75000),
            ("Cơm rượu nếp than hũ 500g", "I.5", 40000),
        ),
    ),
    ProducerRow(
        "hkd-gao-sach-tan-hiep", K.HOUSEHOLD, "Hộ kinh doanh Gạo sạch Tân Hiệp", "Xã Tân Hiệp",
        "Kênh C, ấp Tân Đông", "Võ Thành Đạt",
        "Ruộng lúa thơm canh tác theo hướng hữu cơ, xay xát tại nhà để giữ gạo mới.",
        (
            ("Gạo ST25 Tân Hiệp túi 5kg", "I.3", 180000),
            ("Bột gạo lứt rang hũ 500g", "I.5", 70000),
        ),
    ),
    ProducerRow(
        "hkd-hai-san-kho-ha-tien", K.HOUSEHOLD, "Hộ kinh doanh Hải sản khô Hà Tiên", "Phường Hà Tiên",
        "Số 17 đường Tô Châu", "Quách Thị Lan",
        "Mực, cá mua trực tiếp từ ghe biển Hà Tiên, phơi một nắng trên sân nhà.",
        (
            ("Khô mực Hà Tiên 500g", "I.4", 550000),
            ("Mực một nắng Hà Tiên 500g", "I.4", 400000),
            ("Khô cá bò Hà Tiên 500g", "I.4", 180000),
        ),
    ),
    ProducerRow(
        "hkd-cha-ca-bay-lanh", K.HOUSEHOLD, "Hộ kinh doanh Chả cá Bảy Lành", "Phường Rạch Giá",
        "Số 102 đường Ngô Quyền", "Lâm Thị Lành",
        "Chả cá thu quết tay, chiên vàng, là món quà quen thuộc của Rạch Giá.",
        (
            ("Chả cá thu Rạch Giá 500g", "I.5", 160000),
            ("Nước mắm cá cơm Rạch Giá chai 500ml", "I.6", 65000),
        ),
    ),
    ProducerRow(
        "hkd-ca-canh-my-thoi", K.HOUSEHOLD, "Hộ kinh doanh Cá cảnh Mỹ Thới", "Phường Mỹ Thới",
        "Số 15 đường Trần Hưng Đạo", "Tô Văn Hùng",
        "Trại cá cảnh nhân giống cá Koi và cá la hán, hướng dẫn khách cách nuôi bể nhỏ trong nhà.",
        (
            ("Cá Koi giống dài 15cm", "V.3", 300000),
            ("Cá la hán hoa hồng", "V.3", 1500000),
            ("Cá bảy màu cặp giống", "V.3", 50000),
        ),
    ),
    ProducerRow(
        "hkd-du-lich-lang-noi-sau-tam", K.HOUSEHOLD, "Hộ kinh doanh Du lịch Làng nổi Sáu Tâm", "Phường Châu Đốc",
        "Bến đò Châu Đốc, đường Lê Lợi", "Nguyễn Văn Tâm",
        "Gia đình nuôi cá bè nhiều đời, chở khách thăm làng nổi, làng Chăm và chợ nổi trên sông Hậu.",
        (
            ("Tour trải nghiệm làng nổi Châu Đốc", "VI.1", 180000),
            ("Tour làng nổi và thánh đường Mubarak", "VI.1", 250000),
        ),
    ),
    ProducerRow(
        "hkd-du-lich-oc-eo", K.HOUSEHOLD, "Hộ kinh doanh Du lịch Óc Eo", "Xã Óc Eo",
        "Ấp Tân Hiệp A", "Huỳnh Thị Thu",
        "Hướng dẫn viên người địa phương kể chuyện nền văn hóa Óc Eo cổ dưới chân núi Ba Thê.",
        (
            ("Tour khám phá di tích Óc Eo – Ba Thê", "VI.3", 200000),
        ),
    ),
    ProducerRow(
        "hkd-homestay-hon-son", K.HOUSEHOLD, "Hộ kinh doanh Homestay Hòn Sơn Bãi Bàng", "Đặc khu Kiên Hải",
        "Bãi Bàng, Hòn Sơn", "Danh Thị Mai",
        "Nhà nghỉ gia đình nhìn ra biển, chủ nhà đưa khách đi lặn ngắm san hô và câu cá.",
        (
            ("Homestay Hòn Sơn một đêm", "VI.1", 500000),
            ("Tour lặn ngắm san hô Hòn Sơn", "VI.2", 650000),
            ("Khô cá mai Hòn Sơn 500g", "I.4", 130000),
        ),
    ),
    ProducerRow(
        "hkd-my-nghe-go-thot-not", K.HOUSEHOLD, "Hộ kinh doanh Mỹ nghệ gỗ thốt nốt", "Xã Vĩnh Gia",
        "Ấp Vĩnh Thuận", "Chau Phol",
        "Thân thốt nốt già được xẻ, phơi khô rồi tiện thành đồ gia dụng giữ nguyên vân gỗ.",
        (
            ("Bộ muỗng gỗ thốt nốt 6 cái", "IV.2", 120000),
            ("Thớt gỗ thốt nốt tròn", "IV.2", 150000),
            ("Móc khóa gỗ thốt nốt", "IV.4", 25000),
        ),
    ),
    ProducerRow(
        "hkd-duoc-lieu-ba-sau-phu-quoc", K.HOUSEHOLD, "Hộ kinh doanh Dược liệu Bà Sáu Phú Quốc",
        "Đặc khu Phú Quốc", "Ấp Rạch Tràm, Bãi Thơm", "Nguyễn Thị Sáu",
        "Lá tràm gió và nấm tràm hái trong rừng Phú Quốc, chưng cất và sấy theo cách của gia đình.",
        (
            ("Dầu tràm Phú Quốc chai 50ml", "III.4", 65000),
            ("Nấm tràm Phú Quốc sấy khô 200g", "I.4", 250000),
            ("Tinh dầu sả chanh chai 50ml", "III.4", 55000),
        ),
    ),
    ProducerRow(
        "hkd-hoa-lan-hon-dat", K.HOUSEHOLD, "Hộ kinh doanh Vườn lan Hòn Đất", "Xã Hòn Đất",
        "Ấp Đông Hòa", "Danh Văn Lợi",
        "Vườn lan nhỏ dưới chân Hòn Me nhân giống lan hồ điệp và lan rừng miền Tây.",
        (
            ("Lan hồ điệp chậu 3 cành", "V.1", 650000),
            ("Lan rừng Hòn Đất treo giỏ", "V.2", 180000),
        ),
    ),
    ProducerRow(
        "hkd-banh-bo-thot-not-tinh-bien", K.HOUSEHOLD, "Hộ kinh doanh Bánh bò thốt nốt Cô Út", "Phường Tịnh Biên",
        "Số 6 đường Nguyễn Trãi, khóm Xuân Hòa", "Lê Thị Út",
        "Bánh bò nướng bằng đường thốt nốt, bột gạo xay và nước cốt dừa, làm mới mỗi sáng.",
        (
            ("Bánh bò thốt nốt hộp 10 cái", "I.5", 40000),
            ("Bánh thốt nốt sấy giòn gói 200g", "I.5", 35000),
        ),
    ),
)

#: Recognised 5 stars by the Ministry (national level); their decisions are recent so the authority holds.
NATIONAL_FIVE_STAR = frozenset(
    {
        "Nước mắm cá cơm Phú Quốc 40 độ đạm chai 500ml",
        "Đường thốt nốt Tri Tôn túi 1kg",
        "Mật ong U Minh Thượng chai 500ml",
        "Tour rừng tràm Trà Sư nửa ngày",
    }
)

REVOCATION_REASONS = (
    "Kết quả hậu kiểm năm 2026: cơ sở không duy trì điều kiện sản xuất như hồ sơ đánh giá, phân hạng.",
    "Sử dụng biểu trưng OCOP sai hạng sao trên nhãn hàng hóa, đã được nhắc nhở nhưng không khắc phục.",
)

SET_BLURBS = {
    "I.1": "Thu hoạch đúng độ chín, tuyển chọn kỹ và giao trong ngày.",
    "I.2": "Nuôi thả tự nhiên, có truy xuất nguồn gốc rõ ràng.",
    "I.3": "Xay xát mới, đóng túi hút chân không, cơm mềm và thơm.",
    "I.4": "Sơ chế thủ công, phơi nắng tự nhiên, không chất bảo quản.",
    "I.5": "Chế biến theo công thức truyền thống, đóng gói đạt chuẩn an toàn thực phẩm.",
    "I.6": "Gia vị nguyên chất, đậm đà hương vị miền Tây.",
    "I.8": "Hạt ca cao lên men đúng kỹ thuật, vị đắng nhẹ và thơm.",
    "I.9": "Mật nguyên chất từ rừng tràm, không pha trộn.",
    "II.1": "Chưng cất thủ công từ nếp địa phương, ủ lâu cho rượu êm.",
    "II.2": "Lên men tự nhiên từ trái cây bản địa.",
    "II.3": "Thức uống giải khát từ nguyên liệu địa phương, không phẩm màu.",
    "III.1": "Chiết xuất từ dược liệu trồng tại vùng Bảy Núi.",
    "III.2": "Thành phần thảo dược lành tính, dịu nhẹ cho da và tóc.",
    "III.3": "Dược liệu sấy lạnh, pha nhanh, dùng hằng ngày.",
    "III.4": "Chưng cất từ cây lá tự nhiên, dùng xoa bóp và xông hương.",
    "IV.1": "Làm thủ công từng chi tiết, thích hợp trang trí nhà cửa.",
    "IV.2": "Đồ dùng bền đẹp từ vật liệu tự nhiên, đan và tiện thủ công.",
    "IV.3": "Dệt và may thủ công, hoa văn truyền thống.",
    "IV.4": "Quà lưu niệm mang dấu ấn An Giang.",
    "V.1": "Hoa được chăm sóc tại vườn, giao kèm hướng dẫn chăm sóc.",
    "V.2": "Cây được tạo dáng nhiều năm, giao tận nơi kèm chậu.",
    "V.3": "Giống khỏe, đã thuần nước, kèm hướng dẫn nuôi.",
    "VI.1": "Giá tính cho một khách, gồm hướng dẫn viên địa phương; đặt trước ít nhất một ngày.",
    "VI.2": "Giá tính cho một khách, gồm xuồng và áo phao; đặt trước ít nhất một ngày.",
    "VI.3": "Giá vé tham quan cho một khách.",
}

GROUP_COLOURS = {  # background, shape
    1: ((196, 120, 52), (246, 208, 140)),
    2: ((52, 102, 160), (170, 205, 240)),
    3: ((46, 125, 74), (170, 225, 160)),
    4: ((128, 70, 140), (225, 180, 235)),
    5: ((190, 70, 110), (250, 200, 215)),
    6: ((30, 128, 140), (160, 225, 225)),
}

ROMAN = ("I", "II", "III", "IV", "V", "VI")


class DemoUser(NamedTuple):
    email: str
    role: str
    first_name: str
    last_name: str


SHOPPER = DemoUser("khach@demo.ocop.vn", "Khách mua hàng", "Lan", "Nguyễn Thị")
PRODUCER = DemoUser("nhasanxuat@demo.ocop.vn", "Chủ thể OCOP (HTX Nông nghiệp Châu Đốc)", "Thành", "Nguyễn Văn")
SHOWROOM = DemoUser("showroom@demo.ocop.vn", "Nhân viên điểm bán (showroom)", "Hương", "Trần Thị")
PROGRAMME = DemoUser("canbo@demo.ocop.vn", "Cán bộ chương trình OCOP", "Minh", "Lê Quang")
ADMIN = DemoUser("admin@demo.ocop.vn", "Quản trị hệ thống (superuser)", "Quản trị", "")
DEMO_USERS = (SHOPPER, PRODUCER, SHOWROOM, PROGRAMME, ADMIN)

PRODUCER_GROUP, SHOWROOM_GROUP, PROGRAMME_GROUP = "Producer", "Showroom staff", "Programme staff"


# ---------------------------------------------------------------- the plan (pure: no database)
class ProductRow(NamedTuple):
    upc: str
    title: str
    set_key: str  # "I.5"
    price: int
    producer_code: str

    @property
    def group_number(self) -> int:
        return ROMAN.index(self.set_key.split(".")[0]) + 1

    @property
    def set_number(self) -> int:
        return int(self.set_key.split(".")[1])


def product_rows() -> list[ProductRow]:
    rows, n = [], 0
    for producer in PRODUCERS:
        for title, set_key, price in producer.products:
            n += 1
            rows.append(ProductRow(f"{UPC_PREFIX}{n:04d}", title, set_key, price, producer.code))
    return rows


class CertificateSpec(NamedTuple):
    decision_number: str
    issued_on: dt.date
    stars: int
    score: int
    issuing_level: str
    issuing_authority: str
    is_potential_five_star: bool = False
    revoked_on: dt.date | None = None
    revocation_reason: str = ""


def _pick(low: int, high: int, u: float) -> int:
    """An integer in [low, high] from a uniform draw u in [0, 1)."""
    return low + int(u * (high - low + 1))


def _score(stars: int, u: float) -> int:
    return _pick(*{3: (50, 69), 4: (70, 89), 5: (90, 100)}[stars], u)


def _provincial_authority(*, area: AdministrativeUnit, issued_on: dt.date) -> str:
    if issued_on < MERGER_DAY and int(area.code) >= FIRST_FORMER_KIEN_GIANG_WARD_CODE:
        return "UBND tỉnh Kiên Giang"
    return "UBND tỉnh An Giang"


def _local_issuer(*, stars: int, area: AdministrativeUnit, issued_on: dt.date, prefer_district: bool):
    """(level, authority): before July 2025 a district could recognise 3 stars; since then the province."""
    if stars == 3 and issued_on < MERGER_DAY and prefer_district and area.former_district:
        district = area.former_district
        return Certificate.Level.DISTRICT, f"UBND {district[0].lower()}{district[1:]}"
    return Certificate.Level.PROVINCE, _provincial_authority(area=area, issued_on=issued_on)


def _issued_months_ago(today: dt.date, months: int, days: int) -> dt.date:
    return add_months(today, -months) - dt.timedelta(days=days)


STATE_QUOTAS = (("none", 4), ("revoked", 2), ("renewed", 2), ("potential", 2), ("expiring", 6))  # then 1/6 expired


def _states(*, rows: list[ProductRow], rng: random.Random) -> dict[int, str]:
    """Certificate state per row index; national 5★ rows are fixed, the other states go to shuffled rows."""
    order = list(range(len(rows)))
    rng.shuffle(order)
    eligible = iter(i for i in order if rows[i].title not in NATIONAL_FIVE_STAR)
    states = {i: "national" for i, row in enumerate(rows) if row.title in NATIONAL_FIVE_STAR}
    for state, count in (*STATE_QUOTAS, ("expired", len(rows) // 6)):
        states.update((next(eligible), state) for _ in range(count))
    return states


def certificate_plan(
    *, rows: list[ProductRow], areas: dict[str, AdministrativeUnit], rng: random.Random, today: dt.date
) -> dict[str, list[CertificateSpec]]:
    """Certificates per upc, in every state. Decision numbers depend only on the row's position (never on
    today), so a later run finds the same certificates; dates depend on today so a fresh load shows every state."""
    states = _states(rows=rows, rng=rng)
    plan: dict[str, list[CertificateSpec]] = {}
    revoked_count = 0
    for i, row in enumerate(rows):
        u = [rng.random() for _ in range(8)]  # always eight draws: the plan never depends on the database or date
        state, area, number = states.get(i, "valid"), areas[row.producer_code], 1000 + i + 1
        stars = 3 if u[0] < 0.55 else 4
        prefer_district = u[1] < 0.5

        def months_ago(low: int, high: int) -> dt.date:
            return add_months(today, -_pick(low, high, u[3])) - dt.timedelta(days=_pick(0, 27, u[4]))

        def local(*, stars: int, issued_on: dt.date, number: int = number, **extra) -> CertificateSpec:
            level, authority = _local_issuer(
                stars=stars, area=area, issued_on=issued_on, prefer_district=prefer_district
            )
            score = extra.pop("score", _score(stars, u[2]))
            return CertificateSpec(f"{number}/QĐ-UBND", issued_on, stars, score, level, authority, **extra)

        if state == "none":
            specs = []
        elif state == "national":
            specs = [
                CertificateSpec(
                    f"{2000 + i + 1}/QĐ-BNNMT", months_ago(2, 12), 5, _score(5, u[2]),
                    Certificate.Level.NATIONAL, "Bộ Nông nghiệp và Môi trường",
                )
            ]
        elif state == "valid":
            specs = [local(stars=stars, issued_on=months_ago(2, 33))]
        elif state == "expiring":  # issued ~35 months ago: the last valid day falls 5–25 days from today
            specs = [local(stars=stars, issued_on=add_months(today + dt.timedelta(days=_pick(5, 25, u[3]) + 1), -36))]
        elif state == "expired":
            specs = [local(stars=stars, issued_on=months_ago(37, 46))]
        elif state == "potential":
            score = _pick(90, 94, u[2])
            specs = [local(stars=4, issued_on=months_ago(2, 10), score=score, is_potential_five_star=True)]
        elif state == "revoked":
            reason = REVOCATION_REASONS[revoked_count % len(REVOCATION_REASONS)]
            revoked_count += 1
            revoked_on = today - dt.timedelta(days=_pick(10, 90, u[5]))
            specs = [local(stars=stars, issued_on=months_ago(8, 30), revoked_on=revoked_on, revocation_reason=reason)]
        else:  # renewed: an expired 3★ decision, then a new one a few weeks after it lapsed
            old_issued = months_ago(38, 44)
            new_stars = 3 if u[6] < 0.5 else 4
            specs = [
                local(stars=3, issued_on=old_issued, number=300 + i + 1),
                local(
                    stars=new_stars,
                    issued_on=add_months(old_issued, 36) + dt.timedelta(days=_pick(10, 40, u[5])),
                    score=_score(new_stars, u[7]),
                ),
            ]
        plan[row.upc] = specs
    return plan


# ---------------------------------------------------------------- images
def demo_font(size: int):
    """DejaVu Sans (Vietnamese letters) for the demo's generated pictures, else Pillow's own font."""
    if FONT_PATH.exists():
        return ImageFont.truetype(str(FONT_PATH), size)
    return ImageFont.load_default(size=size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    return lines + [line] if line else lines


def _shape_draw(draw: ImageDraw.ImageDraw, *, group_number: int, colour) -> None:
    cx, cy = 300, 215
    if group_number == 1:  # a bowl of rice under the sun
        draw.ellipse((cx - 120, cy - 120, cx + 120, cy + 120), fill=colour)
    elif group_number == 2:  # a bottle
        draw.rounded_rectangle((cx - 60, cy - 40, cx + 60, cy + 130), radius=28, fill=colour)
        draw.rectangle((cx - 20, cy - 120, cx + 20, cy - 30), fill=colour)
    elif group_number == 3:  # a leaf
        draw.ellipse((cx - 70, cy - 130, cx + 70, cy + 130), fill=colour)
        draw.line((cx, cy - 120, cx, cy + 150), fill=(255, 255, 255), width=6)
    elif group_number == 4:  # a woven diamond
        draw.polygon(((cx, cy - 130), (cx + 130, cy), (cx, cy + 130), (cx - 130, cy)), fill=colour)
        draw.polygon(((cx, cy - 70), (cx + 70, cy), (cx, cy + 70), (cx - 70, cy)), outline=(255, 255, 255), width=6)
    elif group_number == 5:  # a flower
        for dx, dy in ((0, -75), (71, -23), (44, 61), (-44, 61), (-71, -23)):
            draw.ellipse((cx + dx - 55, cy + dy - 55, cx + dx + 55, cy + dy + 55), fill=colour)
        draw.ellipse((cx - 35, cy - 35, cx + 35, cy + 35), fill=(255, 220, 90))
    else:  # mountains and the sun
        draw.ellipse((cx + 50, cy - 130, cx + 130, cy - 50), fill=(255, 220, 90))
        draw.polygon(((cx - 170, cy + 130), (cx - 40, cy - 80), (cx + 90, cy + 130)), fill=colour)
        draw.polygon(((cx - 20, cy + 130), (cx + 80, cy - 20), (cx + 180, cy + 130)), fill=colour)


def product_image_bytes(*, title: str, group_number: int) -> bytes:
    """A 600x600 JPEG placeholder: group colour, a simple shape and the product title."""
    background, shape = GROUP_COLOURS[group_number]
    image = Image.new("RGB", (600, 600), background)
    draw = ImageDraw.Draw(image)
    draw.text((24, 20), f"OCOP An Giang · Nhóm {ROMAN[group_number - 1]}", font=demo_font(24), fill=(255, 255, 255))
    _shape_draw(draw, group_number=group_number, colour=shape)
    draw.rectangle((0, 400, 600, 600), fill=tuple(int(c * 0.7) for c in background))
    for size in (38, 32, 28, 24):
        font = demo_font(size)
        lines = _wrap(draw, title, font, 552)
        if len(lines) <= 3:
            break
    line_height = int(size * 1.3)
    top = 500 - line_height * len(lines) // 2
    for n, line in enumerate(lines[:4]):
        width = draw.textlength(line, font=font)
        draw.text(((600 - width) / 2, top + n * line_height), line, font=font, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


# ---------------------------------------------------------------- builders (database)
def producers_create(*, rng: random.Random) -> tuple[dict[str, Partner], int]:
    """Partners by code, and how many were created."""
    communes = {u.name: u for u in AdministrativeUnit.objects.filter(level="commune", parent__code=PROVINCE_CODE)}
    producers, created_count = {}, 0
    for row in PRODUCERS:
        phone = f"09{rng.randrange(10**8):08d}"  # drawn for every row, existing or not
        partner, created = Partner.objects.get_or_create(
            code=row.code,
            defaults={
                "name": row.name,
                "kind": row.kind,
                "area": communes[row.commune],
                "street_address": row.street_address,
                "phone": phone,
                "representative": row.representative,
                "story": row.story,
                "approved_at": timezone.now() - dt.timedelta(days=5 * 365),  # in the programme before its certificates
            },
        )
        producers[row.code] = partner
        created_count += created
    return producers, created_count


_QUANTITY = re.compile(r"(\d+(?:[.,]\d+)?)\s*(kg|g|ml|l|lít)\b", re.IGNORECASE)


def parcel_facts(title: str) -> tuple[int | None, bool]:
    """Shipping weight from a title such as "chai 500ml" or "túi 1kg" (packaging included), and whether the
    product is an alcoholic drink sold only to adults."""
    weight = None
    match = _QUANTITY.search(title)
    if match:
        amount, unit = float(match.group(1).replace(",", ".")), match.group(2).lower()
        grams = amount * (1000 if unit in ("kg", "l", "lít") else 1)
        weight = int(grams * (1.6 if unit in ("ml", "l", "lít") else 1.1))  # bottles weigh more than their contents
    return weight, title.lower().startswith("rượu")


def products_create(
    *, rows: list[ProductRow], producers: dict[str, Partner], rng: random.Random
) -> tuple[dict[str, Product], dict]:
    """Products by upc, each with its category, stock record and image; and counts of what was created."""
    product_sets = {
        (s.group.number, s.number): s
        for s in OcopProductSet.objects.filter(group__taxonomy__is_current=True).select_related("group", "category")
    }
    products, counts = {}, {"products": 0, "stockrecords": 0, "images": 0}
    for row in rows:
        stock, out_of_stock = rng.randint(5, 200), rng.random() < 0.06  # drawn for every row
        product_set = product_sets[(row.group_number, row.set_number)]
        producer = producers[row.producer_code]
        product, created = Product.objects.get_or_create(
            upc=row.upc,
            defaults={
                "title": row.title,
                "description": str(
                    format_html(
                        "<p>{} của {} ({}, An Giang). {}</p>",
                        row.title, producer.name, producer.area.name, SET_BLURBS[row.set_key],
                    )
                ),
                "structure": Product.STANDALONE,
                "product_class": product_set.group.product_class,
                "ocop_product_set": product_set,
                "producer": producer,
                "is_public": True,
                "weight_grams": parcel_facts(row.title)[0],
                "is_age_restricted": parcel_facts(row.title)[1],
            },
        )
        counts["products"] += created
        if product_set.category_id:
            ProductCategory.objects.get_or_create(product=product, category=product_set.category)
        if product_set.group.is_shippable:
            num_in_stock = 0 if out_of_stock else stock
        else:
            num_in_stock = 999  # services: the class does not track stock
        _record, created = StockRecord.objects.get_or_create(
            product=product,
            partner=producer,
            defaults={
                "partner_sku": row.upc,
                "price_currency": "VND",
                "price": Decimal(row.price),
                "num_in_stock": num_in_stock,
                "num_allocated": 0,
            },
        )
        counts["stockrecords"] += created
        if not product.images.exists():
            image_bytes = product_image_bytes(title=row.title, group_number=row.group_number)
            ProductImage.objects.create(
                product=product, original=ContentFile(image_bytes, name=f"{row.upc}.jpg"), display_order=0
            )
            counts["images"] += 1
        products[row.upc] = product
    return products, counts


def certificates_create(
    *, plan: dict[str, list[CertificateSpec]], products: dict[str, Product], recorded_by=None
) -> int:
    """Record the planned certificates that do not exist yet (looked up by product + decision number)."""
    created_count = 0
    for upc, specs in plan.items():
        product = products[upc]
        for spec in specs:
            if Certificate.objects.filter(product=product, decision_number=spec.decision_number).exists():
                continue
            certificate = certificate_record(
                product=product,
                decision_number=spec.decision_number,
                issued_on=spec.issued_on,
                stars=spec.stars,
                issuing_level=spec.issuing_level,
                issuing_authority=spec.issuing_authority,
                score=spec.score,
                is_potential_five_star=spec.is_potential_five_star,
                recorded_by=recorded_by,
            )
            if spec.revoked_on:
                certificate_revoke(certificate=certificate, revoked_on=spec.revoked_on, reason=spec.revocation_reason)
            created_count += 1
    return created_count


def _user_get_or_create(*, user: DemoUser, superuser: bool = False):
    User = get_user_model()
    existing = User.objects.filter(email=user.email).first()
    if existing:
        return existing, False
    create = User.objects.create_superuser if superuser else User.objects.create_user
    return create(email=user.email, password=DEMO_PASSWORD, first_name=user.first_name, last_name=user.last_name), True


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def users_create(*, producer: Partner) -> tuple[dict[DemoUser, object], int]:
    """One user per role (existing users are left as they are); the role groups; and how many users were created."""
    groups = {
        name: Group.objects.get_or_create(name=name)[0] for name in (PRODUCER_GROUP, SHOWROOM_GROUP, PROGRAMME_GROUP)
    }
    groups[PROGRAMME_GROUP].permissions.add(
        _permission("wagtailadmin", "access_admin"),
        *Permission.objects.filter(content_type__app_label="catalogue", content_type__model="certificate"),
        _permission("fulfilment", "change_shippingsettings"),
    )
    users, created_count = {}, 0
    for demo_user in DEMO_USERS:
        user, created = _user_get_or_create(user=demo_user, superuser=demo_user is ADMIN)
        if created and demo_user is PROGRAMME:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        users[demo_user] = user
        created_count += created
    producer_user = users[PRODUCER]
    producer_user.groups.add(groups[PRODUCER_GROUP])
    producer_user.user_permissions.add(_permission("partner", "dashboard_access"))
    producer.users.add(producer_user)
    users[SHOWROOM].groups.add(groups[SHOWROOM_GROUP])
    users[PROGRAMME].groups.add(groups[PROGRAMME_GROUP])
    return users, created_count


@transaction.atomic
def orders_create(*, users, producers) -> int:
    """Two orders so the seller area and the dashboard are not empty: a signed-in shopper's mixed cash-on-delivery
    order and a guest's unpaid VietQR transfer. Fixed checkout tokens make this idempotent."""
    from oscar.core.loading import get_class

    from shop.checkout.services import DeliveryDetails, basket_summary, order_for_token, order_place

    Basket = get_model("basket", "Basket")
    strategy = get_class("partner.strategy", "Selector")().strategy()
    mine = producers[PRODUCERS[0].code]
    sellable = (
        Product.objects.certified()
        .filter(stockrecords__num_in_stock__gt=5, ocop_product_set__group__is_shippable=True)
        .order_by("upc")
    )
    other = sellable.exclude(producer=mine).first()
    plans = [
        ("demo-order-cod", users[SHOPPER], "cod", [sellable.filter(producer=mine).first(), other]),
        ("demo-order-vietqr", None, "vietqr", [sellable.filter(producer=mine).last()]),
    ]
    created = 0
    for token, user, method, products in plans:
        if order_for_token(token) or None in products:
            continue
        basket = Basket.objects.create(owner=user)
        basket.strategy = strategy
        for product in products:
            basket.add_product(product, 1)
        province = mine.area.parent
        details = DeliveryDetails(
            full_name="Nguyễn Thị Lan", phone="+84912345678", email=SHOPPER.email, province=province,
            commune=mine.area, street="15 Nguyễn Văn Thoại, khóm Châu Long 2",
        )
        fingerprint = basket_summary(basket=basket, province_id=province.pk).fingerprint
        order_place(basket=basket, user=user, details=details, method=method, checkout_token=token,
                    fingerprint=fingerprint)
        created += 1
    return created


def load_demo_data() -> dict:
    """Load the demo catalogue. Idempotent. Returns what was created (for the command's summary)."""
    reference_data_seed()
    rng, today = random.Random(SEED), ocop_today()
    rows = product_rows()
    producers, producers_created = producers_create(rng=rng)
    products, product_counts = products_create(rows=rows, producers=producers, rng=rng)
    users, users_created = users_create(producer=producers[PRODUCERS[0].code])
    plan = certificate_plan(
        rows=rows, areas={code: p.area for code, p in producers.items()}, rng=rng, today=today
    )
    certificates_created = certificates_create(plan=plan, products=products, recorded_by=users[PROGRAMME])
    orders_created = orders_create(users=users, producers=producers)
    from showrooms.demo import showrooms_demo_create  # showrooms build on the catalogue, not the other way round

    showrooms = showrooms_demo_create()
    from livestream.demo import livestream_demo_create

    live = livestream_demo_create()
    from cms.demo import cms_demo_create  # pages tell about the catalogue, showrooms and sessions made above

    cms = cms_demo_create()
    from reports.demo import reports_demo_create  # a year of sales history, the plan's targets, a closed quarter

    reports = reports_demo_create()
    demo_products = Product.objects.filter(upc__startswith=UPC_PREFIX)
    return {
        "totals": {
            "producers": Partner.objects.filter(code__in=[row.code for row in PRODUCERS]).count(),
            "products": demo_products.count(),
            "stock records": StockRecord.objects.filter(product__in=demo_products).count(),
            "images": ProductImage.objects.filter(product__in=demo_products).count(),
            "certificates": Certificate.objects.filter(product__in=demo_products).count(),
            "users": get_user_model().objects.filter(email__in=[u.email for u in DEMO_USERS]).count(),
            "orders": get_model("order", "Order").objects.filter(delivery__checkout_token__startswith="demo-").count(),
            **showrooms["totals"],
            **live["totals"],
            **cms["totals"],
            **reports["totals"],
        },
        "created": {
            "producers": producers_created,
            "products": product_counts["products"],
            "stock records": product_counts["stockrecords"],
            "images": product_counts["images"],
            "certificates": certificates_created,
            "users": users_created,
            "orders": orders_created,
            **showrooms["created"],
            **live["created"],
            **cms["created"],
            **reports["created"],
        },
        "users": [(u.email, DEMO_PASSWORD, u.role) for u in DEMO_USERS],
    }
