"""Reports for the purchasing team and the management."""
from rocketry.conds import (
    after_success,
    daily,
    hourly,
    running,
    succeeded,
    time_of_day,
    weekly,
)

from .app import app, is_business_day
from .finance import month_close
from .schedules import LUNCH_BREAK, OFFICE_HOURS


@app.task(daily.at("07:30") & is_business_day)
def morning_report():
    ...


@app.task(hourly & OFFICE_HOURS & ~time_of_day.between("12:00", "13:00"))
def stock_alerts():
    ...


# MISTAKE: bad-time, 25:00 on the next line
@app.task(daily.between("22:00", "25:00") & ~running(month_close))
def daily_summary():
    ...


@app.task(weekly.on("Mnday"))  # MISTAKE: unknown-weekday
def weekly_review():
    ...


@app.task(after_success("nosuchtask"))  # MISTAKE: unknown-task, no such task anywhere
def supplier_scorecard():
    ...


@app.task("daily & is buisness day")  # MISTAKE: unknown-condition, did you mean `is business day`
def purchase_orders():
    ...


@app.task(succeeded("extract").today & "after task 'load'")
def data_quality():
    ...


@app.task("daily after 14:00 & ~(" + LUNCH_BREAK + ")")
def afternoon_digest():
    ...
