"""API of the form definitions, mounted at /api/formdefs/ (namespace `api-formdefs`). The published
forms are read on the command line too (`aftersales templates`)."""

from django.urls import path

from aftersales.formdefs import api

app_name = "api-formdefs"
urlpatterns = [
    path("forms/<slug:code>/copy/", api.DraftCopy.as_view(), name="copy"),
    path("drafts/<int:pk>/", api.DraftSave.as_view(), name="draft"),
    path("drafts/<int:pk>/publish/", api.DraftPublish.as_view(), name="draft-publish"),
    path("drafts/<int:pk>/discard/", api.DraftDiscard.as_view(), name="draft-discard"),
]
