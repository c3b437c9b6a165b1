"""Pure label rules: presets readable, names cleaned and compared without case, changes named."""

import pytest

from app.labels.colors import MINIMUM_CONTRAST, contrast_ratio, text_color_on
from app.labels.rules import (
    PRESETS,
    LabelNameError,
    chips_text,
    clean_color,
    clean_name,
    is_taken,
    label_change,
)


@pytest.mark.parametrize("color", list(PRESETS))
def test_every_preset_meets_aa_contrast_with_its_text_color(color):
    assert contrast_ratio(color, text_color_on(color)) >= MINIMUM_CONTRAST


def test_contrast_ratio_of_black_on_white_is_21():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)


def test_light_colors_get_dark_text_and_dark_colors_white():
    assert text_color_on("#f9d94a") == "#111111"
    assert text_color_on("#1d2433") == "#ffffff"


def test_a_name_is_trimmed_and_inner_spaces_collapsed():
    assert clean_name("  needs   review ") == "needs review"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Give the label a name"),
        ("   ", "Give the label a name"),
        ("x" * 41, "40 characters"),
        ("bell\x07", "control characters"),
    ],
)
def test_bad_names_are_refused_with_a_reason(raw, message):
    with pytest.raises(LabelNameError, match=message):
        clean_name(raw)


def test_names_compare_without_case():
    assert is_taken("OPS", ["design", "ops"])
    assert not is_taken("ops2", ["ops"])


@pytest.mark.parametrize("raw", ["red", "#12345", "#gggggg", "", "#1234567"])
def test_colors_must_be_hex(raw):
    with pytest.raises(ValueError, match="#rrggbb"):
        clean_color(raw)


def test_color_is_stored_lower_case():
    assert clean_color(" #AABBCC ") == "#aabbcc"


def test_label_change_names_added_and_removed_sorted():
    change = label_change({1: "ops", 2: "bug"}, {2: "bug", 3: "Design", 4: "api"})
    assert change.added == ("api", "Design")
    assert change.removed == ("ops",)
    assert change


def test_no_change_is_falsy():
    assert not label_change({1: "ops"}, {1: "ops"})


def test_chips_text_for_plain_text_emails():
    assert chips_text(["ops", "bug"]) == "[ops] [bug]"
    assert chips_text([]) == ""
