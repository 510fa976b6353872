"""API of this area, mounted at /api/evidence/ (namespace `api-evidence`)."""

from django.urls import path

from aftersales.evidence import api

app_name = "api-evidence"
urlpatterns = [
    path("proposals/", api.ProposalList.as_view(), name="proposal-list"),
    path("proposals/<int:pk>/accept/", api.ProposalAccept.as_view(), name="proposal-accept"),
    path("proposals/<int:pk>/reject/", api.ProposalReject.as_view(), name="proposal-reject"),
    path("propose/", api.Propose.as_view(), name="propose"),
]
