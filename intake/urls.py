from django.urls import path, re_path

from . import prepare_views, views

app_name = "intake"

urlpatterns = [
    path("", views.start, name="start"),
    path("step/<slug:slug>/", views.step, name="step"),
    path("save/", views.save_for_later, name="save"),
    path("resume/<str:token>/", views.resume, name="resume"),
    path("continue/", views.resume_check, name="resume_check"),
    path("done/", views.done, name="done"),
    # The client's secure link. The token's pattern leaves other names under prepare/ free
    # (prepare/questions/ is the questionnaire's); config/logsafety.py masks it in logs.
    re_path(r"^prepare/(?P<token>[A-Za-z0-9_-]{16,100})/$", prepare_views.prepare,
            name="prepare"),
    path("prepare/", prepare_views.prepare_home, name="prepare_home"),
    path("prepare/documents/<int:request_pk>/", prepare_views.prepare_upload,
         name="prepare_upload"),
    path("prepare/new-link/", prepare_views.prepare_new_link, name="prepare_new_link"),
]
