"""Word lists the generated catalogue, producers, showrooms, shoppers and orders are made of (Vietnamese, as the
real data is). Changing a list changes what a seed generates: bump ``marks.FORMAT`` with it."""

# (kind of product, OCOP group number, product-set number within the group, relative weight, price range in k₫)
KINDS = [
    ("Mắm cá linh", 1, 6, 30, (60, 250)),
    ("Mắm thái", 1, 6, 25, (70, 260)),
    ("Mắm cá lóc", 1, 6, 18, (80, 300)),
    ("Mắm tép", 1, 6, 10, (50, 180)),
    ("Nước mắm cá cơm", 1, 6, 14, (45, 200)),
    ("Khô cá lóc", 1, 4, 22, (180, 650)),
    ("Khô cá tra phồng", 1, 4, 16, (150, 450)),
    ("Khô cá sặc bổi", 1, 4, 14, (160, 480)),
    ("Tôm khô", 1, 4, 10, (250, 900)),
    ("Gạo Nàng Nhen", 1, 3, 20, (35, 120)),
    ("Gạo thơm Jasmine", 1, 3, 22, (25, 90)),
    ("Gạo nếp cái hoa vàng", 1, 3, 10, (30, 110)),
    ("Gạo lứt huyết rồng", 1, 3, 8, (40, 130)),
    ("Bánh phồng gạo", 1, 5, 8, (20, 60)),
    ("Đường thốt nốt", 1, 5, 24, (40, 160)),
    ("Đường thốt nốt cát", 1, 5, 10, (45, 150)),
    ("Nước thốt nốt", 2, 3, 10, (15, 45)),
    ("Bánh pía", 1, 5, 12, (60, 180)),
    ("Bánh bò thốt nốt", 1, 5, 8, (30, 90)),
    ("Bánh phồng tôm", 1, 5, 14, (50, 220)),
    ("Bánh tráng", 1, 5, 12, (20, 80)),
    ("Lạp xưởng", 1, 5, 12, (120, 320)),
    ("Chà bông cá lóc", 1, 5, 10, (90, 260)),
    ("Hủ tiếu", 1, 5, 10, (25, 70)),
    ("Bột sắn dây", 1, 5, 6, (60, 200)),
    ("Hạt điều rang muối", 1, 1, 10, (180, 450)),
    ("Xoài sấy dẻo", 1, 5, 12, (60, 180)),
    ("Chuối sấy", 1, 5, 8, (35, 110)),
    ("Mít sấy", 1, 5, 8, (50, 150)),
    ("Tỏi cô đơn", 1, 1, 6, (120, 400)),
    ("Nấm bào ngư", 1, 1, 6, (40, 140)),
    ("Dầu dừa", 1, 5, 6, (80, 240)),
    ("Mật ong hoa tràm", 1, 9, 10, (150, 450)),
    ("Cà phê rang xay", 1, 8, 10, (90, 350)),
    ("Trà khổ qua rừng", 3, 3, 10, (60, 200)),
    ("Trà mãng cầu", 1, 7, 6, (50, 160)),
    ("Rượu nếp", 2, 1, 10, (80, 300)),
    ("Rượu thốt nốt", 2, 1, 6, (90, 320)),
    ("Tinh dầu tràm", 3, 4, 8, (60, 220)),
    ("Cao atiso", 3, 1, 4, (120, 380)),
    ("Khăn rằn", 4, 3, 8, (40, 150)),
    ("Lụa Tân Châu", 4, 3, 6, (350, 1800)),
    ("Giỏ lục bình", 4, 2, 6, (80, 300)),
    ("Chiếu cói", 4, 2, 4, (150, 600)),
    ("Gốm Bửu Long", 4, 1, 3, (120, 900)),
    ("Cây mai vàng", 5, 2, 3, (300, 3000)),
    ("Lan hồ điệp", 5, 1, 3, (250, 1200)),
    ("Du lịch sinh thái rừng tràm", 6, 2, 3, (80, 350)),
    ("Nấm linh chi đỏ", 3, 1, 1, (400, 1500)),  # the rare one: "linh chi"
]
PLACES = [
    "Châu Đốc", "Tri Tôn", "Tịnh Biên", "Thoại Sơn", "Chợ Mới", "Phú Tân", "Tân Châu", "An Phú", "Long Xuyên",
    "Châu Phú", "Châu Thành", "Bảy Núi", "Núi Cấm", "Núi Sam", "Ba Chúc", "Óc Eo", "Mỹ Hòa Hưng", "Hà Tiên",
    "Phú Quốc", "Rạch Giá", "Hòn Đất", "Kiên Lương", "U Minh Thượng", "Cần Đước", "Cao Lãnh", "Sa Đéc",
    "Bến Tre", "Sóc Trăng", "Cà Mau", "Bạc Liêu", "Hòa Bình", "Thủy Nguyên",
]
QUALIFIERS = [
    "", "", "", "truyền thống", "đặc biệt", "loại 1", "cao cấp", "hữu cơ", "gia truyền", "nhà làm", "xuất khẩu",
    "Bảy Hương", "Bà Giáo", "Út Hiền", "Năm Sang", "Tư Thủy", "Ba Đời",
]
SIZES = ["hũ 200g", "hũ 500g", "hộp 300g", "hộp 1kg", "túi 250g", "túi 500g", "túi 5kg", "chai 500ml", "chai 1 lít",
         "can 2 lít", "bịch 1kg", "khay 400g", ""]
