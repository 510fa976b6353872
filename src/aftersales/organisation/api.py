"""REST API of the roster: employees the caller may see (R-1.1), paginated, constant queries."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import generics, serializers

from aftersales.organisation.access import employees_visible_to, get_employee_for_user
from aftersales.organisation.models import Employee


class CodeNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SupervisorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    name = serializers.CharField()


class EmployeeSerializer(serializers.ModelSerializer):
    department = CodeNameSerializer(read_only=True)
    region = CodeNameSerializer(read_only=True, allow_null=True)
    position = CodeNameSerializer(read_only=True)
    supervisor = SupervisorSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Employee
        fields = [
            "id",
            "number",
            "name",
            "department",
            "region",
            "position",
            "category",
            "supervisor",
            "standard_salary",
            "active_from",
            "active_to",
            "email",
            "phone",
        ]


class EmployeeList(generics.ListAPIView):
    """员工名册: the employees the caller may see, by number."""

    serializer_class = EmployeeSerializer

    def get_queryset(self) -> QuerySet[Employee]:
        return employees_visible_to(self.request.user).order_by("number")


class EmployeeDetail(generics.RetrieveAPIView):
    serializer_class = EmployeeSerializer

    def get_object(self) -> Employee:
        return get_employee_for_user(self.request.user, self.kwargs["pk"])
