from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkordersConfig(AppConfig):
    name = "salesdesk.workorders"
    label = "workorders"
    verbose_name = _("Work orders")

    def ready(self) -> None:
        from salesdesk.audit import verbs
        from salesdesk.core import navigation
        from salesdesk.workorders import work  # noqa: F401  (department queues)
        from salesdesk.workorders.workflow import WORK

        # Department members work their queue; managers and admins look across all of them.
        for permission in ("workorders.work_workorder", "workorders.view_workorder"):
            navigation.register(
                _("Work orders"), "workorders:list", permission=permission, order=30
            )
        for transition in WORK.transitions:
            verbs.register(transition.verb, transition.label)
        verbs.register("workorder.created", _("Work order created"))
        verbs.register("workorder.progress", _("Progress reported"))
