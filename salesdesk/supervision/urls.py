from django.urls import path

from salesdesk.supervision import views_actions, views_kpis, views_plans
from salesdesk.supervision import views_evaluation as ev
from salesdesk.supervision import views_evaluation_measures as ev_measures

app_name = "supervision"
plan = "plans/<int:plan_id>"
action = "actions/<int:action_id>"
urlpatterns = [
    path("", views_kpis.dashboard_view, name="dashboard"),
    path("kpis/<str:name>/", views_kpis.kpi_detail_view, name="kpi"),
    path("plans/", views_plans.plan_list_view, name="plans"),
    path("plans/new/", views_plans.plan_create_view, name="plan_create"),
    path(f"{plan}/", views_plans.plan_detail_view, name="plan_detail"),
    path(f"{plan}/<str:transition>/", views_plans.plan_transition_view, name="plan_transition"),
    path("checklist/<int:item_id>/", views_plans.checklist_record_view, name="checklist_record"),
    path(f"{plan}/findings/new/", views_plans.finding_create_view, name="finding_create"),
    path(
        "findings/<int:finding_id>/actions/new/",
        views_actions.action_create_view,
        name="action_create",
    ),
    path("actions/", views_actions.action_list_view, name="actions"),
    path(f"{action}/", views_actions.action_detail_view, name="action_detail"),
    path(
        f"{action}/<str:transition>/",
        views_actions.action_transition_view,
        name="action_transition",
    ),
    # Evaluations (E2.3, E3.1)
    path("evaluations/", ev.evaluation_list_view, name="evaluations"),
    path("evaluations/new/", ev.evaluation_create_view, name="evaluation_create"),
    path("evaluations/<int:run_id>/", ev.evaluation_detail_view, name="evaluation_detail"),
    path(
        "evaluations/<int:run_id>/results/<int:result_id>/measure/",
        ev_measures.measure_create_view,
        name="evaluation_measure",
    ),
    path(
        "evaluations/<int:run_id>/<str:transition>/",
        ev.evaluation_transition_view,
        name="evaluation_transition",
    ),
    path("improvements/", ev_measures.improvement_list_view, name="improvements"),
    path("improvements/new/", ev_measures.improvement_create_view, name="improvement_create"),
]
