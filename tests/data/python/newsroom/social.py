"""The site's social accounts."""
from rocketry.conds import after_success, false, retry, time_of_day, weekly

from . import schedules
from .app import app


@app.task(schedules.SOCIAL_POLL & schedules.NEWSROOM_HOURS)  # MISTAKE: unknown-unit, in SOCIAL_POLL
def check_replies():
    ...


@app.task(after_success("breaking_banner") & "is breaking news")
def push_breaking_alert():
    ...


# The weekly thread was paused during the redesign with `~false`, which pauses nothing.
@app.task(weekly.on("Sunday") & ~false)  # MISTAKE: redundant-clause, `~false` is always true
def weekly_thread():
    ...


@app.task(retry(3))  # NOTE: `retry` has no statement form
def repost_failed():
    ...


@app.task(schedules.WIRE_POLL & time_of_day.after("07:00") & "is politics desk staffed")
def live_politics_feed():
    ...
