"""The Rocketry application and the conditions every desk may use."""
import os
import re
from pathlib import Path

from rocketry import Rocketry

app = Rocketry(config={"task_execution": "process", "restarting": "relaunch"})

STATE = Path(os.environ.get("NEWSROOM_STATE", "/var/lib/newsroom"))


@app.cond("is breaking news")
def is_breaking_news():
    return (STATE / "breaking").exists()


@app.cond("is under embargo")
def is_under_embargo():
    return (STATE / "embargo").exists()


@app.cond()
def wire_connected():
    # The agencies' socket writes a heartbeat file every few seconds.
    return (STATE / "wire.heartbeat").exists()


@app.cond(re.compile(r"is (?P<desk>sports|politics|culture) desk staffed"))
def desk_staffed(desk):
    return (STATE / "rota" / desk).exists()
