"""Who may enter the producer area: signed-in users who belong to a producer."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, render

from shop.fulfilment.selectors import producers_of_user


class ProducerAreaMixin(LoginRequiredMixin):
    """Anonymous users log in; signed-in users without a producer are told how to register (403)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not producers_of_user(request.user).exists():
            return render(request, "shop/listings/not_a_producer.html", status=403)
        return super().dispatch(request, *args, **kwargs)

    def producer(self):
        producers = producers_of_user(self.request.user)
        code = self.request.GET.get("producer") or self.request.POST.get("producer")
        return get_object_or_404(producers, code=code) if code else producers.order_by("name").first()
