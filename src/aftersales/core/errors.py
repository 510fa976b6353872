"""Errors raised by the rules core."""


class RuleError(ValueError):
    """Input that breaks a rule; ``field`` names where (a JSON-style path, relative to the caller's input)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message
