"""The archive: nightly exports, monthly snapshots and the yearly clean-up."""
import newsroom.schedules
from rocketry.conds import after_success, cron, monthly, time_of_day, weekly

from .app import app
from .storage import upload

ARCHIVE_HOUR = "04"


@app.task(newsroom.schedules.PRESS_WINDOW & after_success("send_to_press"))
def export_edition():
    upload("editions/latest.pdf", b"")


@app.task(monthly.starting("1st") & time_of_day.after("03:00"))
def monthly_snapshot():
    ...


@app.task(cron("0 3 30 2 *"))  # MISTAKE: cron-never, there is no February 30
def yearly_cleanup():
    ...


@app.task(f"daily after {ARCHIVE_HOUR}:00 & ~is under embargo")
def reindex_search():
    ...


@app.task(weekly.on("Sat") & newsroom.schedules.NEWSROOM_HOURS | cron("0 12 * * 0"))
def weekend_backfill():
    ...
