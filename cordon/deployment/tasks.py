"""Background tasks (django-tasks, database backend; run by `cordon worker`)."""

from django_tasks import task


@task()
def run_plan(plan_id: int) -> None:
    """Run the planner for a queued plan and store its draft (or its error)."""
    from .services import plan_run

    plan_run(plan_id=plan_id)
