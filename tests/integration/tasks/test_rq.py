"""The Redis queue (OCOP_TASKS_BACKEND=redis): the same email task, queued through django-tasks-rq and run by an RQ
worker (in this process: SimpleWorker, burst), goes out once however often it is queued. Redis db 6 of the local
server, emptied before and after."""

from decimal import Decimal

import pytest
from django.core import mail

from shop.fulfilment import emails
from tests.support.catalogue import make_certified_product
from tests.support.checkout import service_basket, service_place

pytestmark = pytest.mark.django_db

REDIS = "redis://127.0.0.1:6379/6"
SHOPPER = "binh@example.vn"


@pytest.fixture
def rq_queue(settings, signals_restored):
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS} (CI starts one: .ci/run)")
    client.flushdb()
    settings.RQ_QUEUES = {"default": {"URL": REDIS, "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.OCOP_TASKS_BACKEND = "redis"

    def run():
        import django_rq
        from rq import SimpleWorker

        worker = django_rq.get_worker("default", worker_class=SimpleWorker, job_class="django_tasks_rq.Job")
        worker.work(burst=True, with_scheduler=True)

    yield run
    client.flushdb()


def ours(queue):
    """Our jobs in the queue (Wagtail may have queued its reference index too)."""
    return [job.func_name for job in queue.get_jobs() if job.func_name.startswith("shop.")]


def test_the_email_task_runs_on_rq_once(rq_queue):
    import django_rq

    product = make_certified_product(title="Trà khổ qua rừng", price=Decimal("60000"))
    order = service_place(service_basket([(product, 1)]))  # the test's transaction never commits: queue by hand
    emails.order_placed(order.pk)
    emails.order_placed(order.pk)
    assert ours(django_rq.get_queue("default")) == ["shop.fulfilment.emails.send_order_placed"] * 2
    assert mail.outbox == []

    rq_queue()

    assert [m.to for m in mail.outbox] == [[SHOPPER]]
    assert django_rq.get_queue("default").count == 0  # everything ran, Wagtail's too
