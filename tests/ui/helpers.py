"""Helpers the page tests share: signing in and the page-or-fragment assertions."""
from __future__ import annotations

from tests.factories import PASSWORD, make_user

HX = {"HX-Request": "true"}


def sign_in(client, username: str | None = None, **user_kwargs):
    """Create a user (unless it exists) and sign the test client in as them."""
    user = make_user(username, **user_kwargs)
    resp = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert resp.status_code == 302, resp.data[:500]
    return user


def assert_page_and_fragment(client, url: str, fragment_id: str) -> tuple[str, str]:
    """A plain GET is a whole page; with HX-Request it is only the fragment (its root id, no <html)."""
    page = client.get(url)
    assert page.status_code == 200, page.data[:2000]
    body = page.get_data(as_text=True)
    assert "<html" in body and f'id="{fragment_id}"' in body
    frag = client.get(url, headers=HX)
    assert frag.status_code == 200, frag.data[:2000]
    text = frag.get_data(as_text=True)
    assert f'id="{fragment_id}"' in text and "<html" not in text
    assert "HX-Request" in frag.headers.get("Vary", "")
    return body, text
