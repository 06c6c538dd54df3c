"""Housekeeping: backups, vacuuming, log rotation."""
from rocketry.conds import daily, every, time_of_day, weekly

from .app import app

BACKUP_HOUR = "02:30"
KEEP_DAYS = 14


@app.task(daily.after(BACKUP_HOUR) & "is inventory frozen" | weekly.on("Sun"))
def backup():
    ...


# MISTAKE: never-true, no instant is both after 18:00 and before 08:00
@app.task(time_of_day.after("18:00") & time_of_day.before("08:00"))
def vacuum():
    ...


@app.task(every("1 hour", based="success"))  # NOTE: no statement form
def rotate_logs():
    ...


@app.task(f"every {KEEP_DAYS} days")
def prune_archive():
    ...