PRODUCER_KINDS = ["Hợp tác xã", "Cơ sở", "Hộ kinh doanh", "Công ty TNHH", "Tổ hợp tác", "Doanh nghiệp tư nhân"]
PRODUCER_NAMES = ["Bảy Hương", "Bà Giáo Khoẻ", "Út Hiền", "Năm Sang", "Tư Thủy", "Ba Đời", "Thanh Hương", "Phước Lộc",
                  "Hoà Hảo", "Tân Phú", "Minh Châu", "Kim Ngân", "Hồng Phát", "Thiên Ân", "Đức Thành", "Vĩnh Phát"]
CERTIFICATE_REVOKED_REASON = "Không đạt khi kiểm tra"

# people and places for showrooms, shoppers and delivery addresses
FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
                "Dương", "Lý", "Châu", "Thạch", "Danh"]
MIDDLE_NAMES = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hoàng", "Kim", "Hữu", "Thị Bích", "Quốc", "Gia", ""]
GIVEN_NAMES = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hòa", "Hùng", "Hương", "Khánh",
               "Lan", "Linh", "Loan", "Long", "Mai", "Minh", "Nam", "Ngân", "Nhung", "Phúc", "Phương", "Quang", "Sơn",
               "Tâm", "Thảo", "Thành", "Trang", "Trinh", "Tú", "Tuấn", "Uyên", "Vân", "Vy", "Xuân", "Yến"]
STREETS = ["Nguyễn Văn Thoại", "Trần Hưng Đạo", "Lê Lợi", "Hai Bà Trưng", "Nguyễn Trãi", "Tôn Đức Thắng",
           "Lý Thái Tổ", "Hùng Vương", "Nguyễn Huệ", "Quốc lộ 91", "Tỉnh lộ 941", "Đường 30 Tháng 4",
           "Phan Đình Phùng", "Lê Hồng Phong", "Châu Văn Liêm", "Trần Phú"]
HAMLETS = ["ấp Mỹ Hòa", "ấp Vĩnh Lợi", "khóm Châu Long", "khóm Vĩnh Tây", "ấp Tân Hiệp", "ấp Phú Hữu", "ấp Bình An",
           "khóm Đông Thịnh", "ấp An Thạnh", ""]
SHOWROOM_KINDS = ["Điểm OCOP", "Điểm giới thiệu sản phẩm OCOP", "Gian hàng OCOP", "Cửa hàng OCOP"]
CARRIERS = ["Giao Hàng Nhanh", "Giao Hàng Tiết Kiệm", "Viettel Post", "VNPost", "J&T Express"]
CANCEL_REASONS = ["Khách đổi ý", "Không liên lạc được với khách", "Hết hàng", "Khách đặt trùng đơn"]
DELIVERY_NOTES = ["", "", "", "", "Gọi trước khi giao", "Giao giờ hành chính", "Để hàng ở bảo vệ"]
