"""Who may enter the showroom stock screen: signed-in users assigned to a showroom (or programme staff with the
stock permission). Someone else's showroom, product or movement is a 404, and an action on it changes nothing."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, render

from .models import StockMovement
from .selectors import shelf_product_for_user, showroom_for_user, showrooms_of_user


class ShowroomStaffMixin(LoginRequiredMixin):
    """Anonymous users log in; signed-in users without a showroom are told so (403); a ``code`` in the URL must be
    one of the user's showrooms (404 otherwise) and is kept as ``self.showroom``."""

    showroom = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not showrooms_of_user(request.user).exists():
            return render(request, "showrooms/stock/not_assigned.html", status=403)
        if "code" in kwargs:
            self.showroom = showroom_for_user(user=request.user, code=kwargs["code"])
        return super().dispatch(request, *args, **kwargs)

    def product(self, product_id):
        """A product the user may act on at this showroom (on its shelf, or certified); anything else is a 404."""
        return shelf_product_for_user(showroom=self.showroom, product_id=product_id)

    def movement(self, movement_id):
        """A movement of this showroom; another showroom's is a 404."""
        return get_object_or_404(
            StockMovement.objects.select_related("product", "showroom"), pk=movement_id, showroom=self.showroom
        )

    def other_showrooms(self):
        """Where this user may transfer to: their other showrooms."""
        return showrooms_of_user(self.request.user).exclude(pk=self.showroom.pk).order_by("name")
