"""The checklist service on a real database: moves keep one float per item, renumbering once
when neighbours are too close, and progress counts what is done."""

from app.checklists import service
from app.checklists.models import ChecklistItem
from app.core.database import utcnow
from app.extensions import db


def test_a_move_between_too_close_neighbours_renumbers_then_moves(app, make, team, items):
    with app.app_context():
        db.session.add_all(
            ChecklistItem(task_id=team["task"], text=text, position=1.0 + n * 1e-9)
            for n, text in enumerate(["a", "b", "c"])
        )
        db.session.commit()
        c = db.session.query(ChecklistItem).filter_by(text="c").one()
        assert service.move(db.session, c, -1)
        db.session.commit()
    assert items.texts(team["task"]) == ["a", "c", "b"]
    with app.app_context():
        positions = [item.position for item in service.items_of(db.session, team["task"])]
    assert positions == sorted(positions) and len(set(positions)) == 3


def test_only_the_moved_item_changes_position(app, team, items):
    ids = items.add(team["task"], "a", "b", "c", "d")
    with app.app_context():
        before = {i.id: i.position for i in service.items_of(db.session, team["task"])}
        service.move(db.session, db.session.get(ChecklistItem, ids[3]), -1)
        db.session.commit()
        after = {i.id: i.position for i in service.items_of(db.session, team["task"])}
    assert [i for i in ids if before[i] != after[i]] == [ids[3]]


def test_progress_follows_checks(app, team, items):
    a, b = items.add(team["task"], "a", "b")
    with app.app_context():
        progress = service.set_done(
            db.session, db.session.get(ChecklistItem, a), True, user_id=team["ann"], now=utcnow()
        )
        assert (str(progress), progress.complete) == ("1/2", False)
        progress = service.set_done(
            db.session, db.session.get(ChecklistItem, b), True, user_id=team["ann"], now=utcnow()
        )
        assert (str(progress), progress.complete) == ("2/2", True)
        assert db.session.get(ChecklistItem, b).done_by_id == team["ann"]
