"""API of this area, mounted at /api/organisation/ (namespace `api-organisation`)."""

from django.urls import path

from aftersales.organisation import api

app_name = "api-organisation"
urlpatterns = [
    path("employees/", api.EmployeeList.as_view(), name="employee-list"),
    path("employees/<int:pk>/", api.EmployeeDetail.as_view(), name="employee-detail"),
    path("employees/new/", api.EmployeeCreate.as_view(), name="employee-new"),
    path("employees/<int:pk>/edit/", api.EmployeeEdit.as_view(), name="employee-edit"),
    path("employees/<int:pk>/account/login/", api.AccountLogin.as_view(), name="account-login"),
    path("employees/<int:pk>/account/roles/", api.AccountRoles.as_view(), name="account-roles"),
    path("employees/<int:pk>/account/link/", api.AccountLink.as_view(), name="account-link"),
    path(
        "employees/<int:pk>/account/deactivate/", api.AccountDeactivate.as_view(), name="account-deactivate"
    ),
    path(
        "employees/<int:pk>/account/reactivate/", api.AccountReactivate.as_view(), name="account-reactivate"
    ),
    path("roles/bulk/", api.RolesBulk.as_view(), name="roles-bulk"),
    path("import/", api.RosterImport.as_view(), name="import"),
    *[
        route
        for kind, view in api.STRUCTURE_TWINS.items()
        for route in (
            path(f"structure/{kind}/new/", view.as_view(), name=f"{kind}-new"),
            path(f"structure/{kind}/<int:pk>/", view.as_view(), name=f"{kind}-edit"),
        )
    ],
]
