"""The admin's login page reads in French, field labels included."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _labels(html):
    return [
        re.sub(r"<[^>]+>|\s+", " ", label).split("*")[0].strip()
        for label in re.findall(r"<label[^>]*>(.*?)</label>", html, re.S)
    ]


def test_both_fields_of_the_login_form_are_labelled_in_french(client):
    labels = _labels(client.get("/admin/login/").content.decode())
    assert labels[:2] == ["Nom d’utilisateur", "Mot de passe"]
