from django.urls import path

from salesdesk.workorders import views

app_name = "workorders"
work = "<int:work_order_id>"
urlpatterns = [
    path("", views.work_order_list_view, name="list"),
    path(f"{work}/", views.work_order_detail_view, name="detail"),
    path(f"{work}/accept/", views.work_order_accept_view, name="accept"),
    path(f"{work}/progress/", views.work_order_progress_view, name="progress"),
    path(f"{work}/complete/", views.work_order_complete_view, name="complete"),
    path(f"{work}/decline/", views.work_order_decline_view, name="decline"),
]
