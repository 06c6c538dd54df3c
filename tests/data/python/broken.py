"""A Rocketry app with a broken statement of each kind (fixture for `tminus lint`)."""
from rocketry import Rocketry
from rocketry.tasks import CommandTask, FuncTask

app = Rocketry()

LUNCH = "time of day between 12:00 and 12:65"
N = 0


@app.cond("is holiday")
def is_holiday():
    return False


@app.task("daily betwen 10:00 and 12:00")
def extract():
    ...


@app.task("daily between 25:00 and 26:00")
def transform():
    ...


@app.task("after task 'extarct'")
def load():
    ...


@app.task("weekly on Monday & " + LUNCH)
def report():
    ...


@app.task(f"every {N} minutes")
def heartbeat():
    ...


def make_sync(hour):
    @app.task(f"daily after {hour}:00")
    def sync():
        ...
    return sync


@app.task("daily & ~is holliday")
def notify():
    ...


@app.task("after task \"extract\" & every 10 minuts")
def audit():
    ...


@app.task(
    "daily between 10:00 "
    "and 11:61"
)
def backup():
    ...


def cleanup():
    ...


FuncTask(cleanup, start_cond="hourly", end_cond="time of day after 1O:00", name="cleanup")
CommandTask(command="./backup.sh", start_cond="evry 10 minutes", name="backup-command")
