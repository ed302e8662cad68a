from django.urls import path, re_path

from . import prepare_views, questionnaire_views, views

app_name = "intake"

urlpatterns = [
    path("", views.start, name="start"),
    path("step/<slug:slug>/", views.step, name="step"),
    path("save/", views.save_for_later, name="save"),
    path("resume/<str:token>/", views.resume, name="resume"),
    path("continue/", views.resume_check, name="resume_check"),
    path("done/", views.done, name="done"),
    # The preparation questionnaire, behind the client's secure link (intake.prepare_access).
    path("prepare/questions/", questionnaire_views.start, name="prepare_start"),
    path("prepare/questions/sent/", questionnaire_views.sent, name="prepare_sent"),
    path("prepare/questions/<slug:slug>/", questionnaire_views.step, name="prepare_step"),
    # The client's secure link. The token's pattern leaves other names under prepare/ free
    # (prepare/questions/ is the questionnaire's); config/logsafety.py masks it in logs.
    re_path(r"^prepare/(?P<token>[A-Za-z0-9_-]{16,100})/$", prepare_views.prepare,
            name="prepare"),
    path("prepare/", prepare_views.prepare_home, name="prepare_home"),
    path("prepare/documents/<int:request_pk>/", prepare_views.prepare_upload,
         name="prepare_upload"),
    path("prepare/new-link/", prepare_views.prepare_new_link, name="prepare_new_link"),
]
