"""A trend as text: one block character per measured value (R3.1), readable everywhere
(screen readers get the numbers from the title attribute and the detail page)."""

from decimal import Decimal, InvalidOperation

BLOCKS = "▁▂▃▄▅▆▇█"


def sparkline(values: list) -> str:
    numbers = []
    for value in values:
        try:
            numbers.append(Decimal(str(value)))
        except (InvalidOperation, ValueError):
            continue
    if not numbers:
        return ""
    low, high = min(numbers), max(numbers)
    if high == low:
        return BLOCKS[len(BLOCKS) // 2] * len(numbers)
    scale = (len(BLOCKS) - 1) / (high - low)
    return "".join(BLOCKS[int((n - low) * scale)] for n in numbers)


def direction(values: list) -> str:
    """ "up", "down" or "" comparing the last value with the one before."""
    if len(values) < 2:
        return ""
    last, before = Decimal(str(values[-1])), Decimal(str(values[-2]))
    return "up" if last > before else "down" if last < before else ""
