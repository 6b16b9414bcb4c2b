from django.urls import path

from salesdesk.workqueue import views

app_name = "workqueue"
urlpatterns = [path("", views.home_view, name="home")]
