from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User


class MeApi(APIView):
    """Who the caller is. The accounts issue extends this into the full profile."""

    @extend_schema(
        responses=inline_serializer(
            "MeResponse",
            {
                "success": serializers.BooleanField(),
                "user": inline_serializer(
                    "MeUser",
                    {
                        "id": serializers.CharField(),
                        "email": serializers.EmailField(),
                        "first_name": serializers.CharField(),
                        "last_name": serializers.CharField(),
                    },
                ),
            },
        )
    )
    def get(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)
        return Response(
            {
                "success": True,
                "user": {
                    "id": str(user.pk),
                    "email": user.email,
                    "first_name": user.first_name,
                    "last_name": user.last_name,
                },
            }
        )
