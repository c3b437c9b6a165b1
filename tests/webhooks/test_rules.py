"""Webhook rules without a network: signatures, address refusals, retry verdicts, event names."""

from __future__ import annotations

import time

import pytest

from app.core.events import TaskChanged, TaskCreated, TaskSnapshot, changed_fields
from app.tasklist.models import TaskStatus
from app.webhooks.delivery import RetryPolicy, Verdict, backoff, judge
from app.webhooks.http import HttpResult
from app.webhooks.models import WebhookStatus
from app.webhooks.service import task_event_names
from app.webhooks.signing import sign, signature_header, verify
from app.webhooks.url_safety import UnsafeUrl, check_url, is_forbidden_address
from tests.webhook_receiver import verify_signature

SECRET = "whsec_test"
POLICY = RetryPolicy(base_seconds=30, max_seconds=3600, max_attempts=5)


def test_signature_is_hmac_sha256_over_timestamp_dot_body_and_verifies_by_the_recipe():
    body = b'{"event":"ping"}'
    header = signature_header(SECRET, 1_800_000_000, body)
    assert header == f"t=1800000000,v1={sign(SECRET, 1_800_000_000, body)}"
    assert verify(SECRET, header, body, now=1_800_000_100)
    assert not verify(SECRET, header, body + b" ", now=1_800_000_100), "body changed"
    assert not verify("whsec_other", header, body, now=1_800_000_100), "wrong secret"
    assert not verify(SECRET, header, body, now=1_800_000_400), "too old: a replay"
    assert not verify(SECRET, "garbage", body, now=1_800_000_000)
    fresh = signature_header(SECRET, int(time.time()), body)
    assert verify_signature(SECRET, fresh, body), "the documented recipe agrees"


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "169.254.1.1",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd00:ec2::254",
        "::ffff:10.0.0.1",
        "::ffff:127.0.0.1",
        "2002:7f00:1::1",
        "2002:c0a8:101::",
        "2001:0:4136:e378:8000:63bf:80ff:fffe",
        "64:ff9b::7f00:1",
        "64:ff9b:1::a00:1",
        "::a9fe:a9fe",
        "2001:db8::200:5efe:a00:1",
    ],
)
def test_internal_addresses_are_forbidden(address):
    assert is_forbidden_address(address)


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "2002:808:808::1"]
)
def test_public_addresses_are_allowed(address):
    assert not is_forbidden_address(address)


def resolver(mapping):
    return lambda host, port: mapping[host]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/x", "http:// or https://"),
        ("javascript:alert(1)", "http:// or https://"),
        ("https://user:pw@example.com/", "credentials"),
        ("http://127.0.0.1/hook", "127.0.0.1"),
        ("http://[::1]:8080/hook", "::1"),
        ("http://rebind.test/hook", "10.0.0.7"),
        ("http://metadata.test/latest", "169.254.169.254"),
        ("https://mixed.test/", "192.168.0.2"),
        ("http://example.com:99999/", "not a valid URL"),
    ],
)
def test_unsafe_urls_are_refused_with_the_reason(url, message):
    resolve = resolver(
        {
            "127.0.0.1": ["127.0.0.1"],
            "::1": ["::1"],
            "rebind.test": ["10.0.0.7"],
            "metadata.test": ["169.254.169.254"],
            "mixed.test": ["93.184.216.34", "192.168.0.2"],
            "example.com": ["93.184.216.34"],
        }
    )
    with pytest.raises(UnsafeUrl, match=message):
        check_url(url, frozenset(), resolve)


def test_a_public_url_gives_the_address_to_connect_to_and_the_allow_list_exempts_hosts():
    resolve = resolver({"hooks.example.com": ["93.184.216.34"], "localhost": ["127.0.0.1"]})
    target = check_url("https://hooks.example.com/in?x=1", frozenset(), resolve)
    assert (target.scheme, target.host, target.port, target.path, target.address) == (
        "https",
        "hooks.example.com",
        443,
        "/in?x=1",
        "93.184.216.34",
    )
    with pytest.raises(UnsafeUrl):
        check_url("http://localhost:9000/", frozenset(), resolve)
    assert check_url("http://localhost:9000/", frozenset({"localhost"}), resolve).port == 9000


@pytest.mark.parametrize(
    ("status", "attempts", "verdict", "retry_in"),
    [
        (200, 1, WebhookStatus.DELIVERED, None),
        (204, 3, WebhookStatus.DELIVERED, None),
        (500, 1, WebhookStatus.RETRYING, 30),
        (503, 2, WebhookStatus.RETRYING, 60),
        (429, 3, WebhookStatus.RETRYING, 120),
        (None, 4, WebhookStatus.RETRYING, 240),
        (500, 5, WebhookStatus.FAILED, None),
        (404, 1, WebhookStatus.FAILED, None),
        (410, 1, WebhookStatus.FAILED, None),
        (301, 1, WebhookStatus.FAILED, None),
    ],
)
def test_answers_are_judged_and_retries_back_off(status, attempts, verdict, retry_in):
    result = HttpResult(status, "", 5, None if status else "timed out")
    assert judge(result, attempts, POLICY) == Verdict(verdict, retry_in)


def test_backoff_is_capped_and_honours_a_longer_retry_after():
    assert backoff(20, POLICY) == 3600
    assert backoff(1, POLICY, retry_after=90) == 90
    assert backoff(1, POLICY, retry_after=10) == 30
    assert backoff(1, POLICY, retry_after=999_999) == 3600


def task(**fields) -> TaskSnapshot:
    values = dict(
        title="T",
        description="",
        status=TaskStatus.PENDING.value,
        priority="medium",
        due_at=None,
        assignee_id=None,
    )
    values.update(fields)
    return TaskSnapshot(**values)


def created(after: TaskSnapshot) -> TaskCreated:
    return TaskCreated(task_id=1, project_id=2, actor_id=3, task=after)


def changed(before: TaskSnapshot, after: TaskSnapshot) -> TaskChanged:
    return TaskChanged(1, 2, 3, before, after, changed_fields(before, after))


def test_which_events_a_change_makes():
    assert task_event_names(created(task())) == ["task.created"]
    assert task_event_names(created(task(assignee_id=3))) == ["task.created", "task.assigned"]
    before = task(assignee_id=3)
    assert task_event_names(changed(before, task(assignee_id=3))) == []
    assert task_event_names(changed(before, task(assignee_id=3, title="New"))) == ["task.updated"]
    assert task_event_names(changed(before, task(assignee_id=4))) == [
        "task.updated",
        "task.assigned",
    ]
    assert task_event_names(changed(before, task(assignee_id=None))) == ["task.updated"]
    assert task_event_names(
        changed(before, task(assignee_id=3, status=TaskStatus.COMPLETED.value))
    ) == [
        "task.updated",
        "task.completed",
    ]
