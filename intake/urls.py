from django.urls import path

from . import prepare_views, views

app_name = "intake"

urlpatterns = [
    path("", views.start, name="start"),
    path("step/<slug:slug>/", views.step, name="step"),
    path("save/", views.save_for_later, name="save"),
    path("resume/<str:token>/", views.resume, name="resume"),
    path("continue/", views.resume_check, name="resume_check"),
    path("done/", views.done, name="done"),
    # The preparation questionnaire, behind the client's secure link (intake.prepare_access).
    path("prepare/questions/", prepare_views.start, name="prepare_start"),
    path("prepare/questions/sent/", prepare_views.sent, name="prepare_sent"),
    path("prepare/questions/<slug:slug>/", prepare_views.step, name="prepare_step"),
]
