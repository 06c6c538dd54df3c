"""Image and video processing on the Celery workers (not Rocketry)."""
import os

from celery import Celery

from .storage import upload

app = Celery("media", broker=os.environ.get("NEWSROOM_BROKER", "redis://localhost:6379/0"))


class Progress:
    """One console line per step of a job, for the worker's log."""

    def task(self, description):
        print(description)
        return self


progress = Progress()


@app.task(bind=True, max_retries=3, default_retry_delay=30)
def resize_image(self, path):
    progress.task("Downloading files")
    upload(f"images/{os.path.basename(path)}", b"")


@app.task(name="media.transcode", rate_limit="10/m")
def transcode_video(path):
    progress.task("Transcoding every 10 minuts of video")
    upload(f"video/{os.path.basename(path)}", b"")
