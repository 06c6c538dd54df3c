"""Month-end closing: the books are frozen, reconciled and exported."""
from rocketry.conds import after_success, cron, monthly, running

from .app import app
from .schedules import MONTH_CLOSE


@app.task(MONTH_CLOSE)  # MISTAKE: cron-never comes from schedules.py
def month_close():
    freeze_books()
    export_ledger()


def freeze_books():
    ...


def export_ledger():
    ...


@app.task(MONTH_CLOSE | monthly.starting("1st"), name="close-check")  # MISTAKE: cron-never again
def close_check():
    ...


@app.task(cron("61 * * * *"))  # MISTAKE: cron-out-of-range
def ledger_snapshot():
    ...


@app.task(cron(minute="*/5", hour="8-18") & ~running(month_close))
def invoice_import():
    ...


@app.task(after_success(month_close), end_cond=running.more_than("2 hours"))  # NOTE: no statement form
def publish_ledger():
    ...
