"""The programme dashboard and the periodic reports (placeholder: being written)."""

urlpatterns: list = []
