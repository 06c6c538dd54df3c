"""The data pipeline of a small web shop, scheduled with Rocketry.

Every condition in this file is sound: `tminus lint` must report nothing but the one
string it cannot resolve (the task factory at the end).
"""
import re

from rocketry import Rocketry
from rocketry.args import Return
from rocketry.conds import after_success, daily
from rocketry.tasks import FuncTask

app = Rocketry(execution="async")

OFFICE_HOURS = "time of day between 08:00 and 18:00"
EVERY = 15


@app.cond("is business day")
def is_business_day():
    return True


@app.cond()
def inventory_ready():
    return True


@app.cond(re.compile(r"file (?P<path>\S+) exists"))
def file_exists(path):
    return True


@app.task("daily")
def extract():
    return [1, 2, 3]


@app.task("after task 'extract'")
def transform(data=Return("extract")):
    return data


@app.task(
    start_cond="after task 'transform' & is business day",
    end_cond="time of day after 20:00",
)
def load():
    ...


@app.task("daily & " + OFFICE_HOURS)
def report():
    ...


@app.task(f"every {EVERY} minutes")
def heartbeat():
    ...


@app.task('weekly on Monday & file reports/weekly.csv exists')
def weekly_mail():
    ...


@app.task(daily & after_success(extract))
def archive():
    ...


@app.task("hourly" & ~"task 'load' is running")
def refresh_cache():
    ...


@app.task(
    "daily after 07:00"
    " & ~is business day"
)
def weekend_digest():
    ...


def cleanup():
    ...


def send_newsletter():
    ...


app.task("every 2 hours", func=cleanup)
FuncTask(send_newsletter, start_cond="monthly on 1st & time of day after 09:00", name="newsletter")


def make_sync(region):
    @app.task(f"daily after {region.hour}:00", name=f"sync-{region.name}")
    def sync():
        ...
    return sync


if __name__ == "__main__":
    app.run()
