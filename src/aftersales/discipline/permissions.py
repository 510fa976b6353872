"""Who may propose, approve and decide (SPEC §6 with §1's roles), worked out once per request.

- propose a record: the employee's direct supervisor, the head of the employee's department, or HR;
- approve or reject it: the head of the employee's department, or HR — never the proposer, and
  nobody for a record about themselves;
- edit the reasons catalogue, decide dismissal cases: HR.
"""

from __future__ import annotations

from dataclasses import dataclass

from aftersales.discipline.models import DisciplineRecord, Status
from aftersales.organisation import roles
from aftersales.organisation.access import AnyUser, employee_of, has_role, headed_department_ids
from aftersales.organisation.models import Employee


@dataclass(frozen=True)
class Authority:
    user_id: int | None
    me: Employee | None
    hr: bool
    headed: frozenset[int]  # departments (with their units) the user heads

    @classmethod
    def of(cls, user: AnyUser) -> Authority:
        me = employee_of(user)
        headed = frozenset(headed_department_ids(me)) if me is not None else frozenset()
        return cls(user.pk, me, has_role(user, roles.HR), headed)

    @property
    def may_propose(self) -> bool:
        """Whether there can be anyone at all this user proposes records for."""
        return self.hr or bool(self.headed) or (self.me is not None and self.me.reports.exists())

    def may_propose_for(self, employee: Employee) -> bool:
        if self._is_me(employee):
            return False
        supervises = self.me is not None and employee.supervisor_id == self.me.pk
        return self.hr or supervises or employee.department_id in self.headed

    def may_decide(self, record: DisciplineRecord) -> bool:
        if record.status != Status.PROPOSED or record.issuer_id == self.user_id:
            return False
        if self._is_me(record.employee):
            return False
        return self.hr or record.employee.department_id in self.headed

    def _is_me(self, employee: Employee) -> bool:
        return self.me is not None and employee.pk == self.me.pk
