"""Plus-addresses: what they carry, and that a changed character makes them unsigned."""

from __future__ import annotations

from datetime import date

import pytest

from app.inbound.addresses import (
    BOUNCE,
    PROJECT,
    REPLY,
    addresses_of_ours,
    bounce_address,
    parse_address,
    project_address,
    reply_address,
)

CONFIG = {"INBOUND_ADDRESS": "Tickler <Tickler@Example.com>", "SECRET_KEY": "k" * 40}


def test_a_reply_address_names_the_person_the_task_and_the_day() -> None:
    address = reply_address(CONFIG, 42, 123456, date(2026, 12, 7))
    assert address.startswith("tickler+r-") and address.endswith("@example.com")
    assert len(address.split("@")[0]) <= 64
    parsed = parse_address(CONFIG, address)
    assert parsed is not None and parsed.signed
    assert (parsed.kind, parsed.user_id, parsed.task_id) == (REPLY, 42, 123456)
    assert parsed.issued == date(2026, 12, 7)


def test_a_mail_system_that_changes_the_case_changes_nothing() -> None:
    address = reply_address(CONFIG, 7, 9, date(2026, 1, 1)).upper()
    parsed = parse_address(CONFIG, f"Someone <{address}>".split("<")[1].rstrip(">"))
    assert parsed is not None and parsed.signed and parsed.task_id == 9


@pytest.mark.parametrize("position", [10, 12, -15, -13])
def test_one_changed_character_leaves_the_address_unsigned(position: int) -> None:
    address = reply_address(CONFIG, 42, 99, date(2026, 12, 7))
    local, domain = address.split("@")
    swapped = "2" if local[position] != "2" else "3"
    tampered = local[:position] + swapped + local[position + 1 :] + "@" + domain
    parsed = parse_address(CONFIG, tampered)
    assert parsed is None or not parsed.signed


def test_another_secret_key_signs_differently() -> None:
    address = reply_address(CONFIG, 1, 2, date(2026, 12, 7))
    parsed = parse_address({**CONFIG, "SECRET_KEY": "x" * 40}, address)
    assert parsed is not None and not parsed.signed


def test_a_bounce_address_carries_its_ledger_row() -> None:
    parsed = parse_address(CONFIG, bounce_address(CONFIG, 98765))
    assert parsed is not None and parsed.signed
    assert (parsed.kind, parsed.delivery_id) == (BOUNCE, 98765)


def test_a_project_address_carries_its_token() -> None:
    parsed = parse_address(CONFIG, project_address(CONFIG, "abcd2345efgh"))
    assert parsed is not None and (parsed.kind, parsed.project_token) == (PROJECT, "abcd2345efgh")


def test_other_addresses_are_not_ours() -> None:
    for address in ("tickler@example.com", "bob+r-1-2-3-abc@example.com", "tickler+r@other.org"):
        assert parse_address(CONFIG, address) is None


def test_the_separator_is_configurable() -> None:
    config = {**CONFIG, "INBOUND_ADDRESS_SEPARATOR": "-"}
    address = bounce_address(config, 5)
    assert address.startswith("tickler-b-")
    assert parse_address(config, address) == parse_address(config, address.upper())


def test_addresses_of_ours_are_found_among_header_values() -> None:
    reply = reply_address(CONFIG, 1, 2, date(2026, 12, 7))
    found = addresses_of_ours(CONFIG, [f"Ana <ana@example.org>, Tickler <{reply}>", reply])
    assert [a.kind for a in found] == [REPLY]
