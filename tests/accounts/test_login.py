"""Sign-in, lock-out after repeated failures (django-axes), language per user."""

from django.test import Client
from django.urls import reverse


def sign_in(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_it_signs_in_with_the_right_password(world):
    response = sign_in(Client(), "alice", "secret-pass-123")
    assert response.status_code == 302
    assert response["Location"] == reverse("operations:overview")


def test_it_locks_the_account_after_repeated_failures(world):
    client = Client()
    for _ in range(3):  # AXES_FAILURE_LIMIT in the test settings
        response = sign_in(client, "alice", "wrong")
        assert response.status_code in (200, 429)
    response = sign_in(Client(), "alice", "secret-pass-123")
    assert response.status_code == 429
    assert b"Account locked" in response.content
    # Another account is not locked by alice's failures.
    assert sign_in(Client(), "carol", "secret-pass-123").status_code == 302


def test_a_user_language_choice_sticks_to_the_account(world):
    client = world.client("carol")
    client.post(reverse("accounts:language"), {"language": "zh-hans", "next": "/"})
    world.users["carol"].refresh_from_db()
    assert world.users["carol"].language == "zh-hans"
    response = world.client("carol").get(reverse("operations:people"))
    assert "人员".encode() in response.content
    assert response["Content-Language"] == "zh-hans"


def test_the_browser_language_is_used_without_a_choice(world):
    response = world.client("alice").get(
        reverse("operations:people"), headers={"accept-language": "zh-CN,zh;q=0.9"}
    )
    assert response["Content-Language"] == "zh-hans"
    response = world.client("alice").get(
        reverse("operations:people"), headers={"accept-language": "en-GB"}
    )
    assert response["Content-Language"] == "en"


def test_a_user_can_issue_and_revoke_an_api_token(world):
    client = world.client("alice")
    client.post(reverse("accounts:token_create"), {"name": "sync"})
    response = client.get(reverse("accounts:profile"))
    key = response.context["new_key"]
    assert key.startswith("cdn_")
    api = Client(headers={"Authorization": f"Bearer {key}"})
    assert api.get("/api/units").status_code == 200
    token = world.users["alice"].api_tokens.get()
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert api.get("/api/units").status_code == 401
