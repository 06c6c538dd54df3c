"""The warehouse scheduler: `python -m warehouse` runs it."""
