"""The search page on PostgreSQL and on SQLite: ranked, highlighted, filtered, paged, bounded."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from app.comments.models import Comment
from app.core.database import utcnow
from app.search.rules import MAX_QUERY_LENGTH
from app.tasklist.models import Task, TaskStatus
from tests.search.conftest import SearchWorld


def titles(html: str) -> list[str]:
    """The results' titles in order, marks removed."""
    found = re.findall(r'<a class="task-title" href="/task/\d+">(.*?)</a>', html, re.S)
    return [re.sub(r"</?mark>", "", title) for title in found]


def team(world: SearchWorld, name: str = "Ann") -> tuple[int, int, str]:
    email = f"{name.lower()}@example.com"
    person = world.user(email=email, name=name)
    return person, world.project(person, name=f"{name}'s project"), email


def test_finds_by_title_description_and_comment_best_first_with_marks(world: SearchWorld):
    ann, project, email = team(world)
    world.task(project, ann, title="Order tulip bulbs")
    in_description = world.task(project, ann, title="Garden plan")
    world.update(Task, in_description, description="Where the tulips go, and the roses.")
    in_comment = world.task(project, ann, title="Spring chores")
    world.comment(in_comment, ann, "Remember the tulip order before March")
    world.task(project, ann, title="Nothing to see")
    html = world.client_for(email).get("/search?q=Tulip").get_data(as_text=True)
    assert titles(html) == ["Order tulip bulbs", "Garden plan", "Spring chores"]
    assert "Order <mark>tulip</mark> bulbs" in html
    assert "Where the <mark>tulips</mark> go, and the roses." in html
    assert "In a comment by Ann:" in html
    assert "Remember the <mark>tulip</mark> order before March" in html
    assert "3 tasks found" in html
    assert f'href="/task/{in_comment}"' in html


def test_every_word_must_match_as_a_word_start(world: SearchWorld):
    ann, project, email = team(world)
    world.task(project, ann, title="Call the supplier about invoices")
    world.task(project, ann, title="Call the plumber")
    world.task(project, ann, title="Recall supplier")  # "call" inside a word: no match
    client = world.client_for(email)
    assert titles(client.get("/search?q=call+supp").get_data(as_text=True)) == [
        "Call the supplier about invoices"
    ]
    assert titles(client.get("/search?q=call").get_data(as_text=True)) == [
        "Call the plumber",
        "Call the supplier about invoices",
    ]


def test_user_html_is_shown_as_text_never_as_markup(world: SearchWorld):
    ann, project, email = team(world)
    world.task(project, ann, title="<b onclick='x()'>bold</b> tulip")
    other = world.task(project, ann, title="Other")
    world.comment(other, ann, "<img src=x onerror=alert(1)> daffodil")
    client = world.client_for(email)
    html = client.get("/search?q=tulip+bold").get_data(as_text=True)
    assert "<b onclick" not in html
    assert "&lt;b onclick=&#39;x()&#39;&gt;<mark>bold</mark>&lt;/b&gt; <mark>tulip</mark>" in html
    html = client.get("/search?q=daffodil").get_data(as_text=True)
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; <mark>daffodil</mark>" in html


def test_quotes_operators_and_odd_characters_are_plain_words(world: SearchWorld):
    ann, project, email = team(world)
    world.task(project, ann, title="Fix the A&B report: totals")
    client = world.client_for(email)
    for query in ('"report', "report & | ! :* (", "report'; --", "report)", "report*", "\\report"):
        response = client.get("/search", query_string={"q": query})
        assert response.status_code == 200, query
        assert titles(response.get_data(as_text=True)) == ["Fix the A&amp;B report: totals"], query
    for query in ("&|!", "''", "*", "()"):
        response = client.get("/search", query_string={"q": query})
        assert response.status_code == 200
        assert "Type a word or two of letters or digits" in response.get_data(as_text=True)


def test_a_query_too_long_is_refused_with_a_message(world: SearchWorld):
    ann, project, email = team(world)
    world.task(project, ann, title="tulip")
    response = world.client_for(email).get("/search", query_string={"q": "tulip " * 100})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"search for at most {MAX_QUERY_LENGTH} characters" in html
    assert titles(html) == []


