"""Wire agencies, press releases and the desks' own feeds."""
import json
import os

from rocketry.conds import after_any_fail, after_success, every, running, time_of_day

from . import schedules
from .app import app
from .storage import upload

FEEDS = json.loads(os.environ.get("NEWSROOM_FEEDS", "[]"))
FEED_INTERVAL = os.environ.get("NEWSROOM_FEED_INTERVAL", "15 minutes")


@app.task(schedules.WIRE_POLL & "wire_connected")
def poll_wires():
    return [{"agency": agency, "items": []} for agency in ("ap", "reuters", "afp")]


@app.task(every("10 minuts"))  # MISTAKE: unknown-unit, did you mean `minutes`
def poll_press_releases():
    ...


@app.task(every(FEED_INTERVAL))  # NOTE: read from the environment at run time
def poll_feeds():
    for feed in FEEDS:
        upload(f"feeds/{feed}.json", b"")


@app.task(after_success(poll_wires) & ~running("dedupe_stories"))
def tag_stories():
    ...


@app.task(after_success("poll_wire"))  # MISTAKE: unknown-task, did you mean `poll_wires`
def dedupe_stories():
    ...


@app.task(after_any_fail(poll_wires, "poll_feeds") & time_of_day.between("06:00", "22:00"))
def page_the_wire_editor():
    ...


@app.task(running.more_than("30 minutes"))  # NOTE: no statement form
def kill_stuck_poll():
    ...
