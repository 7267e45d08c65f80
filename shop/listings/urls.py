from django.urls import path

from shop.fulfilment import urls as fulfilment_urls

from . import live_views, views

seller = (
    [
        path("", views.SellerHomeView.as_view(), name="home"),
        path("register/", views.RegisterView.as_view(), name="register"),
        path("join/<str:token>/", views.JoinView.as_view(), name="join"),
        path("profile/", views.ProfileView.as_view(), name="profile"),
        path("products/", views.ProductListView.as_view(), name="product-list"),
        path("products/new/", views.ProductCreateView.as_view(), name="product-create"),
        path("products/<int:pk>/", views.ProductEditView.as_view(), name="product-edit"),
        path("products/<int:pk>/stock/", views.ProductStockView.as_view(), name="product-stock"),
        path("sales/", views.SalesView.as_view(), name="sales"),
        path("live/", live_views.LiveSessionListView.as_view(), name="live-list"),
        path("live/new/", live_views.LiveSessionCreateView.as_view(), name="live-create"),
        path("live/<int:pk>/", live_views.LiveSessionEditView.as_view(), name="live-edit"),
        *fulfilment_urls.seller[0],
    ],
    "seller",
)
programme = (
    [
        path("changes/", views.ChangeReviewView.as_view(), name="changes"),
        path("producers/", views.ProducerAdminView.as_view(), name="producers"),
        path("registry/", views.RegistryImportView.as_view(), name="registry"),
    ],
    "programme",
)
