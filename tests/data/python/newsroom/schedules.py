"""When the desks work, kept in one place so that the editors can review it."""
from rocketry.conds import cron, daily, every, time_of_day, time_of_week

# The print edition goes to the press overnight.
PRESS_WINDOW = daily.between("23:30", "02:00")

# Editors are at their desks in these hours, on these days.
NEWSROOM_HOURS = time_of_day.between("06:00", "23:00")
WEEKDAYS = time_of_week.between("Mon", "Fri")

# How often the wire agencies are polled.
WIRE_POLL = every("5 minutes")

# How often the social accounts are checked for replies.
SOCIAL_POLL = every("10 minuts")  # DEFINED: unknown-unit, used as schedules.SOCIAL_POLL in social.py

# The weekend digest: sent at midnight on Monday, but only on Tuesdays.
WEEKEND_DIGEST = cron("0 0 * * 1") & time_of_week.on("Tue")  # DEFINED: never-true, used as sched.WEEKEND_DIGEST

# Corrections are published at the top of the hour.
CORRECTIONS = cron("0 * * * *")

MORNING_BRIEF = "daily between 05:30 and 06:00"
