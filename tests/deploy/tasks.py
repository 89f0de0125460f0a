"""A task for the worker tests: what the worker sees while it runs a task."""

from django_tasks import task


@task()
def count_heartbeats() -> int:
    from sosvet.models import WorkerHeartbeat

    return WorkerHeartbeat.objects.count()
