"""Work queue API."""

from ninja import Router

router = Router(tags=["work queue"])
