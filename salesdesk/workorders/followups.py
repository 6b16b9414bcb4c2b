"""Explicit follow-ups of work-order steps, registered by the apps that own the source record.

The orders app registers what an accepted, finished or declined work order means for its
order (promised dates, fulfilment start, notices). The work-order service calls these in the
same transaction, by name, after the step — a plain registry, not Django signals, so
`work_order_accept()` reads top to bottom (see docs/decisions/0006-work-order-followups.md).
"""

from collections.abc import Callable
from typing import Any

Followup = Callable[[Any, Any], None]  # (work_order, actor)
_FOLLOWUPS: dict[str, list[Followup]] = {"accepted": [], "done": [], "declined": []}


def register(step: str, func: Followup) -> Followup:
    if func not in _FOLLOWUPS[step]:
        _FOLLOWUPS[step].append(func)
    return func


def run(step: str, work_order: Any, actor: Any) -> None:
    for func in _FOLLOWUPS[step]:
        func(work_order, actor)
