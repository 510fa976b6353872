"""Who may propose, approve and decide (SPEC §6 with §1's roles), worked out once per request.

- propose a record: the employee's direct supervisor, the head of the employee's department, or HR;
- approve or reject it: the head of the employee's department, or HR — never the proposer, and
  nobody for a record about themselves;
- edit the reasons catalogue, decide dismissal cases: HR.

Separation of duties (R-4.1): nobody proposes, approves or rejects a record concerning themself, nor
decides their own dismissal case — even as HR or as the head. The record waits for another holder of
the deciding role (another HR user, or the head); ``deciders`` says who that is on the record's page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from aftersales.discipline.models import DisciplineRecord, DismissalCase, Status
from aftersales.organisation import roles
from aftersales.organisation.access import Who, viewer_for
from aftersales.organisation.models import Department, Employee


@dataclass(frozen=True)
class Authority:
    user_id: int | None
    me: Employee | None
    hr: bool
    headed: frozenset[int]  # departments (with their units) the user heads

    @classmethod
    def of(cls, user: Who) -> Authority:
        """The authority of the request's viewer."""
        viewer = viewer_for(user)
        return cls(viewer.user_id, viewer.employee, viewer.has_role(roles.HR), viewer.headed)

    @property
    def may_propose(self) -> bool:
        """Whether there can be anyone at all this user proposes records for."""
        return self.hr or bool(self.headed) or (self.me is not None and self.me.reports.exists())

    def may_propose_for(self, employee: Employee) -> bool:
        if self.is_me(employee):
            return False
        supervises = self.me is not None and employee.supervisor_id == self.me.pk
        return self.hr or supervises or employee.department_id in self.headed

    def may_decide(self, record: DisciplineRecord) -> bool:
        if record.status != Status.PROPOSED or record.issuer_id == self.user_id:
            return False
        if self.is_me(record.employee):
            return False
        return self.hr or record.employee.department_id in self.headed

    def may_decide_case(self, case: DismissalCase) -> bool:
        """HR decides a dismissal case — another HR user when the case is their own (R-4.1)."""
        return self.hr and not self.is_me(case.employee)

    def is_me(self, employee: Employee) -> bool:
        """Whether ``employee`` is this user's own record: nobody acts on it (R-4.1)."""
        return self.me is not None and employee.pk == self.me.pk


def deciders(record: DisciplineRecord) -> str:
    """Who may approve or reject a proposed record, as the record's page says it (R-4.1): a head of
    the employee's department (or of one above it) or HR, never the employee or the proposer. When
    the employee is the only head above themself, HR remains."""
    if _heads_above(record.employee.department) - {record.employee_id}:
        return _("由该员工的部门负责人或人力资源(非本人、非提出人)审批")
    return _("由人力资源(非本人、非提出人)审批")


def _heads_above(department: Department | None) -> set[int]:
    """Employee ids of the heads of ``department`` and of every department above it."""
    heads: set[int] = set()
    while department is not None:
        if department.head_id is not None:
            heads.add(department.head_id)
        department = department.parent
    return heads
