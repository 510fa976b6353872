from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from aftersales.api import views

# Swagger UI's script is served as a file (the split view: no inline script); the UI itself injects its
# styles, so its one page allows inline styles — no other page does (settings.CONTENT_SECURITY_POLICY).
swagger_ui = csp_update({"style-src": [UNSAFE_INLINE]})(
    SpectacularSwaggerSplitView.as_view(url_name="api:schema")
)

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", swagger_ui, name="docs"),
    path("me/", views.MeView.as_view(), name="me"),
]
