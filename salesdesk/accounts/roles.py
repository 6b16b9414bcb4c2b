"""Role → permission mapping, reviewed like code (DESIGN §1).

Each role is a Django group. `sync_roles()` makes the groups hold exactly the permissions
listed here; it runs after every `migrate` and with `salesdesk syncroles`. Patterns use
shell wildcards over "app_label.codename" and match only salesdesk's own apps, so
"*.view_*" means "read every business table". Later issues add their permissions here.
"""

from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from django.utils.translation import gettext_lazy as _

from salesdesk.accounts.permission_sets import (
    BACKUP_OPERATOR,
    CATALOG_EDITOR,
    CATALOG_READER,
    CONTRACT_DRAFTER,
    CONTRACT_REVIEWER,
    CORRECTIVE_ACTION_OWNER,
    CUSTOMER_EDITOR,
    CUSTOMER_READER,
    DEPARTMENT_WORK,
    EVALUATOR,
    FINANCE_CLERK,
    LOGISTICS,
    MONITORING_OVERSIGHT,
    MONITORING_OWNER,
    ORDER_ENTRY,
    ORDER_READER,
    RECEIVABLES_READER,
    REPORT_MAKER,
    REPORT_READER,
    RISK_EDITOR,
    RISK_MANAGER,
    SHIPPING_COORDINATOR,
    SHIPPING_READER,
    TRAINING_MANAGER,
)

SYSTEM_USERNAME = "system"


@dataclass(frozen=True)
class Role:
    name: str
    label: Any
    permissions: tuple[str, ...]
    internal: bool = False


ROLES: tuple[Role, ...] = (
    Role(
        "sales_admin",
        _("Sales admin"),
        (
            *CORRECTIVE_ACTION_OWNER,
            "audit.view_event",
            *CUSTOMER_EDITOR,
            "customers.view_team_customers",
            "customers.import_customer",
            "customers.import_history",
            "customers.erase_contact",
            "customers.share_customer",
            "customers.view_datasharingagreement",
            *CATALOG_READER,
            *CATALOG_EDITOR,
            *ORDER_ENTRY,
            "orders.view_team_orders",
            "orders.approve_order",
            "orders.record_delay",
            "workorders.view_workorder",
            *CONTRACT_DRAFTER,
            "contracts.view_contracttype",
            *SHIPPING_COORDINATOR,
            *RECEIVABLES_READER,
            "finance.add_invoice",
            *RISK_EDITOR,
            *MONITORING_OWNER,
            *REPORT_MAKER,
        ),
    ),
    Role(
        "salesperson",
        _("Salesperson"),
        (
            *CORRECTIVE_ACTION_OWNER,
            *CUSTOMER_EDITOR,
            *CATALOG_READER,
            *ORDER_ENTRY,
            "contracts.view_contract",
            "shipping.view_shipment",
            *RECEIVABLES_READER,
            "risk.view_risk",
            "risk.view_creditscore",
            *MONITORING_OWNER,
        ),
    ),
    Role(
        "sales_manager",
        _("Sales manager"),
        (
            *CORRECTIVE_ACTION_OWNER,
            "audit.view_event",
            *CUSTOMER_EDITOR,
            "customers.view_team_customers",
            "customers.transfer_customer",
            *CATALOG_READER,
            *ORDER_ENTRY,
            "orders.view_team_orders",
            "orders.release_credit_hold",
            "orders.override_compliance",
            "orders.record_delay",
            "workorders.view_workorder",
            "contracts.view_contract",
            "shipping.view_shipment",
            *RECEIVABLES_READER,
            *RISK_MANAGER,
            *MONITORING_OWNER,
            *REPORT_MAKER,
            *TRAINING_MANAGER,
            "training.view_team_training",
            # Process KPIs of their own team (E2.2).
            "supervision.view_team_kpis",
            # Market sizes for market share (A2.2).
            "analytics.view_marketsize",
            "analytics.add_marketsize",
            "analytics.change_marketsize",
        ),
    ),
    Role(
        "legal",
        _("Legal"),
        (
            *CORRECTIVE_ACTION_OWNER,
            *CUSTOMER_READER,
            *ORDER_READER,
            *CONTRACT_REVIEWER,
            "contracts.view_contracttype",
            "contracts.add_contracttype",
            "contracts.change_contracttype",
            *RISK_EDITOR,
            "risk.view_all_risks",
            *MONITORING_OWNER,
        ),
    ),
    Role(
        "finance",
        _("Finance"),
        (
            *CORRECTIVE_ACTION_OWNER,
            *CUSTOMER_READER,
            "customers.reveal_contact",
            "customers.change_credit",
            *ORDER_READER,
            "orders.release_credit_hold",
            *CONTRACT_REVIEWER,
            *SHIPPING_READER,
            *FINANCE_CLERK,
            *RISK_MANAGER,
            *MONITORING_OWNER,
        ),
    ),
    Role(
        "production",
        _("Production"),
        (*CORRECTIVE_ACTION_OWNER, *CATALOG_READER, *ORDER_READER, *DEPARTMENT_WORK),
    ),
    Role(
        "purchasing",
        _("Purchasing"),
        (*CORRECTIVE_ACTION_OWNER, *CATALOG_READER, *ORDER_READER, *DEPARTMENT_WORK),
    ),
    Role(
        "warehouse",
        _("Warehouse"),
        (
            *CORRECTIVE_ACTION_OWNER,
            *CUSTOMER_READER,
            *CATALOG_READER,
            "catalog.change_stock",
            *ORDER_READER,
            *DEPARTMENT_WORK,
            *SHIPPING_READER,
            "shipping.prepare_shipment",
        ),
    ),
    Role(
        "quality",
        _("Quality"),
        (
            *CORRECTIVE_ACTION_OWNER,
            *CATALOG_READER,
            *ORDER_READER,
            *DEPARTMENT_WORK,
            *SHIPPING_READER,
            "shipping.prepare_shipment",
        ),
    ),
    Role(
        "logistics",
        _("Logistics"),
        (
            *CORRECTIVE_ACTION_OWNER,
            *CUSTOMER_READER,
            *ORDER_READER,
            "contracts.view_contract",
            "contracts.view_all_contracts",
            *LOGISTICS,
            *DEPARTMENT_WORK,
        ),
    ),
    Role(
        "supervisor",
        _("Supervisor"),
        (
            "*.view_*",
            "supervision.inspect",
            "supervision.work_correctiveaction",
            "supervision.verify_correctiveaction",
            *EVALUATOR,
        ),
    ),
    Role(
        "management",
        _("Management"),
        (
            *CORRECTIVE_ACTION_OWNER,
            "supervision.view_kpis",
            *EVALUATOR,
            "supervision.view_evaluationrun",
            "supervision.view_processimprovement",
            "audit.view_event",
            *CUSTOMER_READER,
            "customers.export_customer",
            *ORDER_READER,
            *CONTRACT_REVIEWER,
            *SHIPPING_READER,
            *RECEIVABLES_READER,
            *RISK_MANAGER,
            *MONITORING_OVERSIGHT,
            *REPORT_READER,
            *TRAINING_MANAGER,
            "training.view_all_training",
        ),
    ),
    Role(
        "admin",
        _("Administrator"),
        (
            "accounts.view_user",
            "accounts.add_user",
            "customers.import_history",
            "accounts.change_user",
            "accounts.view_department",
            "accounts.add_department",
            "accounts.change_department",
            "accounts.view_apitoken",
            "core.view_policy",
            "core.change_policy",
            "audit.view_event",
            "audit.view_accesslog",
            "notifications.view_outboundemail",
            "notifications.retry_outboundemail",
            "notifications.cancel_outboundemail",
            *RISK_EDITOR,
            *MONITORING_OWNER,
            *MONITORING_OVERSIGHT,
            "monitoring.run_monitoring",
            *BACKUP_OPERATOR,
        ),
    ),
    Role(
        "system",
        _("System"),
        (
            "notifications.send_outboundemail",
            "notifications.retry_outboundemail",
            *ORDER_READER,
            "orders.approve_order",
            "contracts.view_contract",
            "contracts.view_all_contracts",
            "contracts.end_contract",
            *SHIPPING_READER,
            "shipping.book_shipment",
            "risk.view_all_risks",
            "risk.recompute_credit_score",
            "monitoring.run_monitoring",
            *BACKUP_OPERATOR,
            *REPORT_MAKER,
            "supervision.run_evaluation",
        ),
        internal=True,
    ),
)

