"""Notices to whoever takes the next step, and the daily `aftersales appraisal_remind` (SPEC §4, R-4.2)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone, translation

from aftersales.appraisal import services
from aftersales.appraisal.models import Appraisal, Channel, Notification, State
from tests.appraisal.helpers import advance, file_appeal

pytestmark = pytest.mark.django_db


def _remind(day: str) -> str:
    out = StringIO()
    call_command("appraisal_remind", "--date", day, stdout=out)
    return out.getvalue()


def test_the_next_actor_is_told_in_the_app_and_by_mail(people, appraisal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.appraisal_self_report(appraisal=appraisal, actor=people["employee"], summary="完成")
    notice = Notification.objects.get(recipient=people["supervisor"], appraisal=appraisal)
    assert "赵磊" in notice.message and "评分" in notice.message
    assert [message.to for message in mail.outbox] == [["regional@example.com"]]


def test_notices_are_written_in_the_installation_language_whatever_the_actor_reads(
    people, appraisal, django_capture_on_commit_callbacks
):
    """An employee using the English interface still sends his supervisor a Chinese notice and e-mail:
    the recipient's language is not known, the department's is (aftersales.notices)."""
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.appraisal_self_report(appraisal=appraisal, actor=people["employee"], summary="done")
    notice = Notification.objects.get(recipient=people["supervisor"], appraisal=appraisal)
    assert "待您评分" in notice.message
    assert "待您评分" in mail.outbox[0].subject


def test_after_the_review_the_employee_is_told(people, appraisal, django_capture_on_commit_callbacks):
    advance(appraisal, State.SCORED)
    with django_capture_on_commit_callbacks(execute=True):
        services.appraisal_review(appraisal=appraisal, actor=people["head"])
    assert Notification.objects.filter(recipient=people["employee"], kind="step:reviewed").exists()


def test_an_appeal_decided_in_the_same_transaction_sends_no_stale_notice(
    people, appraisal, django_capture_on_commit_callbacks
):
    """R-4.3: an appeal filed and upheld before the commit (an import, the demo) leaves the old version
    appealed but no longer current; HR is not told it is waiting, the employee is told to confirm."""
    advance(appraisal, State.REVIEWED)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.appraisal_mark_seen(appraisal=appraisal, actor=people["employee"])
        file_appeal(appraisal, people["employee"])
        services.appeal_decide(
            appeal=appraisal.appeals.get(), actor=people["hr"], upheld=True, minutes="成立", entries={}
        )
    assert not Notification.objects.filter(appraisal=appraisal, kind="step:appealed").exists()
    assert Notification.objects.filter(recipient=people["employee"], kind="step:reviewed").exists()


def test_reminders_after_the_month_and_overdue_lists(people, period):
    zhao = Appraisal.objects.get(period=period, employee__user__username="engineer")
    advance(zhao, State.SCORED)  # waits for the head
    output = _remind("2025-02-05")  # the month is over, the review day (10 Feb) not yet
    assert "overdue forms 0" in output
    assert Notification.objects.filter(
        recipient=people["head"], appraisal=zhao, kind__startswith="remind"
    ).exists()
    assert (
        Notification.objects.filter(recipient=people["employee"], kind__startswith="remind").count() == 0
    )  # his step is done
    late = _remind("2025-02-11")
    assert "overdue forms 12" in late  # nobody's form is confirmed by the 10th
    head_notice = Notification.objects.filter(recipient=people["head"], appraisal=zhao).latest("pk")
    assert head_notice.message.startswith("【逾期】")
    assert Notification.objects.filter(recipient=people["hr"], kind__startswith="overdue:").count() == 1
    assert mail.outbox, "reminders are e-mailed too"


def test_a_second_run_the_same_day_sends_nothing_twice(period):
    _remind("2025-02-11")
    count = Notification.objects.count()
    _remind("2025-02-11")
    assert Notification.objects.count() == count


def test_agreements_are_reminded_before_their_day(people, period):
    _remind("2025-01-02")
    assert not Notification.objects.filter(kind="agreement").exists()
    _remind("2025-01-08")  # three days before the 10th
    improver = period.agreements.get(employee__user__username="improver")
    reminded = set(
        Notification.objects.filter(kind="agreement").values_list("recipient__username", flat=True)
    )
    assert {"improver", "supervisor"} <= reminded  # the employee and 李明, his supervisor
    assert improver.employee.user.username in reminded


def test_the_daily_job_confirms_automatically(people, appraisal):
    """R-4.2: seen 3 days ago, neither confirmed nor appealed → confirmed, marked auto."""
    advance(appraisal, State.REVIEWED)
    services.appraisal_mark_seen(appraisal=appraisal, actor=people["employee"])
    appraisal.seen_at = timezone.now() - timedelta(days=3, minutes=1)
    appraisal.save()
    assert "auto-confirmed 1" in _remind("2025-02-05")
    appraisal.refresh_from_db()
    assert appraisal.confirmed_channel == Channel.AUTO


def test_e_mailed_links_are_absolute_to_the_configured_site(
    people, appraisal, settings, django_capture_on_commit_callbacks
):
    """A mail reader has no host to resolve ``/appraisal/12/`` against: the link carries the site
    address of AFTERSALES_SITE_URL (docs/operations.md)."""
    settings.AFTERSALES_SITE_URL = "https://aftersales.example.com"
    with django_capture_on_commit_callbacks(execute=True):
        services.appraisal_self_report(appraisal=appraisal, actor=people["employee"], summary="完成")
    assert f"https://aftersales.example.com/appraisal/{appraisal.pk}/" in mail.outbox[0].body.split()


def test_the_site_address_falls_back_to_the_served_host(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from aftersales import settings as project

    monkeypatch.delenv("AFTERSALES_SITE_URL", raising=False)
    monkeypatch.setattr(project, "PRODUCTION", False)
    assert project._site_url() == "http://127.0.0.1:8000"  # the development server
    monkeypatch.setattr(project, "PRODUCTION", True)
    monkeypatch.setattr(project, "ALLOWED_HOSTS", ["*", "as.example.com"])
    assert project._site_url() == "https://as.example.com"
    monkeypatch.setenv("AFTERSALES_SITE_URL", "https://service.example.com/")
    assert project._site_url() == "https://service.example.com"
    monkeypatch.setenv("AFTERSALES_SITE_URL", "service.example.com")
    with pytest.raises(ImproperlyConfigured):
        project._site_url()
