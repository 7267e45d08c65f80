"""The showroom staff's stock screen (phone-first), its CSV count import and export, and the pickup counter."""

from django.urls import path

from .views import imports, stock

app_name = "showroom-stock"
urlpatterns = [
    path("", stock.ShowroomChooseView.as_view(), name="choose"),
    path("<slug:code>/", stock.StockScreenView.as_view(), name="screen"),
    path("<slug:code>/products/<int:product_id>/", stock.ProductStockView.as_view(), name="product"),
    path("<slug:code>/movements/<int:movement_id>/undo/", stock.MovementUndoView.as_view(), name="undo"),
    path("<slug:code>/history/", stock.HistoryView.as_view(), name="history"),
    path("<slug:code>/pickups/", stock.PickupListView.as_view(), name="pickups"),
    path("<slug:code>/pickups/<int:part_id>/hand-over/", stock.PickupHandOverView.as_view(), name="hand-over"),
    path("<slug:code>/import/", imports.StockImportView.as_view(), name="import"),
    path("<slug:code>/export.csv", imports.StockExportView.as_view(), name="export"),
]
