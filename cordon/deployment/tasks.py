"""Background tasks (django-tasks, database backend; run by `cordon worker`)."""

from django_tasks import task


@task()
def run_plan(plan_id: int, publish: bool = False) -> None:
    """Run the planner for a queued plan and store its draft (or its error); with `publish`
    (the demo's first plan only), publish the draft as the command line would."""
    from cordon.accounts.permissions import SYSTEM

    from .services import plan_publish, plan_run

    plan = plan_run(plan_id=plan_id)
    if publish and plan.status == "draft":
        plan_publish(plan=plan, by=SYSTEM)
