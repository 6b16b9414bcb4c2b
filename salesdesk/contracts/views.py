"""The contract detail page (K1–K4): header, sanitized text, versions with diffs, the
countersign review panel, signing, originals, the fulfilment table, breaches, supplements,
files and the timeline.

The list and review queue live in views_list.py, drafting in views_draft.py, the page's
buttons and forms in views_actions.py, contract types in views_types.py.
"""

from itertools import groupby
from typing import Any

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from salesdesk.accounts.roles import role_label
from salesdesk.contracts.forms import (
    BreachForm,
    FulfilForm,
    ReviewForm,
    ScanForm,
    SignatureForm,
    StartSigningForm,
)
from salesdesk.contracts.models import BreachStatus, Contract, ContractStatus, Party
from salesdesk.contracts.policies import can_draft
from salesdesk.contracts.selectors import (
    ObligationState,
    contract_family,
    contract_reviews,
    contract_versions,
    obligation_state,
    pending_review_for,
)
from salesdesk.contracts.views_common import STATUS_BADGES, contract_or_404, sanitized_html
from salesdesk.contracts.workflow import CONTRACT
from salesdesk.core.attachments import attachments_of
from salesdesk.core.money import amount_in_words
from salesdesk.core.pdf import variant_for_language
from salesdesk.core.workflow import allowed_for
from salesdesk.orders.rules import payment_term_label

# Transitions offered as plain buttons, and whether they need a reason.
BUTTONS = {"submit": False, "complete": False, "terminate": True, "void": True}
STATE_BADGES = {
    ObligationState.OPEN: "",
    ObligationState.ON_TIME: "badge-ok",
    ObligationState.LATE: "badge-warn",
    ObligationState.OVERDUE: "badge-danger",
}
AFTER_SIGNING = (
    ContractStatus.ACTIVE,
    ContractStatus.COMPLETED,
    ContractStatus.TERMINATED,
    ContractStatus.EXPIRED,
)


def diff_lines(diff: str) -> list[tuple[str, str]]:
    """A unified diff as (kind, text) rows: added, removed, hunk header or context."""
    rows = []
    for line in diff.splitlines():
        if line.startswith(("+++", "---")):
            continue
        kind = {"+": "added", "-": "removed", "@": "hunk"}.get(line[:1], "context")
        rows.append((kind, line[1:] if kind in ("added", "removed", "context") else line))
    return rows


def review_rounds(contract: Contract) -> list[dict[str, Any]]:
    """Each round, newest first, with every role's decision and comment (K1.2)."""
    return [
        {
            "round": number,
            "current": number == contract.review_round,
            "reviews": [
                # A carried-over approval was never due in this round (see contract_submit).
                {"review": r, "role": role_label(r.role), "carried": r.due_at is None}
                for r in reviews
            ],
        }
        for number, reviews in groupby(contract_reviews(contract), key=lambda r: r.round)
    ]


def _signing(contract: Contract, user: Any, drafter: bool) -> dict[str, Any]:
    signatures = {s.party: s for s in contract.signatures.all()}
    signing = contract.status == ContractStatus.SIGNING and drafter
    return {
        "parties": [(party, signatures.get(party.value)) for party in Party],
        "scans": attachments_of(contract).filter(kind="signed_scan"),
        "can_start": any(t.name == "start_signing" for t in allowed_for(CONTRACT, contract, user)),
        "can_sign": signing,
        "can_activate": signing
        and any(t.name == "activate" for t in allowed_for(CONTRACT, contract, user)),
        "can_receive_original": contract.status == ContractStatus.ACTIVE
        and contract.original_due_on is not None
        and contract.original_received_at is None
        and drafter,
        "start_form": StartSigningForm(auto_id="start_%s"),
        "signature_form": SignatureForm(auto_id="sign_%s"),
        "scan_form": ScanForm(auto_id="scan_%s"),
    }


def _fulfilment(contract: Contract, user: Any) -> dict[str, Any]:
    roles = set(user.groups.values_list("name", flat=True))
    signer = user.has_perm("contracts.sign_contract")
    obligations = list(contract.obligations.select_related("fulfilled_by", "order"))
    rows = []
    for obligation in obligations:
        state = obligation_state(obligation)
        rows.append(
            {
                "obligation": obligation,
                "state": state,
                "state_label": ObligationState.LABELS[state],
                "badge": STATE_BADGES[state],
                "department": role_label(obligation.responsible_role),
                "can_fulfil": obligation.fulfilled_on is None
                and (signer or obligation.responsible_role in roles),
            }
        )
    may_record = signer or user.has_perm("contracts.review_contract")
    return {
        "obligation_rows": rows,
        "breaches": contract.breaches.select_related("obligation", "recorded_by"),
        "can_record_breach": may_record and contract.status in AFTER_SIGNING,
        "can_resolve_breach": may_record,
        "open_breach": BreachStatus.OPEN,
        "fulfil_form": FulfilForm(),
        "breach_form": BreachForm(
            auto_id="breach_%s", obligations=[(o.pk, o.description) for o in obligations]
        ),
    }


@login_required
def contract_detail_view(request, contract_id: int):
    """One contract with everything that happened to it and the user's next steps (K1–K4)."""
    user = request.user
    contract = contract_or_404(user, contract_id)
    drafter = can_draft(user, contract)
    pending = pending_review_for(user, contract)
    variant = variant_for_language(request.LANGUAGE_CODE)
    context = {
        "contract": contract,
        "badge": STATUS_BADGES.get(contract.status, ""),
        "body_html": sanitized_html(contract.body),
        "words": amount_in_words(contract.amount, variant),
        "payment_terms": payment_term_label(contract.payment_terms)
        if contract.payment_terms
        else "",
        "orders": contract.orders.order_by("number"),
        "buttons": [
            (t, BUTTONS[t.name]) for t in allowed_for(CONTRACT, contract, user) if t.name in BUTTONS
        ],
        "can_edit": contract.status == ContractStatus.DRAFTING and drafter,
        "can_supplement": contract.status == ContractStatus.ACTIVE
        and drafter
        and not contract.parent_id,
        "versions": [
            {"version": v, "lines": diff_lines(v.diff)} for v in contract_versions(contract)
        ],
        "rounds": review_rounds(contract),
        "pending_review": pending,
        "pending_role": role_label(pending.role) if pending else "",
        "review_form": ReviewForm(),
        "family": contract_family(contract),
        "attachments": attachments_of(contract).select_related("uploaded_by"),
        **_signing(contract, user, drafter),
        **_fulfilment(contract, user),
    }
    context["show_signing"] = contract.status in (
        ContractStatus.APPROVED,
        ContractStatus.SIGNING,
        *AFTER_SIGNING,
    )
    return render(request, "contracts/contract_detail.html", context)
