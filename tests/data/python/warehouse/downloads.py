"""Downloads of the suppliers' catalogues, shown with a progress bar (not Rocketry)."""
from rich.progress import Progress


def download_catalogues(urls):
    with Progress() as progress:
        job = progress.task("Downloading files")
        for url in urls:
            progress.advance(job)
            fetch(url)


def fetch(url):
    ...
