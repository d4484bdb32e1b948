"""A task for the worker tests: its return value says it ran."""

from django_tasks import task


@task()
def double(value):
    return value * 2
