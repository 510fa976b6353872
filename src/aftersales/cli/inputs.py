"""Reading the JSON input of the `aftersales calc|templates` commands (CONTRACTS.md).

Every problem becomes an :class:`InputError` that names the field by its JSON path, e.g.
``members[2].score: must be between 0 and 100``. Unknown fields are errors too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
_MISSING: Any = object()


class InputError(Exception):
    """Bad input; ``field`` is the JSON path of the offending value."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


def parse_json(text: str) -> Obj:
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise InputError(
            "input", f"malformed JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
        ) from None
    if not isinstance(data, dict):
        raise InputError("input", "must be a JSON object")
    return Obj(data, "")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class Obj:
    """A JSON object being read; remembers which keys were used so unknown ones can be refused."""

    def __init__(self, data: dict[str, Any], path: str) -> None:
        self.data = data
        self.path = path

    def field(self, key: str) -> str:
        return _join(self.path, key)

    def has(self, key: str) -> bool:
        return key in self.data and self.data[key] is not None

    def only(self, *allowed: str) -> None:
        for key in self.data:
            if key not in allowed:
                raise InputError(self.field(key), "unknown field")

    def raw(self, key: str, default: Any = _MISSING) -> Any:
        if key not in self.data:
            if default is _MISSING:
                raise InputError(self.field(key), "is required")
            return default
        return self.data[key]

    def decimal(
        self,
        key: str,
        default: Any = _MISSING,
        *,
        minimum: Decimal | int | None = None,
        maximum: Decimal | int | None = None,
        nullable: bool = False,
    ) -> Any:
        value = self.raw(key, default)
        if value is default and default is not _MISSING:
            return value
        if value is None and nullable:
            return None
        return to_decimal(value, self.field(key), minimum=minimum, maximum=maximum)

    def string(self, key: str, default: Any = _MISSING, *, choices: tuple[str, ...] | None = None) -> Any:
        value = self.raw(key, default)
        if value is default and default is not _MISSING:
            return value
        if not isinstance(value, str) or not value:
            raise InputError(self.field(key), "must be a non-empty string")
        if choices is not None and value not in choices:
            raise InputError(self.field(key), f"must be one of {', '.join(choices)}")
        return value

    def boolean(self, key: str, default: Any = _MISSING) -> Any:
        value = self.raw(key, default)
        if not isinstance(value, bool):
            raise InputError(self.field(key), "must be true or false")
        return value

    def integer(self, key: str, default: Any = _MISSING, *, minimum: int | None = None) -> Any:
        value = self.raw(key, default)
        if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
            raise InputError(self.field(key), "must be an integer")
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise InputError(self.field(key), "must be an integer") from None
        if number != number.to_integral_value():
            raise InputError(self.field(key), "must be an integer")
        if minimum is not None and number < minimum:
            raise InputError(self.field(key), f"must be at least {minimum}")
        return int(number)

    def obj(self, key: str, default: Any = _MISSING) -> Any:
        value = self.raw(key, default)
        if value is default and default is not _MISSING:
            return value
        if not isinstance(value, dict):
            raise InputError(self.field(key), "must be an object")
        return Obj(value, self.field(key))

    def array(self, key: str, default: Any = _MISSING) -> Any:
        value = self.raw(key, default)
        if value is default and default is not _MISSING:
            return value
        if not isinstance(value, list):
            raise InputError(self.field(key), "must be a list")
        return Arr(value, self.field(key))

    def datetime(self, key: str, default: Any = _MISSING, *, nullable: bool = False) -> Any:
        value = self.raw(key, default)
        if value is default and default is not _MISSING:
            return value
        if value is None and nullable:
            return None
        return to_datetime(value, self.field(key))

    def date(self, key: str, default: Any = _MISSING) -> Any:
        value = self.raw(key, default)
        if not isinstance(value, str):
            raise InputError(self.field(key), "must be a date YYYY-MM-DD")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise InputError(self.field(key), "must be a date YYYY-MM-DD") from None


class Arr:
    """A JSON list being read."""

    def __init__(self, data: list[Any], path: str) -> None:
        self.data = data
        self.path = path

    def __len__(self) -> int:
        return len(self.data)

    def field(self, index: int) -> str:
        return f"{self.path}[{index}]"

    def objects(self) -> Iterator[Obj]:
        for index, item in enumerate(self.data):
            if not isinstance(item, dict):
                raise InputError(self.field(index), "must be an object")
            yield Obj(item, self.field(index))

    def decimals(self, **bounds: Any) -> list[Decimal]:
        return [to_decimal(v, self.field(i), **bounds) for i, v in enumerate(self.data)]

    def strings(self) -> list[str]:
        result = []
        for index, item in enumerate(self.data):
            if not isinstance(item, str) or not item:
                raise InputError(self.field(index), "must be a non-empty string")
            result.append(item)
        return result


def to_decimal(
    value: Any, field: str, *, minimum: Decimal | int | None = None, maximum: Decimal | int | None = None
) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise InputError(field, "must be a number or a decimal string")
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise InputError(field, "must be a number or a decimal string") from None
    if not number.is_finite():
        raise InputError(field, "must be a finite number")
    if minimum is not None and maximum is not None and not minimum <= number <= maximum:
        raise InputError(field, f"must be between {minimum} and {maximum}")
    if minimum is not None and number < minimum:
        raise InputError(field, f"must be at least {minimum}")
    if maximum is not None and number > maximum:
        raise InputError(field, f"must be at most {maximum}")
    return number


def to_datetime(value: Any, field: str) -> datetime:
    """ISO 8601; a time without an offset is taken as Asia/Shanghai (CONTRACTS.md)."""
    if not isinstance(value, str):
        raise InputError(field, "must be an ISO 8601 time")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(field, "must be an ISO 8601 time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=SHANGHAI)


def unique_ids(items: list[Obj], key: str = "id") -> list[str]:
    """Read each item's id, refusing duplicates."""
    seen: set[str] = set()
    ids = []
    for item in items:
        ident = item.raw(key)
        if isinstance(ident, int | Decimal) and not isinstance(ident, bool):
            ident = str(ident)
        if not isinstance(ident, str) or not ident:
            raise InputError(item.field(key), "must be a non-empty string")
        if ident in seen:
            raise InputError(item.field(key), f"duplicate id {ident!r}")
        seen.add(ident)
        ids.append(ident)
    return ids


def fmt(value: Decimal) -> str:
    """Decimal string for output: no exponent, no trailing zeros ("1556", "87.5")."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    text = format(value.normalize(), "f")
    return text
