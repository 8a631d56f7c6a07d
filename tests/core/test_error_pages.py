"""403, 404 and 500 answer with pages in the product's look and the reader's language; the 500 page
renders without touching the database."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from kzai.core.roles import Role


def test_404_is_styled_and_translated(db):
    client = Client()
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert 'data-testid="error-404"' in body and "kzai.css" in body
    assert "This page does not exist" in body
    russian = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Такой страницы нет" in russian and 'lang="ru"' in russian
    kazakh = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert "Мұндай бет жоқ" in kazakh


def test_another_organizations_object_is_the_styled_404(org, other_org, make_member, web_for):
    from tests.factories import AISystemFactory

    foreign = AISystemFactory(organization=other_org)
    response = web_for(make_member(Role.ADMIN)).get(reverse("registry:system_detail", args=[foreign.pk]))
    assert response.status_code == 404 and 'data-testid="error-404"' in response.content.decode()


def test_403_names_the_reason_in_the_products_look(make_member, web_for):
    response = web_for(make_member(Role.VIEWER)).get(reverse("registry:system_create"))
    assert response.status_code == 403
    body = response.content.decode()
    assert 'data-testid="error-403"' in body
    assert "Your role in this organization does not allow this action." in body
    assert 'class="mainnav"' in body  # the member keeps the navigation


@pytest.mark.parametrize(
    "language, words",
    [
        ("en", "Something went wrong on our side"),
        ("ru", "Что-то пошло не так"),
        ("kk", "Бір нәрсе дұрыс болмады"),
    ],
)
def test_500_renders_without_the_database(language, words):
    # No `db` fixture: any query would raise here (the database may be what failed).
    request = RequestFactory().get("/")
    with translation.override(language):
        response = server_error(request)
    assert response.status_code == 500
    body = response.content.decode()
    assert 'data-testid="error-500"' in body and words in body and "kzai.css" in body
