"""Demo risks and credit scores, so the register, heat map and score panel have content."""

from salesdesk.accounts.models import User
from salesdesk.core import demo
from salesdesk.customers.models import Customer
from salesdesk.orders.models import Order
from salesdesk.risk.services import (
    credit_scores_recompute,
    risk_assess,
    risk_create,
    risk_transition,
)


@demo.register("risk.sample", order=90)
def load_risks(actor, stdout) -> None:
    manager = User.objects.filter(username="manager").first()
    customer = Customer.objects.filter(orders__isnull=False).order_by("pk").first()
    if manager is None or customer is None:
        return
    order = Order.objects.filter(customer__owner__isnull=False).order_by("-pk").first()
    credit = risk_create(
        actor=manager,
        data={
            "title": "主要客戶付款持續延遲",
            "category": "customer_credit",
            "customer": customer.pk,
            "response_plan": "縮短賬期至 30 天，逾期即暫停發貨",
            "contingency_plan": "啟動催收並要求提供銀行保函",
        },
    )
    risk_assess(actor=manager, risk_id=credit.pk, likelihood=3, impact=3)
    risk_transition(actor=manager, risk_id=credit.pk, action="treat")
    if order is not None:
        delay = risk_create(
            actor=manager,
            data={
                "title": "伺服馬達供應不足可能延誤交期",
                "category": "order_execution",
                "order": order.pk,
                "contingency_plan": "改由備用供應商供貨並通知客戶新交期",
            },
        )
        risk_assess(actor=manager, risk_id=delay.pk, likelihood=4, impact=3)
    risk_create(
        actor=manager,
        data={
            "title": "業務人員離職時客戶資料外流",
            "category": "data_security",
            "response_plan": "離職當日停用帳號並檢查匯出紀錄",
        },
    )
    scored = credit_scores_recompute(actor=actor)
    stdout.write(f"  3 demo risks, {scored} credit scores\n")
