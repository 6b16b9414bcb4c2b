"""Charts without a CDN (A2.1): plotly.js is served from our own origin as a static file.

The `plotly` pip package ships `package_data/plotly.min.js`. This finder exposes that one file
as the static path `vendor/plotly.min.js`, so WhiteNoise serves it (compressed after
`collectstatic`) and nothing third-party is copied into the repository. Pages pass chart data
as JSON (`json_script`) to our own `salesdesk/static/salesdesk/dashboard.js`; the CSP stays
strict (docs/decisions/0010-charts.md).
"""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_STATIC_PATH = "vendor/plotly.min.js"
PREFIX, NAME = PLOTLY_STATIC_PATH.rsplit("/", 1)


def plotly_file() -> Path:
    return Path(plotly.__file__).parent / "package_data" / NAME


class PlotlyFinder(BaseFinder):
    """Finds exactly `vendor/plotly.min.js` in the installed plotly package."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=str(plotly_file().parent))
        self.storage.prefix = PREFIX

    def check(self, **kwargs) -> list:
        return []

    def find(self, path: str, find_all: bool = False, **kwargs):
        found = (
            str(plotly_file()) if path == PLOTLY_STATIC_PATH and plotly_file().is_file() else None
        )
        if find_all or kwargs.get("all"):
            return [found] if found else []
        return found

    def list(self, ignore_patterns):
        if plotly_file().is_file():
            yield NAME, self.storage
