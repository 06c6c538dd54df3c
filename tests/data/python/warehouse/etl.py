"""Extract, transform and load the stock data of the suppliers."""
from rocketry.args import Return
from rocketry.conds import after_all_success, after_fail, after_success, every, running

from .app import app
from .schedules import NIGHTLY, SYNC_EVERY


@app.task(NIGHTLY)
def extract():
    rows = []
    for supplier in ("acme", "globex", "initech"):
        rows.extend(fetch_supplier(supplier))
    return rows


def fetch_supplier(name):
    # Stands for an HTTP call to the supplier's API.
    return [{"supplier": name, "sku": "A-1", "count": 3}]


@app.task(after_success(extract))
def transform(rows=Return("extract")):
    return [dict(row, count=max(row["count"], 0)) for row in rows]


@app.task(after_success("transfrom"))  # MISTAKE: unknown-task, did you mean `transform`
def load(rows=Return("transform")):
    for row in rows:
        store(row)


def store(row):
    print("stored", row)


@app.task(after_all_success(extract, transform) & ~running("load"))
def reconcile():
    ...


@app.task(every(SYNC_EVERY) & "stock_feed_online")  # MISTAKE: unknown-unit, in SYNC_EVERY
def sync_stock():
    ...


@app.task(after_fail(load))
def alert_load_failed():
    print("the nightly load failed")


@app.task(every("15 minutes") & running("load"), name="watch-load")
def watch_load():
    ...


def sync_task(region, minutes):
    """A stock sync per region; the schedule is only known at run time."""

    @app.task(every(f"{minutes} minutes"), name=f"sync-{region}")  # NOTE: built at run time
    def sync():
        ...

    return sync


for region, minutes in (("north", 20), ("south", 30)):
    sync_task(region, minutes)
