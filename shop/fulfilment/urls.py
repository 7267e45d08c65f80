from django.urls import path

from . import views

shopper = (
    [path("<str:number>/<str:key>/", views.OrderDetailView.as_view(), name="detail")],
    "orders",
)
seller = (
    [
        path("orders/", views.SellerPartListView.as_view(), name="part-list"),
        path("orders/export.csv", views.SellerPartExportView.as_view(), name="part-export"),
        path("orders/<int:pk>/", views.SellerPartDetailView.as_view(), name="part-detail"),
    ],
    "seller",
)
