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
    path("<int:pk>/contact/", views.contact, name="contact"),
    path("<int:pk>/paralegal/", views.paralegal_self, name="paralegal_self"),
    path("<int:pk>/consultation/", views.consultation, name="consultation"),
    path("<int:pk>/document-requests/", views.document_requests_add, name="document_requests"),
    path("<int:pk>/document-requests/<int:request_pk>/cancel/",
         views.document_request_cancel_view, name="document_request_cancel"),
    path("<int:pk>/preparation-link/", views.preparation_link, name="preparation_link"),
    path("alerts/", views.alert_settings, name="alert_settings"),
    path("<int:pk>/compare/<int:other_pk>/", views.compare, name="duplicate_compare"),
    path("<int:pk>/compare/<int:other_pk>/merge/", views.merge, name="duplicate_merge"),
    path("<int:pk>/compare/<int:other_pk>/not-duplicate/", views.not_duplicate,
         name="not_duplicate"),
    path("<int:pk>/conflict-check/", views.conflict_check, name="conflict_check"),
    path("bulk/", views.bulk_change, name="bulk"),
    path("filters/", views.saved_filter_add, name="saved_filter_add"),
    path("filters/<int:pk>/delete/", views.saved_filter_remove, name="saved_filter_delete"),
]