ROLE_NAMES = tuple(role.name for role in ROLES)
ASSIGNABLE_ROLES = tuple(role.name for role in ROLES if not role.internal)


def role(name: str) -> Role:
    for candidate in ROLES:
        if candidate.name == name:
            return candidate
    raise KeyError(name)


def role_label(name: str) -> Any:
    try:
        return role(name).label
    except KeyError:
        return name


def _own_permissions():
    from django.apps import apps
    from django.contrib.auth.models import Permission

    own = [cfg.label for cfg in apps.get_app_configs() if cfg.name.startswith("salesdesk.")]
    return Permission.objects.filter(content_type__app_label__in=own).select_related("content_type")


def resolve(patterns: tuple[str, ...], available) -> set:
    """The permissions a role's patterns name; an exact name that matches nothing is an error."""
    chosen = set()
    for pattern in patterns:
        matched = {
            p for p in available if fnmatchcase(f"{p.content_type.app_label}.{p.codename}", pattern)
        }
        if not matched and not any(ch in pattern for ch in "*?["):
            raise ValueError(f"roles.py names an unknown permission: {pattern}")
        chosen |= matched
    return chosen


def sync_roles() -> dict[str, int]:
    """Make every role group hold exactly its listed permissions; returns counts per role."""
    from django.contrib.auth.models import Group

    available = list(_own_permissions())
    counts = {}
    for item in ROLES:
        group, _created = Group.objects.get_or_create(name=item.name)
        wanted = resolve(item.permissions, available)
        group.permissions.set(wanted)
        counts[item.name] = len(wanted)
    return counts


def sync_roles_after_migrate(sender, app_config=None, **kwargs) -> None:
    """post_migrate hook: once all apps' permissions exist, sync the role groups."""
    from django.apps import apps

    with_models = [cfg for cfg in apps.get_app_configs() if cfg.models_module is not None]
    if app_config is not None and app_config.label == with_models[-1].label:
        sync_roles()
