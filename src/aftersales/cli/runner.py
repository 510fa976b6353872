"""Shared shell of the JSON commands: read stdin, run, print; errors as one line on stderr, exit 2."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

from aftersales.cli.inputs import InputError, Obj, parse_json
from aftersales.core.errors import RuleError

EXIT_BAD_INPUT = 2


def fail(message: str, status: int = EXIT_BAD_INPUT) -> int:
    sys.stderr.write(f"error: {message}\n")
    return status


def emit(result: dict[str, Any]) -> int:
    sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    return 0


def run_json(handler: Callable[[Obj], dict[str, Any]], stdin_text: str | None = None) -> int:
    """Parse stdin as one JSON object, hand it to ``handler`` and print its answer."""
    try:
        text = sys.stdin.read() if stdin_text is None else stdin_text
        result = handler(parse_json(text))
    except InputError as exc:
        return fail(str(exc))
    except RuleError as exc:
        return fail(str(exc))
    except Exception as exc:  # never a traceback on the command line (CONTRACTS.md)
        return fail(f"internal: {type(exc).__name__}: {exc}", status=1)
    return emit(result)
