from django.urls import path

from salesdesk.risk import views, views_edit, views_matrix

app_name = "risk"
urlpatterns = [
    path("", views.risk_list_view, name="list"),
    path("new/", views_edit.risk_create_view, name="create"),
    path("heat-map/", views.risk_heatmap_view, name="heatmap"),
    path("matrix/", views_matrix.risk_matrix_view, name="matrix"),
    path("<int:risk_id>/", views.risk_detail_view, name="detail"),
    path("<int:risk_id>/edit/", views_edit.risk_edit_view, name="edit"),
    path("<int:risk_id>/assess/", views_edit.risk_assess_view, name="assess"),
    path("<int:risk_id>/contingency/", views_edit.risk_contingency_view, name="contingency"),
    path("<int:risk_id>/<slug:action>/", views_edit.risk_transition_view, name="transition"),
    path("customers/<int:customer_id>/", views.credit_score_view, name="credit_score"),
    path("customers/<int:customer_id>/panel/", views.credit_score_panel_view, name="credit_panel"),
    path(
        "customers/<int:customer_id>/recompute/",
        views_edit.credit_score_recompute_view,
        name="credit_recompute",
    ),
]