def test_many_words_search_the_first_eight_and_say_so(world: SearchWorld):
    ann, project, email = team(world)
    world.task(project, ann, title="a b c d e f g h")
    html = world.client_for(email).get("/search?q=a+b+c+d+e+f+g+h+i+j").get_data(as_text=True)
    assert "Searched for the first 8 words only" in html
    assert titles(html) == ["a b c d e f g h"]


def test_empty_and_no_match_states(world: SearchWorld):
    ann, project, email = team(world)
    world.task(project, ann, title="tulip")
    client = world.client_for(email)
    assert "Type a few words to find tasks" in client.get("/search").get_data(as_text=True)
    html = client.get("/search?q=daffodil").get_data(as_text=True)
    assert "No tasks match “daffodil”" in html


def test_trash_archive_and_deleted_projects_stay_out(world: SearchWorld):
    ann, project, email = team(world)
    now = utcnow()
    world.task(project, ann, title="tulip kept")
    trashed = world.task(project, ann, title="tulip trashed")
    world.update(Task, trashed, deleted_at=now)
    world.task(project, ann, title="tulip archived", archived_at=now)
    gone = world.project(ann, name="Deleted project")
    world.task(gone, ann, title="tulip in a deleted project")
    from app.projects.models import Project

    world.update(Project, gone, deleted_at=now)
    client = world.client_for(email)
    assert titles(client.get("/search?q=tulip").get_data(as_text=True)) == ["tulip kept"]
    html = client.get("/search?q=tulip&archived=1").get_data(as_text=True)
    assert titles(html) == ["tulip archived", "tulip kept"]
    assert "Archived</span>" in html


def test_edits_and_deleted_comments_are_searched_as_they_are_now(world: SearchWorld):
    ann, project, email = team(world)
    task = world.task(project, ann, title="tulip")
    comment = world.comment(task, ann, "daffodil")
    client = world.client_for(email)
    assert titles(client.get("/search?q=daffodil").get_data(as_text=True)) == ["tulip"]
    world.update(Comment, comment, body="crocus")
    assert titles(client.get("/search?q=daffodil").get_data(as_text=True)) == []
    assert titles(client.get("/search?q=crocus").get_data(as_text=True)) == ["tulip"]
    world.delete(Comment, comment)
    assert titles(client.get("/search?q=crocus").get_data(as_text=True)) == []
    world.update(Task, task, title="rose")
    assert titles(client.get("/search?q=tulip").get_data(as_text=True)) == []
    assert titles(client.get("/search?q=rose").get_data(as_text=True)) == ["rose"]


def test_filters_project_status_assignee_label(world: SearchWorld):
    ann, garden, email = team(world)
    bob = world.user(email="bob@example.com", name="Bob")
    house = world.project(ann, name="House", members=(bob,))
    a = world.task(garden, ann, title="paint fence", assignee_id=ann)
    b = world.task(house, ann, title="paint door", assignee_id=bob, status=TaskStatus.BLOCKED)
    c = world.task(house, ann, title="paint walls")
    world.label(house, "Ops", b, c)
    world.label(garden, "ops", a)
    client = world.client_for(email)

    def found(**args: object) -> list[str]:
        response = client.get("/search", query_string={"q": "paint", **args})
        assert response.status_code == 200
        return sorted(titles(response.get_data(as_text=True)))

    assert found() == ["paint door", "paint fence", "paint walls"]
    assert found(project=house) == ["paint door", "paint walls"]
    assert found(status=["blocked", "completed"]) == ["paint door"]
    assert found(assignee="me") == ["paint fence"]
    assert found(assignee=bob) == ["paint door"]
    assert found(assignee="none") == ["paint walls"]
    assert found(label="OPS") == ["paint door", "paint fence", "paint walls"]
    assert found(label="ops", project=garden) == ["paint fence"]
    html = client.get("/search", query_string={"q": "paint", "label": "Ops"}).get_data(as_text=True)
    assert 'class="label-chip"' in html


