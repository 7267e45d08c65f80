"""Background work: the task queue's retries and once-only keys (queue.py), the periodic jobs' schedule
(schedule.py) and the processes that run both (``manage.py run_worker``, ``manage.py run_scheduler``).

Importing this package sets nothing up: ``python -m shop.tasks.probe`` (the containers' health checks) stays cheap.
"""
