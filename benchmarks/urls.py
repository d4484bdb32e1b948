"""The project's URLs plus the framework's floor: a view that returns constant JSON."""

from django.http import JsonResponse
from django.urls import path

from cms.urls import urlpatterns as project_urlpatterns

FLOOR = {"count": 1, "items": [{"id": 1, "title": "Floor", "year": 2024}]}


def floor(request):
    return JsonResponse(FLOOR)


# Not `include()`: the project's URLconf ends with i18n_patterns, which Django allows only at the root.
urlpatterns = [path("bench/floor/", floor), *project_urlpatterns]
