from django.urls import path

from salesdesk.shipping import views_public

app_name = "shipping"
urlpatterns = [
    path("receipt/<str:token>/", views_public.public_receipt_view, name="public_receipt"),
    path("survey/<str:token>/", views_public.public_survey_view, name="public_survey"),
]
