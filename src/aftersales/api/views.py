from typing import cast

from django.contrib.auth.models import User
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class MeSerializer(serializers.Serializer[object]):
    username = serializers.CharField()
    name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())


class MeView(APIView):
    """The signed-in user and their roles."""

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user = cast(User, request.user)  # IsAuthenticated
        roles = sorted(user.groups.values_list("name", flat=True))
        data = {
            "username": user.get_username(),
            "name": user.get_full_name() or user.get_username(),
            "roles": roles,
        }
        return Response(MeSerializer(data).data)
