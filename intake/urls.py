from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("", views.start, name="start"),
    path("step/<slug:slug>/", views.step, name="step"),
    path("save/", views.save_for_later, name="save"),
    path("resume/<str:token>/", views.resume, name="resume"),
    path("continue/", views.resume_check, name="resume_check"),
    path("done/", views.done, name="done"),
]
