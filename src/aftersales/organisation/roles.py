"""Role names (SPEC §1). A person can hold several; each is a Django group of this name."""

from django.utils.translation import gettext_lazy as _

EMPLOYEE = "employee"
SUPERVISOR = "supervisor"
HEAD = "head"
HR = "hr"
DISPATCHER = "dispatcher"
WAREHOUSE = "warehouse"
ADMIN = "admin"

ROLE_LABELS = {
    EMPLOYEE: _("员工"),
    SUPERVISOR: _("直接主管"),
    HEAD: _("部门负责人"),
    HR: _("人力资源"),
    DISPATCHER: _("服务调度"),
    WAREHOUSE: _("库管"),
    ADMIN: _("系统管理员"),
}
ALL_ROLES = tuple(ROLE_LABELS)
