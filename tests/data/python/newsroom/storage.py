"""Object storage for the archive and the media workers (no scheduling here)."""
import os

BUCKET = os.environ.get("NEWSROOM_BUCKET", "newsroom-archive")


def upload(key, data):
    """Stands for a PUT to the bucket."""
    print(f"upload {len(data)} bytes to s3://{BUCKET}/{key}")