def test_due_range_is_read_in_the_viewers_timezone(world: SearchWorld):
    person = world.user(email="kei@example.com", name="Kei", timezone="Asia/Tokyo")
    project = world.project(person)
    # 2030-05-01 23:30 in Tokyo is 14:30 UTC: on the 1st for Kei, though the 1st in UTC too;
    # 2030-05-02 00:30 in Tokyo is 2030-05-01 15:30 UTC: the 2nd for Kei.
    world.task(project, person, title="ship one", due_at=datetime(2030, 5, 1, 14, 30, tzinfo=UTC))
    world.task(project, person, title="ship two", due_at=datetime(2030, 5, 1, 15, 30, tzinfo=UTC))
    world.task(project, person, title="ship never")
    client = world.client_for("kei@example.com")

    def found(**args: str) -> list[str]:
        html = client.get("/search", query_string={"q": "ship", **args}).get_data(as_text=True)
        return sorted(titles(html))

    assert found(due_from="2030-05-01", due_to="2030-05-01") == ["ship one"]
    assert found(due_from="2030-05-02") == ["ship two"]
    assert found(due_to="2030-05-02") == ["ship one", "ship two"]
    html = client.get(
        "/search", query_string={"q": "ship", "due_from": "May 1st", "due_to": "99999-01-01"}
    ).get_data(as_text=True)
    assert "is not a date like 2026-12-31" in html
    assert sorted(titles(html)) == ["ship never", "ship one", "ship two"]


def test_bad_filter_values_are_left_out_with_a_message(world: SearchWorld):
    ann, project, email = team(world)
    world.task(project, ann, title="tulip")
    response = world.client_for(email).get(
        "/search",
        query_string={
            "q": "tulip",
            "project": "x",
            "status": "nope",
            "assignee": "-1",
            "page": "z",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "is not a task status" in html and "is not a person" in html
    assert titles(html) == ["tulip"]


def test_pages_of_results_and_a_page_past_the_end(world: SearchWorld):
    ann, project, email = team(world)
    for n in range(23):
        world.task(project, ann, title=f"tulip {n:02d}")
    client = world.client_for(email)
    first = client.get("/search?q=tulip").get_data(as_text=True)
    second = client.get("/search?q=tulip&page=2").get_data(as_text=True)
    assert len(titles(first)) == 20 and len(titles(second)) == 3
    assert set(titles(first)).isdisjoint(titles(second))
    assert "Page 2 of 2 · 23 tasks" in second
    assert 'rel="next"' in first and "q=tulip" in first
    assert titles(client.get("/search?q=tulip&page=9").get_data(as_text=True)) == titles(first)


def test_the_page_runs_the_same_statements_for_three_results_or_twenty(world, count_queries):
    ann, project, email = team(world)
    bob = world.user(email="bob@example.com", name="Bob")
    client = world.client_for(email)
    ids = [world.task(project, ann, title=f"tulip {n}", assignee_id=bob) for n in range(3)]
    for task in ids:
        world.comment(task, bob, "tulip in a comment")
    world.label(project, "ops", *ids)

    def statements() -> int:
        with count_queries() as seen:
            assert client.get("/search?q=tulip").status_code == 200
        return len(seen)

    few = statements()
    more = [world.task(project, ann, title=f"tulip {n}", assignee_id=bob) for n in range(3, 25)]
    for task in more:
        world.comment(task, bob, "tulip in a comment")
    world.label(project, "garden", *more)
    assert statements() == few


def test_the_top_bar_box_is_on_signed_in_pages(world: SearchWorld):
    ann, project, email = team(world)
    client = world.client_for(email)
    html = client.get("/").get_data(as_text=True)
    assert 'role="search"' in html and 'name="q"' in html and 'action="/search"' in html
    html = client.get("/search?q=tulip").get_data(as_text=True)
    assert 'id="topsearch-q"' in html and 'value="tulip"' in html
    assert world.app.test_client().get("/search?q=tulip").status_code == 302


def test_due_dates_show_in_results(world: SearchWorld):
    ann, project, email = team(world)
    world.task(project, ann, title="tulip", due_at=utcnow() - timedelta(days=1))
    html = world.client_for(email).get("/search?q=tulip").get_data(as_text=True)
    assert 'class="overdue"' in html


def test_more_matches_than_one_search_ranks_says_so(world: SearchWorld, monkeypatch):
    from app.search import engines, queries

    monkeypatch.setattr(engines, "CANDIDATES", 3)
    monkeypatch.setattr(queries, "CANDIDATES", 3)
    ann, project, email = team(world)
    for n in range(5):
        world.task(project, ann, title=f"tulip {n}")
    html = world.client_for(email).get("/search?q=tulip").get_data(as_text=True)
    assert "3 or more tasks found: the newest matches" in html
    assert sorted(titles(html)) == ["tulip 2", "tulip 3", "tulip 4"]
