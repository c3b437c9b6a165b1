"""A project's Mail in page: the owner turns the address on, regenerates and turns it off;
members see it; without INBOUND_ADDRESS the page says inbound mail is off."""

from __future__ import annotations

from app.extensions import db
from app.inbound import project_addresses


def token(app, project: int) -> str | None:
    with app.app_context():
        return project_addresses.token_of(db.session, project)


def test_the_owner_turns_on_regenerates_and_turns_off(inbound_app, team, client, auth):
    auth.login("ann@example.com")
    page = client.get(f"/projects/{team['project']}/mail-in").get_data(as_text=True)
    assert "Mail-in is off for this project" in page and "Turn on" in page
    client.post(f"/projects/{team['project']}/mail-in/turn-on")
    first = token(inbound_app, team["project"])
    assert first and len(first) == 20 and set(first) <= set(project_addresses.ALPHABET)
    page = client.get(f"/projects/{team['project']}/mail-in").get_data(as_text=True)
    assert f"tickler+p-{first}@example.com" in page
    client.post(f"/projects/{team['project']}/mail-in/regenerate")
    assert token(inbound_app, team["project"]) not in (None, first)
    client.post(f"/projects/{team['project']}/mail-in/turn-off")
    assert token(inbound_app, team["project"]) is None


def test_a_member_sees_the_address_but_cannot_change_it(inbound_app, team, client, auth):
    with inbound_app.app_context():
        made = project_addresses.turn_on(db.session, team["project"], team["ann"])
        db.session.commit()
    auth.login("bob@example.com")
    page = client.get(f"/projects/{team['project']}/mail-in").get_data(as_text=True)
    assert made in page and "Regenerate" not in page
    assert client.post(f"/projects/{team['project']}/mail-in/regenerate").status_code == 403
    assert token(inbound_app, team["project"]) == made


def test_without_an_inbound_address_the_page_says_it_is_off(app, make, client, auth):
    owner = make.user(email="own@example.com")
    project = make.project(owner)
    auth.login("own@example.com")
    page = client.get(f"/projects/{project}/mail-in").get_data(as_text=True)
    assert "Inbound mail is off on this Tickler" in page
