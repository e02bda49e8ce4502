"""The one background task: run a portal job by its id (the handler is named on the job row)."""

from django_tasks import TaskContext, task

from . import runner


@task(takes_context=True)
def run_job(context: TaskContext, job_id: int) -> str:
    return runner.run(job_id, str(context.task_result.id))


@runner.handler("jobs.send_mail")
def send_mail(job) -> dict:
    """E-mails queued by a service: sent by the worker, retried when the mail server does not answer."""
    from django.core.mail import get_connection, send_mass_mail

    messages = [tuple(m) for m in job.params["messages"]]
    sent = send_mass_mail(messages, fail_silently=False, connection=get_connection())
    return {"message": f"{sent}/{len(messages)}"}
