"""Schedules shared by the task modules, kept in one place so that ops can review them."""
from rocketry.conds import cron, daily, time_of_day, time_of_week

# The warehouse system is quiet at night: the batch jobs run in this window.
NIGHTLY = daily.between("01:00", "04:00")

# Office hours of the purchasing team.
OFFICE_HOURS = time_of_day.between("08:00", "18:00") & time_of_week.between("Mon", "Fri")

# How often the stock levels are pulled from the suppliers.
SYNC_EVERY = "10 minuts"  # DEFINED: unknown-unit, the mistake of `every(SYNC_EVERY)` in etl.py

# The books are closed on the last days of the month.
MONTH_CLOSE = cron("0 23 31 2 *")  # DEFINED: cron-never, the mistake of both uses in finance.py

LUNCH_BREAK = "time of day between 12:00 and 13:00"
