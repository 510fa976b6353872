"""HR's pages of the appraisal forms (namespace `formdefs`, mounted at /formdefs/)."""

from django.urls import path

from aftersales.formdefs import views

app_name = "formdefs"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:code>/copy/", views.copy, name="copy"),
    path("drafts/<int:pk>/", views.draft, name="draft"),
    path("drafts/<int:pk>/preview/", views.draft_preview, name="draft-preview"),
    path("drafts/<int:pk>/pdf/", views.draft_pdf, name="draft-pdf"),
    path("drafts/<int:pk>/diff/", views.draft_diff, name="draft-diff"),
    path("drafts/<int:pk>/publish/", views.draft_publish, name="draft-publish"),
    path("drafts/<int:pk>/discard/", views.draft_discard, name="draft-discard"),
    path("versions/<int:pk>/", views.version, name="version"),
    path("versions/<int:pk>/pdf/", views.version_pdf, name="version-pdf"),
]
