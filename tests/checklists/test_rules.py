"""Pure checklist rules: positions between neighbours, moves, renumbering, item text."""

import pytest

from app.checklists.rules import (
    ItemTextError,
    between,
    clean_text,
    moved_position,
    needs_renumbering,
    position_after,
    renumbered,
)


def test_a_new_item_goes_after_the_last():
    assert position_after([]) == 1.0
    assert position_after([1.0, 2.5]) == 3.5


def test_between_takes_the_middle_or_steps_past_an_end():
    assert between(1.0, 2.0) == 1.5
    assert between(None, 1.0) == 0.0
    assert between(3.0, None) == 4.0
    assert between(None, None) == 1.0


def test_moving_up_lands_between_the_two_items_above():
    # Items at 1, 2, 3: the third moved up goes between 1 and 2.
    assert moved_position([1.0, 2.0, 3.0], 2, -1) == 1.5


def test_moving_down_lands_between_the_two_items_below():
    assert moved_position([1.0, 2.0, 3.0], 0, 1) == 2.5


def test_moving_to_the_top_or_bottom_steps_past_the_end():
    assert moved_position([1.0, 2.0], 1, -1) == 0.0
    assert moved_position([1.0, 2.0], 0, 1) == 3.0


def test_moving_past_an_end_is_refused():
    assert moved_position([1.0, 2.0], 0, -1) is None
    assert moved_position([1.0, 2.0], 1, 1) is None


def test_many_moves_keep_the_order_they_describe():
    order = ["a", "b", "c"]
    positions = {"a": 1.0, "b": 2.0, "c": 3.0}
    for _ in range(30):  # c up, then back down, many times: positions must stay distinct
        for offset in (-1, 1):
            ranked = sorted(order, key=positions.__getitem__)
            index = ranked.index("c")
            new = moved_position([positions[k] for k in ranked], index, offset)
            if new is not None:
                positions["c"] = new
        assert len(set(positions.values())) == 3


def test_close_neighbours_ask_for_renumbering():
    assert needs_renumbering([1.0, 1.0 + 1e-9])
    assert not needs_renumbering([1.0, 1.5, 2.0])
    assert renumbered(3) == [1.0, 2.0, 3.0]


def test_item_text_is_cleaned_and_checked():
    assert clean_text("  buy   milk ") == "buy milk"
    with pytest.raises(ItemTextError, match="Write what the item is"):
        clean_text("  ")
    with pytest.raises(ItemTextError, match="300 characters"):
        clean_text("x" * 301)
