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
urlpatterns += [
    path("parts/new/", api.PartCreate.as_view(), name="part-create"),
    path("parts/<int:pk>/", api.PartEdit.as_view(), name="part-edit"),
    path("stores/<int:pk>/receipts/", api.ReceiptCreate.as_view(), name="receipt-create"),
    path("stores/<int:pk>/transfers/", api.TransferCreate.as_view(), name="transfer-create"),
    path("stores/<int:pk>/stocktakes/", api.StocktakeCreate.as_view(), name="stocktake-create"),
    path("stores/<int:pk>/disposals/", api.Disposal.as_view(), name="disposal"),
    path("movements/<int:pk>/reverse/", api.MovementReverse.as_view(), name="movement-reverse"),
    path("requisitions/<int:pk>/old-part/", api.OldPartReturn.as_view(), name="old-part-return"),
    path("requisitions/<int:pk>/write-off/", api.WriteOff.as_view(), name="write-off"),
    path("freight/", api.FreightCreate.as_view(), name="freight-create"),
    path("freight/<int:pk>/sign/", api.FreightSign.as_view(), name="freight-sign"),
    path("claims/", api.ClaimCreate.as_view(), name="claim-create"),
    path("claims/<int:pk>/<slug:step>/", api.ClaimStep.as_view(), name="claim-step"),
]
