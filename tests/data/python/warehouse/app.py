"""The Rocketry application object and the custom conditions every module may use."""
import datetime

from rocketry import Rocketry

app = Rocketry(
    config={
        "task_execution": "async",
        "max_process_count": 4,
        "silence_task_prerun": False,
    }
)

HOLIDAYS = {
    datetime.date(2024, 12, 24),
    datetime.date(2024, 12, 25),
    datetime.date(2025, 1, 1),
}


@app.cond("is business day")
def is_business_day():
    today = datetime.date.today()
    return today.weekday() < 5 and today not in HOLIDAYS


@app.cond()
def stock_feed_online():
    # The supplier's feed answers on a health endpoint; a file stands in for it here.
    return True


@app.cond("is inventory frozen")
def is_inventory_frozen():
    return datetime.date.today().day >= 28
