"""Demo customers for `make run`: Taiwan and mainland companies with contacts (issue #3)."""

import random
from datetime import timedelta

from django.utils import timezone
from faker import Faker

from salesdesk.accounts.models import User
from salesdesk.core import demo
from salesdesk.customers.models import Customer
from salesdesk.customers.validators import USCC_CHARSET, check_tw_ubn, uscc_check_char

INDUSTRIES = ["電子製造", "機械設備", "食品加工", "醫療器材", "汽車零件", "紡織", "化工", "物流"]
INDUSTRIES_CN = [
    "电子制造",
    "机械设备",
    "食品加工",
    "医疗器械",
    "汽车零部件",
    "纺织",
    "化工",
    "物流",
]
SOURCES = ["market_research", "trade_show", "online_promotion", "sales_visit", "referral"]


def make_uscc(rng: random.Random) -> str:
    body = (
        "91"
        + "".join(rng.choice("0123456789") for _ in range(6))
        + "".join(rng.choice(USCC_CHARSET) for _ in range(9))
    )
    return body + uscc_check_char(body)


def make_tw_ubn(rng: random.Random) -> str:
    while True:
        code = "".join(rng.choice("0123456789") for _ in range(8))
        if check_tw_ubn(code).checksum_ok:
            return code


def _taiwan(fake: Faker, rng: random.Random) -> dict:
    company = fake.company()
    return {
        "kind": "enterprise",
        "legal_name": company,
        "short_name": company[:4],
        "tax_id": make_tw_ubn(rng),
        "country": "TW",
        "province": "",
        "city": fake.city(),
        "street": fake.street_address(),
        "industry": rng.choice(INDUSTRIES),
    }, {
        "name": fake.name(),
        "mobile": "09" + "".join(rng.choice("0123456789") for _ in range(8)),
        "email": fake.email(),
    }


def _mainland(fake: Faker, rng: random.Random) -> dict:
    company = fake.company()
    return {
        "kind": "enterprise",
        "legal_name": company,
        "short_name": fake.company_prefix(),
        "tax_id": make_uscc(rng),
        "country": "CN",
        "province": fake.province(),
        "city": fake.city_name(),
        "district": fake.district(),
        "street": fake.street_address(),
        "industry": rng.choice(INDUSTRIES_CN),
    }, {"name": fake.name(), "mobile": fake.phone_number(), "email": fake.email()}


@demo.register("customers.sample", order=30)
def load_customers(actor, stdout) -> None:
    from salesdesk.customers.services import customer_create

    rng = random.Random(2026)
    fakes = {"TW": Faker("zh_TW"), "CN": Faker("zh_CN")}
    for fake in fakes.values():
        fake.seed_instance(2026)
    owners = list(User.objects.filter(username__in=["sales1", "sales2"]).order_by("username"))
    if not owners:
        return
    for index in range(40):
        region = "TW" if index % 2 else "CN"
        build = _taiwan if region == "TW" else _mainland
        data, contact = build(fakes[region], rng)
        owner = owners[index % len(owners)]
        data.update(
            {
                "source": rng.choice(SOURCES),
                "owner": owner,
                "potential": rng.choice(["high", "medium", "low"]),
                "intention_level": rng.choice(["strong", "medium", "weak"]),
                "annual_capacity": str(rng.randrange(50, 5000) * 10000),
                "business_scope": data["industry"],
            }
        )
        contact.update(
            {
                "title": "採購經理" if region == "TW" else "采购经理",
                "is_decision_maker": index % 3 == 0,
                "is_primary": True,
            }
        )
        saved = customer_create(
            actor=owner, data=data, contacts=[contact], acknowledge_warnings=True
        )
        # Spread verification dates so some customers are due for a check.
        days_ago = rng.choice([5, 40, 120, 170, 200, 400])
        Customer.objects.filter(pk=saved.customer.pk).update(
            last_verified_at=timezone.now() - timedelta(days=days_ago)
        )
    stdout.write("  40 demo customers\n")
