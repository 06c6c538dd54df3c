"""Runs the newsroom scheduler: `python -m newsroom`."""
import logging

from . import archive, editions, ingest, newsletters, social  # noqa: F401  (registers the tasks)
from .app import app

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    app.run()
