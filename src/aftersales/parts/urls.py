"""Pages of the parts area (namespace `parts`, mounted at /parts/)."""

from django.urls import path

from aftersales.parts import views

app_name = "parts"
urlpatterns = [
    path("", views.index, name="index"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/new/", views.part_create, name="part-create"),
    path("catalogue/<int:pk>/edit/", views.part_edit, name="part-edit"),
    path("stores/", views.stores, name="stores"),
    path("stores/<int:pk>/", views.store_detail, name="store-detail"),
    path("stores/<int:pk>/receive/", views.receipt_create, name="receipt-create"),
    path("stores/<int:pk>/transfer/", views.transfer_create, name="transfer-create"),
    path("stores/<int:pk>/stocktake/", views.stocktake_create, name="stocktake-create"),
    path("stores/<int:pk>/disposal/", views.disposal, name="disposal"),
    path("receipts/<int:pk>/slip/", views.receipt_slip, name="receipt-slip"),
    path("stocktakes/<int:pk>/", views.stocktake_detail, name="stocktake-detail"),
    path("movements/<int:pk>/reverse/", views.movement_reverse, name="movement-reverse"),
    path("requisitions/", views.requisitions, name="requisitions"),
    path("requisitions/new/", views.requisition_create, name="requisition-create"),
    path("requisitions/<int:pk>/", views.requisition_detail, name="requisition-detail"),
    path("requisitions/<int:pk>/approve/", views.requisition_approve, name="requisition-approve"),
    path("requisitions/<int:pk>/reject/", views.requisition_reject, name="requisition-reject"),
    path("requisitions/<int:pk>/issue/", views.requisition_issue, name="requisition-issue"),
    path("requisitions/<int:pk>/old-part/", views.old_part_return, name="old-part-return"),
    path("requisitions/<int:pk>/write-off/", views.write_off, name="write-off"),
    path("open-items/", views.open_items, name="open-items"),
    path("freight/", views.freight, name="freight"),
    path("freight/new/", views.freight_create, name="freight-create"),
    path("freight/<int:pk>/sign/", views.freight_sign, name="freight-sign"),
    path("claims/", views.claims, name="claims"),
    path("claims/new/", views.claim_create, name="claim-create"),
    path("claims/<int:pk>/", views.claim_detail, name="claim-detail"),
    path("claims/<int:pk>/<slug:step>/", views.claim_step, name="claim-step"),
]
