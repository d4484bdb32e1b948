"""Logging out of the admin takes a POST: a link or an image tag cannot end an editor's session."""

import json
import re

import pytest

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("logout-admin", "logout@example.org", "x")
    client.force_login(user)
    return client


def _logged_in(client):
    return client.get(reverse("wagtailadmin_home")).status_code == 200


def test_get_does_not_log_out(admin_client):
    response = admin_client.get("/admin/logout/")
    assert response.status_code == 405
    assert settings.SESSION_COOKIE_NAME not in response.cookies  # the session cookie is neither deleted nor replaced
    assert _logged_in(admin_client)


def test_post_logs_out(admin_client):
    response = admin_client.post("/admin/logout/")
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_login")
    assert response.cookies[settings.SESSION_COOKIE_NAME].value == ""
    assert not _logged_in(admin_client)


def test_the_admin_menu_logs_out_with_a_post_form(admin_client):
    """The sidebar's log-out entry is an action item (a POST form with the CSRF token), not a link."""
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    props = json.loads(
        re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S)[1]
    )
    found = []

    def walk(node):
        if isinstance(node, dict):
            args = node.get("_args") or [{}]
            if isinstance(args[0], dict) and args[0].get("action") == "/admin/logout/":
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(props)
    assert [(item["_type"], item["_args"][0]["method"]) for item in found] == [
        ("wagtail.sidebar.ActionMenuItem", "POST")
    ]
