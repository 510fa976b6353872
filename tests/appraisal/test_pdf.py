"""The printable appraisal form (issue 3 part 5): a PDF laid out like source forms 4.1–4.5."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from aftersales.appraisal.models import State
from tests.appraisal.helpers import advance


@pytest.fixture
def scored_form(appraisal):
    """赵磊's form of January 2025 (field service), scored by his supervisor."""
    return advance(appraisal, State.SCORED)


def test_supervisor_prints_the_form_with_chinese_text(client, scored_form, tmp_path):
    client.force_login(scored_form.employee.supervisor.user)
    response = client.get(reverse("appraisal:pdf", args=[scored_form.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    path = tmp_path / "form.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "现场服务人员月度绩效考核表" in text
    assert scored_form.employee.name in text
    assert "考评人" in text  # the signature line


def test_outsider_cannot_print_it(client, scored_form):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="outsider"))
    assert client.get(reverse("appraisal:pdf", args=[scored_form.pk])).status_code == 404
