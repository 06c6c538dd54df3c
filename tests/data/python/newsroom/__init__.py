"""The scheduler of a small news site."""
