"""The desk over HTTP: sign-in, CSRF, rate limiting, roles, security headers, cookies."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from presswatch.review.middleware import CONTENT_SECURITY_POLICY
from presswatch.storage import models as m
from presswatch.storage.db import transaction
from tests.review.conftest import csrf_of, login
from tests.review.seed import PASSWORD, World, pages


def test_anonymous_requests_to_every_page_go_to_login(client: TestClient, world: World) -> None:
    for path in pages(world):
        response = client.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next=%2F"), path


def test_login_sets_a_strict_http_only_cookie_and_goes_on(client: TestClient) -> None:
    response = login(client, "an")
    assert response.status_code == 303 and response.headers["location"] == "/queue"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie
    assert client.get("/queue").status_code == 200


def test_cookie_is_secure_when_the_desk_is_served_over_https(app: object) -> None:
    with TestClient(app, base_url="https://desk.example", follow_redirects=False) as https:  # type: ignore[arg-type]
        response = login(https, "an")
        assert "; Secure" in response.headers["set-cookie"]
        assert response.headers["strict-transport-security"].startswith("max-age=")


def test_wrong_password_and_disabled_user_fail_alike(client: TestClient, engine: Engine) -> None:
    wrong = login(client, "an", "sai-mat-khau-roi")
    assert wrong.status_code == 401 and "không đúng" in wrong.text
    with transaction(engine) as session:
        session.scalars(select(m.User).where(m.User.username == "vy")).one().active = False
    disabled = login(client, "vy")
    assert disabled.status_code == 401 and "không đúng" in disabled.text


def test_post_without_or_with_a_wrong_csrf_token_is_refused(client: TestClient) -> None:
    data = {"username": "an", "password": PASSWORD}
    assert client.post("/login", data=data).status_code == 403
    csrf_of(client)
    assert client.post("/login", data=data | {"csrf_token": "forged"}).status_code == 403
    login(client, "an")
    refused = client.post("/logout", data={"csrf_token": "forged"})
    assert refused.status_code == 403 and "không hợp lệ" in refused.text
    assert client.get("/queue").status_code == 200  # still signed in


def test_csrf_token_changes_at_login(client: TestClient) -> None:
    before = csrf_of(client)
    login(client, "an")
    assert csrf_of(client, "/queue") != before


def test_login_is_rate_limited_per_user_name_and_ip(client: TestClient) -> None:
    for _ in range(5):
        assert login(client, "an", "sai-mat-khau-roi").status_code == 401
    blocked = login(client, "an")  # even the right password waits now
    assert blocked.status_code == 429 and "thử lại sau 5 phút" in blocked.text
    assert login(client, "vy").status_code == 303  # another user name is not blocked


def test_lockout_is_audited(client: TestClient, engine: Engine) -> None:
    for _ in range(5):
        login(client, "quan", "sai-mat-khau-roi")
    with transaction(engine) as session:
        actions = session.scalars(select(m.AuditLog.action)).all()
    assert "login.locked" in actions


def test_security_headers_on_pages_errors_and_static_files(client: TestClient) -> None:
    login(client, "an")
    for path in ("/login", "/queue", "/documents/999999", "/static/review.css", "/no-such-page"):
        headers = client.get(path).headers
        assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY, path
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-frame-options"] == "DENY"
    assert client.get("/queue").headers["cache-control"] == "no-store"


def test_viewer_reads_but_cannot_decide_or_edit(
    client: TestClient, world: World, engine: Engine
) -> None:
    login(client, "vy")
    page = client.get(f"/documents/{world.false_doc}")
    assert page.status_code == 200
    assert 'class="decision"' not in page.text and "chỉ có quyền xem" in page.text
    token = csrf_of(client, "/queue")
    forged = {"csrf_token": token, "decision": "confirm", "reason_code": "fabricated"}
    assert client.post(f"/documents/{world.false_doc}/decision", data=forged).status_code == 403
    claim = {"csrf_token": token, "kind": "fact", "text": "Dân số 1,2 triệu"}
    assert client.post("/claims/new", data=claim).status_code == 403
    assert client.get("/claims/new").status_code == 403
    assert client.get("/audit").status_code == 403
    assert client.get("/users").status_code == 403
    with transaction(engine) as session:
        assert session.get(m.Flag, world.false_flag).status == "open"  # type: ignore[union-attr]
        assert session.scalar(select(m.Review.id)) is None


def test_analyst_is_not_an_admin(client: TestClient) -> None:
    login(client, "an")
    assert client.get("/audit").status_code == 403
    token = csrf_of(client, "/queue")
    data = {"csrf_token": token, "username": "moi", "role": "admin", "password": "x" * 12}
    assert client.post("/users", data=data).status_code == 403


def test_password_change_and_disable_end_open_sessions(client: TestClient, engine: Engine) -> None:
    from presswatch.review.accounts import set_active, set_password

    login(client, "an")
    with transaction(engine) as session:
        set_password(session, "an", "mot-mat-khau-moi-hon", actor="test")
    assert client.get("/queue").status_code == 303
    login(client, "an", "mot-mat-khau-moi-hon")
    with transaction(engine) as session:
        set_active(session, "an", False, actor="test")
    assert client.get("/queue").status_code == 303


def test_logout_ends_the_session(client: TestClient) -> None:
    login(client, "an")
    response = client.post("/logout", data={"csrf_token": csrf_of(client, "/queue")})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert client.get("/queue").status_code == 303


def test_login_next_cannot_leave_the_site(client: TestClient) -> None:
    token = csrf_of(client)
    data = {"username": "an", "password": PASSWORD, "csrf_token": token, "next": "//evil.example"}
    assert client.post("/login", data=data).headers["location"] == "/queue"
