"""Decisions and claim edits: one transaction each, audited, and the queue follows."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError

from presswatch.errors import InputError
from presswatch.review.actions import ClaimInput, decide, update_claim
from presswatch.storage import models as m
from presswatch.storage.db import transaction
from tests.review.conftest import csrf_of, login
from tests.review.seed import World


def _decide(client: TestClient, world: World, **data: str) -> object:
    form = {"csrf_token": csrf_of(client, "/queue"), "flag_status": "open", "back": "/queue"}
    return client.post(f"/documents/{world.false_doc}/decision", data=form | data)


def test_a_decision_writes_review_status_and_audit_and_leaves_the_queue(
    client: TestClient, world: World, engine: Engine
) -> None:
    login(client, "an")
    assert f'data-flag="{world.false_flag}"' in client.get("/queue").text
    response = _decide(client, world, decision="confirm", reason_code="repeats_false_claim",
                       note="Đã có đính chính của UBND")  # fmt: skip
    assert response.status_code == 303 and response.headers["location"] == "/queue"  # type: ignore[attr-defined]
    queue = client.get("/queue").text
    assert f'data-flag="{world.false_flag}"' not in queue and "Đã ghi quyết định" in queue
    with transaction(engine) as session:
        assert session.get(m.Flag, world.false_flag).status == "confirmed"  # type: ignore[union-attr]
        review = session.scalars(select(m.Review)).one()
        audit = session.scalars(select(m.AuditLog).where(m.AuditLog.action == "flag.confirm")).one()
    assert (review.reviewer, review.reason_code, review.note) == (
        "an", "repeats_false_claim", "Đã có đính chính của UBND",
    )  # fmt: skip
    assert audit.actor == "an" and audit.target == f"flag:{world.false_flag}"
    assert (
        audit.detail["document_id"] == world.false_doc and audit.detail["previous_status"] == "open"
    )
    confirmed = client.get("/queue?status=confirmed").text
    assert f'data-flag="{world.false_flag}"' in confirmed


def test_a_failing_audit_write_leaves_nothing_behind(world: World, engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text(
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'audit refused'); END"
        ))  # fmt: skip
    with pytest.raises(DBAPIError), transaction(engine) as session:
        decide(session, world.false_flag, "dismiss", "opinion", "", "an")
    with transaction(engine) as session:
        assert session.get(m.Flag, world.false_flag).status == "open"  # type: ignore[union-attr]
        assert session.scalar(select(m.Review.id)) is None


def test_a_stale_or_invalid_decision_changes_nothing(
    client: TestClient, world: World, engine: Engine
) -> None:
    login(client, "an")
    stale = _decide(
        client, world, decision="dismiss", reason_code="opinion", flag_status="dismissed"
    )
    assert stale.headers["location"] == f"/documents/{world.false_doc}"  # type: ignore[attr-defined]
    assert "người khác quyết định" in client.get(f"/documents/{world.false_doc}").text
    mismatched = _decide(client, world, decision="dismiss", reason_code="repeats_false_claim")
    assert mismatched.headers["location"] == f"/documents/{world.false_doc}"  # type: ignore[attr-defined]
    with transaction(engine) as session:
        assert session.get(m.Flag, world.false_flag).status == "open"  # type: ignore[union-attr]
        assert session.scalar(select(m.Review.id)) is None
    with pytest.raises(InputError), transaction(engine) as session:
        decide(session, world.false_flag, "maybe", "opinion", "", "an")


def test_a_decision_can_be_changed_and_the_history_is_kept(
    client: TestClient, world: World, engine: Engine
) -> None:
    login(client, "an")
    _decide(client, world, decision="confirm", reason_code="fabricated")
    _decide(client, world, decision="dismiss", reason_code="wrong_match", flag_status="confirmed")
    page = client.get(f"/documents/{world.false_doc}").text
    assert "Đổi quyết định" in page and page.count("<li><strong>") == 2
    with transaction(engine) as session:
        assert session.get(m.Flag, world.false_flag).status == "dismissed"  # type: ignore[union-attr]
        assert (
            len(session.scalars(select(m.AuditLog).where(m.AuditLog.action.like("flag.%"))).all())
            == 2
        )


def test_analyst_adds_and_edits_claims_with_an_audit_trail(
    client: TestClient, world: World, engine: Engine
) -> None:
    login(client, "an")
    token = csrf_of(client, "/claims/new")
    form = {
        "csrf_token": token, "kind": "fact", "title": "Sản lượng lúa 2025",
        "text": "Sản lượng lúa năm 2025 đạt 2,1 triệu tấn", "value": "2,1 triệu tấn",
        "source_url": "https://soctrang.gov.vn/so-lieu", "date": "2025-12-30",
        "keywords": "sản lượng, lúa", "active": "1",
    }  # fmt: skip
    created = client.post("/claims/new", data=form)
    assert created.status_code == 303
    claim_id = int(re.sub(r"\D", "", created.headers["location"]))
    edited = client.post(f"/claims/{claim_id}", data=form | {"value": "2,2 triệu tấn"})
    assert edited.status_code == 303
    with transaction(engine) as session:
        claim = session.get(m.Claim, claim_id)
        audits = session.scalars(select(m.AuditLog).where(m.AuditLog.target == f"claim:{claim_id}"))
        actions = [(a.action, a.actor, a.detail.get("changes")) for a in audits]
    assert (
        claim is not None
        and claim.keywords == ["sản lượng", "lúa"]
        and claim.value == "2,2 triệu tấn"
    )
    assert actions[0][:2] == ("claim.create", "an")
    assert actions[1] == (
        "claim.update",
        "an",
        {"value": {"before": "2,1 triệu tấn", "after": "2,2 triệu tấn"}},
    )
    duplicate = client.post("/claims/new", data=form | {"value": "2,2 triệu tấn"})
    assert duplicate.status_code == 400 and "giống hệt" in duplicate.text
    bad_link = client.post(
        "/claims/new", data=form | {"text": "khác", "source_url": "javascript:x"}
    )
    assert bad_link.status_code == 400 and "http://" in bad_link.text


def test_update_claim_without_changes_writes_no_audit(world: World, engine: Engine) -> None:
    with transaction(engine) as session:
        claim = session.get(m.Claim, world.claim)
        assert claim is not None
        same = ClaimInput(
            kind=claim.kind, text=claim.text, title=claim.title, correction=claim.correction,
            source_url=claim.source_url, keywords=tuple(claim.keywords), active=claim.active,
        )  # fmt: skip
        update_claim(session, world.claim, same, "an")
        assert session.scalar(select(m.AuditLog.id)) is None


def test_admin_manages_accounts_and_sees_the_audit_log(client: TestClient, engine: Engine) -> None:
    login(client, "quan")
    token = csrf_of(client, "/users")
    new = {"csrf_token": token, "username": "Hoa", "role": "viewer", "password": "mot-mat-khau-dai"}
    assert client.post("/users", data=new).status_code == 303
    assert "Đã tạo tài khoản hoa" in client.get("/users").text
    weak = new | {"username": "binh", "password": "ngan"}
    client.post("/users", data=weak)
    assert "ít nhất 10 ký tự" in client.get("/users").text
    client.post("/users/hoa", data={"csrf_token": token, "action": "role", "role": "analyst"})
    client.post("/users/quan", data={"csrf_token": token, "action": "disable"})
    assert "tự khóa" in client.get("/users").text
    audit = client.get("/audit").text
    assert "Tạo tài khoản" in audit and "Đổi vai trò" in audit and "user:hoa" in audit
    with transaction(engine) as session:
        assert session.scalars(select(m.User.active).where(m.User.username == "quan")).one()
