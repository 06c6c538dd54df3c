"""The e-mail newsletters."""
from rocketry.conds import after_fail, after_success, daily, scheduler_cycles, time_of_week

from newsroom import schedules as sched

from .app import app


@app.task(daily.at("06:30") & time_of_week.between("Mon", "Fri"))
def morning_newsletter():
    ...


@app.task(sched.WEEKEND_DIGEST)  # MISTAKE: never-true, in sched.WEEKEND_DIGEST
def weekend_digest():
    ...


@app.task(after_success("nosuchtask"))  # MISTAKE: unknown-task, no such task anywhere
def subscriber_report():
    ...


@app.task(after_fail(morning_newsletter) | after_fail("weekend_digest"))
def alert_newsletter_failed():
    ...


@app.task(sched.MORNING_BRIEF + " & ~is under embargo", end_cond=scheduler_cycles(more_than=100))
def breaking_digest():
    ...


def desk_newsletter(desk, start, end):
    """One newsletter per desk; its hours come from the rota at run time."""

    @app.task(f"time of day between {start} and {end}", name=f"newsletter-{desk}")  # NOTE: run time
    def send():
        ...

    return send


for desk, start, end in (("sports", "07:00", "08:00"), ("culture", "17:00", "18:00")):
    desk_newsletter(desk, start, end)
