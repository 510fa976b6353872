import pytest
from django.urls import reverse
from aftersales.appraisal.models import Appraisal, Agreement

@pytest.mark.django_db
def test_smoke(client, demo):
    from django.contrib.auth import get_user_model
    U = get_user_model()
    for name in ["engineer", "regional", "head", "hr", "outsider", "supervisor", "support"]:
        client.force_login(U.objects.get(username=name))
        r = client.get("/")
        assert r.status_code == 200, name
        r = client.get(reverse("appraisal:index"))
        assert r.status_code == 200
        for a in Appraisal.objects.all():
            r = client.get(reverse("appraisal:detail", args=[a.pk]))
            assert r.status_code in (200, 404), (name, a)
            r = client.get(reverse("appraisal:history", args=[a.pk]))
            assert r.status_code in (200, 404)
        for ag in Agreement.objects.all():
            r = client.get(reverse("appraisal:agreement", args=[ag.pk]))
            assert r.status_code in (200, 404)
        assert client.get(reverse("appraisal:period-list")).status_code == 200
    print(Appraisal.objects.values_list("employee__name", "state", "final_score"))
