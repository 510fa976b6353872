"""Organisation and people (SPEC §1): departments and their units, regions, positions, employees.

Roles are Django groups (see ``roles.py``); their *scope* comes from the relations here:
a supervisor reaches the employees whose ``supervisor`` they are, a department head the employees
of the departments they head (units included), HR and admins everyone (R-1.1).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Category(models.TextChoices):
    """Employee categories and their appraisal form (R-1.2)."""

    TECH_SUPPORT = "tech_support", _("技术支持类/技术管理类")
    TECH_IMPROVEMENT = "tech_improvement", _("技改类")
    REPAIR = "repair", _("返修(操作)类")
    FIELD_SERVICE = "field_service", _("现场服务类")
    REGIONAL_SUPERVISOR = "regional_supervisor", _("区域主管")


class Department(models.Model):
    """A department (部门) or, with a parent, one of its units (技术支持, 配件库房, 返修组 …)."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    head = models.ForeignKey(
        "Employee",
        verbose_name=_("部门负责人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_departments",
    )
    head_in_pool = models.BooleanField(
        _("负责人绩效薪资计入部门奖金池"),
        default=True,
        help_text=_("否则负责人绩效薪资 = 部门月度绩效系数 × 部长标准绩效薪资"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def root(self) -> Department:
        """The department a unit belongs to (pay pools and distribution groups are per department)."""
        node = self
        while node.parent_id is not None:
            node = node.parent  # type: ignore[assignment]
        return node


class Region(models.Model):
    """A region (区域) where field staff are stationed at customer sites (驻段/驻站)."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="regions"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("区域")
        verbose_name_plural = _("区域")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Position(models.Model):
    """A position (职位) with its default appraisal category and standard salary."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    category = models.CharField(_("考核类别"), max_length=32, choices=Category.choices)
    standard_salary = models.DecimalField(
        _("职位标准薪资(元/月)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("职位")
        verbose_name_plural = _("职位")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Employee(models.Model):
    """An employee (员工); ``user`` is their login, if they have one."""

    number = models.CharField(_("工号"), max_length=20, unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="employees"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employees",
    )
    position = models.ForeignKey(
        Position, verbose_name=_("职位"), on_delete=models.PROTECT, related_name="employees"
    )
    category = models.CharField(_("考核类别"), max_length=32, choices=Category.choices)
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("直接主管"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    standard_salary = models.DecimalField(
        _("职位标准薪资(元/月)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    active_from = models.DateField(_("入职日期"))
    active_to = models.DateField(_("离职日期"), null=True, blank=True)
    email = models.EmailField(_("邮箱"), blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("员工")
        verbose_name_plural = _("员工")
        ordering = ["number"]
        indexes = [models.Index(fields=["department", "category"])]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Company(models.Model):
    """The installation's company (one row) and how far its first-run set-up has come (R-1)."""

    name = models.CharField(_("公司名称"), max_length=100, blank=True)
    setup_steps_done = models.JSONField(_("已完成的设置步骤"), default=list, blank=True)
    setup_finished_at = models.DateTimeField(_("设置完成时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("公司")
        verbose_name_plural = _("公司")

    def __str__(self) -> str:
        return self.name or "—"

    @classmethod
    def load(cls) -> Company:
        company, _created = cls.objects.get_or_create(pk=1)
        return company


class Account(models.Model):
    """What the app keeps about a login beside Django's user: whether its password must be changed
    at the next sign-in (an initial password set by HR)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("登录账号"), on_delete=models.CASCADE, related_name="account"
    )
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)

    class Meta:
        verbose_name = _("账号设置")
        verbose_name_plural = _("账号设置")

    def __str__(self) -> str:
        return str(self.user)


class AccountEvent(models.Model):
    """An audited change to a login (R-1.1): created, roles changed, deactivated, reactivated, a
    password link issued — who, when, what, why."""

    class Action(models.TextChoices):
        CREATED = "created", _("创建账号")
        ROLES = "roles", _("变更角色")
        DEACTIVATED = "deactivated", _("停用")
        REACTIVATED = "reactivated", _("恢复")
        PASSWORD_LINK = "password_link", _("发出设置密码链接")
        PASSWORD_SET = "password_set", _("设置初始密码")
        LINKED = "linked", _("关联员工")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.PROTECT,
        related_name="account_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    detail = models.CharField(_("内容"), max_length=300, blank=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("账号变更记录")
        verbose_name_plural = _("账号变更记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.action}"
