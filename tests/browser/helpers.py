"""Small helpers for browser tests."""

from tests.factories import TEST_PASSWORD


def sign_in(page, base_url: str, email: str, password: str = TEST_PASSWORD) -> None:
    """Sign in through the real login form and wait for the dashboard."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/")
