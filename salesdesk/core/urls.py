from django.urls import path

from salesdesk.core import policy_views

app_name = "core"
urlpatterns = [
    path("policies/", policy_views.policy_list_view, name="policy_list"),
    path("policies/<str:key>/", policy_views.policy_edit_view, name="policy_edit"),
]
