from django.urls import path

from salesdesk.training import views, views_career, views_programme

app_name = "training"
urlpatterns = [
    path("", views.calendar_view, name="calendar"),
    path("courses/", views.course_list_view, name="course_list"),
    path("courses/new/", views.course_form_view, name="course_create"),
    path("courses/<int:course_id>/", views.course_detail_view, name="course_detail"),
    path("courses/<int:course_id>/edit/", views.course_form_view, name="course_edit"),
    path("courses/<int:course_id>/attach/", views.course_attach_view, name="course_attach"),
    path("sessions/new/", views.session_form_view, name="session_create"),
    path("sessions/<int:session_id>/", views.session_detail_view, name="session_detail"),
    path("sessions/<int:session_id>/enrol/", views.session_enrol_view, name="session_enrol"),
    path("sessions/<int:session_id>/edit/", views.session_edit_view, name="session_edit"),
    path("sessions/<int:session_id>/cancel/", views.session_cancel_view, name="session_cancel"),
    path("enrolments/<int:enrolment_id>/", views.attendance_view, name="attendance"),
    path("programmes/", views_programme.programme_list_view, name="programme_list"),
    path("programmes/set/", views_programme.programme_form_view, name="programme_form"),
    path("me/", views_career.my_record_view, name="my_record"),
    path("people/", views_career.team_view, name="team"),
    path("people/<int:person_id>/", views_career.record_view, name="record"),
    path("plans/", views_career.plan_list_view, name="plan_list"),
    path("plans/new/<int:person_id>/", views_career.plan_create_view, name="plan_create"),
    path("plans/<int:plan_id>/", views_career.plan_detail_view, name="plan_detail"),
    path("plans/<int:plan_id>/<slug:part>/", views_career.plan_part_view, name="plan_part"),
]
