"""Demo users: one per role, with Chinese names, in their departments (issue #2)."""

from salesdesk.accounts.models import User
from salesdesk.accounts.services import department_ensure, user_create
from salesdesk.core import demo

DEMO_PASSWORD = "salesdesk-demo"  # noqa: S105 (printed for the demo; never a real account)

DEPARTMENTS = {
    "sales": "業務部",
    "sales-admin": "銷售內勤部",
    "legal": "法務部",
    "finance": "財務部",
    "production": "生產部",
    "purchasing": "採購部",
    "warehouse": "倉儲部",
    "quality": "品保部",
    "logistics": "物流部",
    "supervision": "監督小組",
    "management": "管理層",
    "it": "資訊部",
}

# username, role, department, display name, manager
USERS = [
    ("manager", "sales_manager", "sales", "陳志明", None),
    ("sales1", "salesperson", "sales", "王小華", "manager"),
    ("sales2", "salesperson", "sales", "李美玲", "manager"),
    ("salesadmin", "sales_admin", "sales-admin", "林雅婷", "manager"),
    ("legal", "legal", "legal", "張律師", None),
    ("finance", "finance", "finance", "黃會計", None),
    ("production", "production", "production", "吳廠長", None),
    ("purchasing", "purchasing", "purchasing", "周採購", None),
    ("warehouse", "warehouse", "warehouse", "鄭倉管", None),
    ("quality", "quality", "quality", "劉品保", None),
    ("logistics", "logistics", "logistics", "蔡物流", None),
    ("supervisor", "supervisor", "supervision", "許督導", None),
    ("boss", "management", "management", "趙總經理", None),
    ("admin", "admin", "it", "系統管理員", None),
]


@demo.register("accounts.users", order=10)
def load_users(actor, stdout) -> None:
    departments = {
        code: department_ensure(code=code, name=name) for code, name in DEPARTMENTS.items()
    }
    for username, role, department, name, manager in USERS:
        if User.objects.filter(username=username).exists():
            continue
        user_create(
            username=username,
            roles=[role],
            actor=actor,
            password=DEMO_PASSWORD,
            department=departments[department],
            manager=User.objects.get(username=manager) if manager else None,
            first_name=name,
            email=f"{username}@demo.salesdesk.local",
            check_password=False,
        )


def demo_logins() -> list[tuple[str, str, str]]:
    return [(username, role, DEMO_PASSWORD) for username, role, *_rest in USERS]
