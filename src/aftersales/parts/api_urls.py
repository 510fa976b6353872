"""API of the parts area, mounted at /api/parts/ (namespace `api-parts`)."""

from django.urls import path

from aftersales.parts import api

app_name = "api-parts"
urlpatterns = [
    path("parts/", api.PartList.as_view(), name="part-list"),
    path("balances/", api.BalanceList.as_view(), name="balance-list"),
    path("movements/", api.MovementList.as_view(), name="movement-list"),
    path("requisitions/", api.RequisitionList.as_view(), name="requisition-list"),
    path("requisitions/<int:pk>/", api.RequisitionDetail.as_view(), name="requisition-detail"),
    path("requisitions/<int:pk>/approve/", api.RequisitionApprove.as_view(), name="requisition-approve"),
    path("requisitions/<int:pk>/reject/", api.RequisitionReject.as_view(), name="requisition-reject"),
    path("requisitions/<int:pk>/issue/", api.RequisitionIssue.as_view(), name="requisition-issue"),
]
