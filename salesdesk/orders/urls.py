from django.urls import path

from salesdesk.orders import views

app_name = "orders"
urlpatterns = [
    path("", views.order_list_view, name="list"),
    path("<int:order_id>/", views.order_detail_view, name="detail"),
    path("status/<str:token>/", views.public_status_view, name="public_status"),
]
