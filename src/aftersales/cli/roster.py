"""`aftersales roster export FILE.xlsx` and `aftersales roster import FILE.xlsx [--dry-run] [--reason TEXT]`
(docs/cli.md, docs/workbook.md): the organisation workbook from the command line, as the system.

Import prints the per-sheet summary and the one-time set-password links of new logins. A workbook
with errors: exit 2, nothing written, on standard error a one-line summary naming sheet, row and
column of the first error, then one line per bad cell. ``--dry-run`` checks and previews only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from aftersales.cli.runner import EXIT_BAD_INPUT, fail

STATUS_WORDS = (("created", "新增"), ("changed", "变更"), ("deactivated", "停用"), ("unchanged", "未变"))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aftersales roster", description="The organisation workbook.")
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export", help="write the organisation workbook")
    export.add_argument("file", type=Path)
    export.add_argument("--template", action="store_true", help="the empty workbook with example rows")
    imports = commands.add_parser("import", help="import an organisation workbook (all or nothing)")
    imports.add_argument("file", type=Path)
    imports.add_argument("--dry-run", action="store_true", help="check and preview; change nothing")
    imports.add_argument("--reason", default="", help="the reason written into the history")
    imports.add_argument(
        "--base-url", default="", help="prefix of the set-password links, e.g. https://hr.example"
    )
    return parser


def main(args: list[str]) -> int:
    try:
        options = _parser().parse_args(args)
    except SystemExit as stop:  # --help (0) or a usage error (2), already printed by argparse
        return int(stop.code or 0)
    import django

    django.setup()
    from django.db import DatabaseError

    try:
        return _export(options) if options.command == "export" else _import(options)
    except DatabaseError as exc:
        return fail(f"database: {exc} (run `aftersales migrate` first?)", status=1)
    except Exception as exc:  # never a traceback on the command line (CONTRACTS.md)
        return fail(f"internal: {type(exc).__name__}: {exc}", status=1)


def _export(options: Any) -> int:
    from aftersales.organisation.exporting import roster_export, roster_template
    from aftersales.organisation.models import Employee

    content = roster_template() if options.template else roster_export(employees=Employee.objects.all())
    try:
        options.file.write_bytes(content)
    except OSError as exc:
        return fail(f"{options.file}: {exc.strerror or exc}")
    print(f"{options.file}: {len(content)} bytes")
    return 0


def _import(options: Any) -> int:
    from aftersales.organisation.importing import ImportRefused, roster_import

    try:
        data = options.file.read_bytes()
    except OSError as exc:
        return fail(f"{options.file}: {exc.strerror or exc}")
    reason = options.reason.strip() or f"命令行导入 {options.file.name}"
    try:
        result = roster_import(data=data, actor=None, reason=reason, dry_run=options.dry_run)
    except ImportRefused as refused:
        return fail(f"{options.file}: {refused}")
    if not result.ok:
        return _errors(result.errors)
    _summary(result, options)
    return 0


def _errors(errors: list[Any]) -> int:
    count = len(errors)
    sys.stderr.write(f"error: {errors[0]}（共 {count} 处错误，未写入任何数据）\n")
    for error in errors:
        sys.stderr.write(f"  {error}\n")
    return EXIT_BAD_INPUT


def _summary(result: Any, options: Any) -> None:
    for sheet in result.sheets:
        counts = "，".join(f"{word} {getattr(sheet, status)}" for status, word in STATUS_WORDS)
        print(f"{sheet.sheet}: {counts}")
    for warning in result.warnings:
        print(f"注意: {warning}")
    if options.dry_run:
        print(f"试运行：将新建登录 {result.new_logins} 个；未写入任何数据。")
        return
    print(f"已导入：新建登录 {result.new_logins} 个。")
    if result.links:
        print("一次性设置密码链接（请转交本人）:")
        for link in result.links:
            print(f"  {link.number} {link.name} {link.username} {options.base_url.rstrip('/')}{link.path}")
