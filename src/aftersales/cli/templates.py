"""`aftersales templates list` and `aftersales templates show CODE` (CONTRACTS.md, SPEC §2)."""

from __future__ import annotations

from aftersales.cli.runner import emit, fail
from aftersales.cli.template_store import find_template, published_templates
from aftersales.core.forms import to_dict

USAGE = "command: usage: aftersales templates list | aftersales templates show CODE"


def main(args: list[str]) -> int:
    try:
        if args == ["list"]:
            return _list()
        if len(args) == 2 and args[0] == "show":
            return _show(args[1])
    except Exception as exc:  # never a traceback on the command line (CONTRACTS.md)
        return fail(f"internal: {type(exc).__name__}: {exc}", status=1)
    return fail(USAGE)


def _list() -> int:
    templates = published_templates()
    return emit({"templates": [{"code": t.code, "name": t.name, "version": t.version} for t in templates]})


def _show(code: str) -> int:
    template = find_template(code)
    if template is None:
        return fail(f"code: unknown template {code!r}")
    return emit(to_dict(template))
