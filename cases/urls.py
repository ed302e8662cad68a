from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/", views.export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/stage/", views.stage, name="stage"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/priority/", views.priority, name="priority"),
    path("<int:pk>/notes/", views.note_add, name="note_add"),
    path("<int:pk>/notes/<int:note_pk>/", views.note_edit, name="note_edit"),
    path("<int:pk>/translation/", views.claim_translation, name="translation"),
    path("<int:pk>/emails/<int:email_pk>/resend/", views.resend, name="resend"),
    path("<int:pk>/documents/<int:doc_pk>/", views.document, name="document"),
    path("<int:pk>/deadlines/", views.deadline_save, name="deadline_add"),
    path("<int:pk>/deadlines/<int:deadline_pk>/", views.deadline_save, name="deadline_edit"),
    path("<int:pk>/filing/", views.filing, name="filing"),
    path("<int:pk>/arrival/", views.arrival, name="arrival"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("calendar/link/", views.calendar_link, name="calendar_link"),
    path("calendar/<str:token>.ics", views.calendar, name="calendar"),
    # The dashboard's bulk triage and saved filters.
    path("bulk/", views.bulk_change, name="bulk"),
    path("filters/", views.saved_filter_add, name="saved_filter_add"),
    path("filters/<int:pk>/delete/", views.saved_filter_remove, name="saved_filter_delete"),
]
