"""External sales entered or imported by programme staff; closing periods (placeholder: being written)."""

urlpatterns: list = []
