"""Serializer helpers shared by the API apps."""

from collections.abc import Mapping

from rest_framework import serializers


class StrictSerializer(serializers.Serializer):
    """Fields not listed here are refused, each named in the error."""

    # The docstring above is what the schema shows for every body built on
    # this class: it speaks to API clients.

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            known = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(str(name) for name in data if name not in known)
            if unknown:
                raise serializers.ValidationError(
                    {name: ["This field is not known."] for name in unknown}
                )
        return super().to_internal_value(data)


class StrictCharField(serializers.CharField):
    """A string field that refuses numbers and booleans instead of casting.

    DRF's CharField turns 12 into "12"; the schema says string, so a
    number is a client's mistake worth reporting.
    """

    def to_internal_value(self, data) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    details = serializers.JSONField(allow_null=True)


class ErrorSerializer(serializers.Serializer):
    """The shape of every error answer."""

    error = ErrorDetailSerializer()


def validated(serializer_class, data, **options) -> dict:
    """Return the serializer's validated data or raise a 400."""
    serializer = serializer_class(data=data, **options)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
