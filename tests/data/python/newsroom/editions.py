"""The web front page and the print edition."""
from rocketry.conds import after_all_success, cron, daily, every, hourly, running, succeeded

from .app import app
from .schedules import CORRECTIONS, MORNING_BRIEF, NEWSROOM_HOURS, PRESS_WINDOW, WEEKDAYS


@app.task(every("2 minutes") & NEWSROOM_HOURS)
def refresh_front_page():
    ...


@app.task(PRESS_WINDOW & after_all_success("dedupe_stories", "layout_pages"))
def send_to_press():
    ...


# MISTAKE: bad-time, 25:00 on the next line
@app.task(daily.between("22:00", "25:00") & ~running(send_to_press))
def layout_pages():
    ...


@app.task(cron("61 * * * *"))  # MISTAKE: cron-out-of-range
def rotate_teasers():
    ...


@app.task("daily & is braking news")  # MISTAKE: unknown-condition, did you mean `is breaking news`
def breaking_banner():
    ...


@app.task("time of day betwen 06:00 and 09:00")  # MISTAKE: syntax, did you mean `between`
def morning_live_blog():
    ...


@app.task(hourly & ~running("refresh_frontpage"))  # MISTAKE: unknown-task, `refresh_front_page`
def rebuild_sitemap():
    ...


@app.task("cron 30 5 * * * & time of day after 08:00")  # MISTAKE: never-true, 05:30 is before 08:00
def print_index():
    ...


@app.task(CORRECTIONS & WEEKDAYS & ~"is under embargo")
def publish_corrections():
    ...


@app.task(MORNING_BRIEF + " & is sports desk staffed")
def sports_brief():
    ...


@app.task(succeeded("send_to_press").today & "after task 'layout_pages'")
def archive_pdf():
    ...
