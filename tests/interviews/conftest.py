import pytest


@pytest.fixture
def org(demo):
    """The demo organisation without the demo's interviews (rolled back with the test), so a test
    sees only the interviews it records."""
    from aftersales.interviews.models import Interview, TrainingRequest

    TrainingRequest.objects.filter(interview__isnull=False).delete()
    Interview.objects.all().delete()
