"""The board's pure rules: positions between neighbours, renumbering, the no-script neighbours."""

from __future__ import annotations

from app.board.rules import (
    COLUMN_ORDER,
    MIN_GAP,
    POSITION_STEP,
    neighbours,
    position_between,
    renumbered,
    shown_columns,
)
from app.tasklist.models import TaskStatus


def test_a_card_between_two_neighbours_takes_the_middle():
    assert position_between(1024.0, 2048.0) == 1536.0


def test_a_card_at_the_top_or_bottom_goes_a_step_beyond_the_end():
    assert position_between(None, 1024.0) == 1024.0 - POSITION_STEP
    assert position_between(3072.0, None) == 3072.0 + POSITION_STEP
    assert position_between(None, None) == POSITION_STEP


def test_touching_neighbours_ask_for_a_renumbering():
    assert position_between(5.0, 5.0 + MIN_GAP / 2) is None
    assert position_between(5.0, 5.0) is None


def test_repeated_moves_into_one_gap_end_in_a_renumbering_not_a_wrong_order():
    above, below = 1024.0, 2048.0
    moves = 0
    while (middle := position_between(above, below)) is not None:
        assert above < middle < below
        below = middle
        moves += 1
    assert moves > 20


def test_renumbering_spaces_the_column_evenly_with_the_card_in_its_place():
    assert renumbered([10, 11, 12], 99, 1) == {10: 1024.0, 99: 2048.0, 11: 3072.0, 12: 4096.0}
    assert renumbered([10, 99, 11], 99, 0) == {99: 1024.0, 10: 2048.0, 11: 3072.0}
    assert list(renumbered([10, 11], 99, 50)) == [10, 11, 99]


def test_the_no_script_buttons_name_the_new_neighbours():
    column = [1, 2, 3, 4]
    assert neighbours(column, 3, -1) == (1, 2)
    assert neighbours(column, 2, -1) == (None, 1)
    assert neighbours(column, 2, 1) == (3, 4)
    assert neighbours(column, 3, 1) == (4, None)


def test_the_status_filter_chooses_the_columns_in_board_order():
    assert shown_columns(()) == COLUMN_ORDER
    chosen = (TaskStatus.COMPLETED, TaskStatus.PENDING)
    assert shown_columns(chosen) == (TaskStatus.PENDING, TaskStatus.COMPLETED)
