"""The procedure's requirement IDs (REQUIREMENTS.md), the checklist an inspection plan is
built from (E1.1). The IDs are stable; the areas are the procedure's sections."""

from django.utils.translation import gettext_lazy as _

AREAS = {
    "C": _("Customer information"),
    "O": _("Orders"),
    "K": _("Contracts"),
    "S": _("Shipping"),
    "A": _("Sales data and analysis"),
    "E": _("Supervision and evaluation"),
    "T": _("Training and development"),
    "R": _("Risk management"),
    "U": _("What users expect"),
}

REQUIREMENTS = {
    "C": (
        "C1.1",
        "C1.2",
        "C1.3",
        "C1.4",
        "C2.1",
        "C2.2",
        "C3.1",
        "C3.2",
        "C3.3",
        "C3.4",
    ),
    "O": (
        "O1.1",
        "O1.2",
        "O1.3",
        "O2.1",
        "O2.2",
        "O2.3",
        "O3.1",
        "O3.2",
        "O4.1",
        "O4.2",
        "O4.3",
    ),
    "K": (
        "K1.1",
        "K1.2",
        "K2.1",
        "K2.2",
        "K3.1",
        "K3.2",
        "K3.3",
        "K4.1",
        "K4.2",
    ),
    "S": (
        "S1.1",
        "S1.2",
        "S2.1",
        "S2.2",
        "S2.3",
        "S3.1",
        "S3.2",
        "S4.1",
        "S4.2",
        "S4.3",
    ),
    "A": (
        "A1.1",
        "A1.2",
        "A2.1",
        "A2.2",
        "A3.1",
        "A3.2",
        "A4.1",
    ),
    "E": (
        "E1.1",
        "E2.1",
        "E2.2",
        "E2.3",
        "E3.1",
    ),
    "T": (
        "T1.1",
        "T2.1",
        "T3.1",
    ),
    "R": (
        "R1.1",
        "R1.2",
        "R2.1",
        "R2.2",
        "R2.3",
        "R2.4",
        "R3.1",
    ),
    "U": (
        "U1",
        "U2",
        "U3",
        "U4",
        "U5",
        "U6",
        "U7",
        "U8",
        "U9",
        "U10",
        "U11",
    ),
}

ALL_IDS = tuple(rid for ids in REQUIREMENTS.values() for rid in ids)


def area_of(requirement: str):
    return AREAS.get(requirement[:1], "")


def _selects(entry: str, requirement: str) -> bool:
    """ "O" selects the area, "O2" its section (O2.1–O2.3), "O2.1" itself."""
    if len(entry) == 1:
        return requirement[:1] == entry
    return requirement == entry or requirement.startswith(entry + ".")


def _entries(selection: list[str]) -> list[str]:
    return [s for s in (str(x).strip().upper() for x in selection) if s]


def expand(selection: list[str]) -> list[str]:
    """Requirement IDs chosen by IDs, sections ("O2") or area letters ("O"), in catalogue
    order."""
    entries = _entries(selection)
    return [rid for rid in ALL_IDS if any(_selects(e, rid) for e in entries)]


def unknown(selection: list[str]) -> list[str]:
    """Entries that select no requirement."""
    return [e for e in _entries(selection) if not any(_selects(e, rid) for rid in ALL_IDS)]
