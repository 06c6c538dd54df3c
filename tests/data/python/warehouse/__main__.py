"""Runs the warehouse scheduler."""
from . import etl, finance, maintenance, reports  # noqa: F401  (registers the tasks)
from .app import app

if __name__ == "__main__":
    app.run()
