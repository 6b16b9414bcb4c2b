"""The dispatch board for logistics (S2.3, S3.2): what waits for a booking, what is booked,
what is on the way, what has a problem and what is past its promised delivery."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.shortcuts import render
from django.utils import timezone

from salesdesk.shipping.selectors import BOARD_LIMIT, board_columns


@login_required
def dispatch_board_view(request):
    if not request.user.has_perm("shipping.book_shipment"):
        raise PageForbidden
    context = {
        "columns": board_columns(user=request.user),
        "limit": BOARD_LIMIT,
        "today": timezone.localdate(),
    }
    return render(request, "shipping/dispatch_board.html", context)
