"""Every text colour of the email stylesheet meets WCAG AA (4.5:1) on its background, light and
dark, computed from the CSS in app/templates/email/_layout.html."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

LAYOUT = Path(__file__).resolve().parents[2] / "app" / "templates" / "email" / "_layout.html"
AA = 4.5
Rules = dict[str, dict[str, str]]

# (text selector, background selector): what each piece of text is painted on.
BADGES = [".badge", ".p-critical", ".p-high", ".p-medium", ".p-low"]
TEXT_ON = [
    (".content", ".container"),
    (".lead", ".container"),
    (".meta", ".container"),
    (".meta", ".urgent"),
    (".task-title", ".container"),
    (".task-title", ".urgent"),
    (".late", ".container"),
    (".late", ".urgent"),
    (".danger", ".container"),
    (".header", ".header"),
    ("a.button", "a.button"),
    ("a.button", ".button-cell"),
    ("a.button-secondary", "a.button-secondary"),
    (".footer", ".container"),
]


def parse_rules(css: str) -> Rules:
    """{selector: {property: value}} of flat rules; a later rule adds to an earlier one."""
    rules: Rules = {}
    for selectors, body in re.findall(r"([^{}@]+)\{([^{}]*)\}", css):
        declarations = dict(
            (name.strip(), value.replace("!important", "").strip())
            for name, _, value in (d.partition(":") for d in body.split(";") if ":" in d)
        )
        for selector in selectors.split(","):
            rules.setdefault(selector.strip(), {}).update(declarations)
    return rules


def stylesheets() -> tuple[Rules, Rules]:
    """The light rules (the inlined block) and the dark ones (its prefers-color-scheme query)."""
    html = re.sub(r"\{#.*?#\}", "", LAYOUT.read_text(), flags=re.DOTALL)
    light_css, kept_css = re.findall(r"<style[^>]*>(.*?)</style>", html, re.DOTALL)
    start = kept_css.index("@media (prefers-color-scheme: dark)")
    dark_css = kept_css[kept_css.index("{", start) + 1 :]
    return parse_rules(light_css), parse_rules(dark_css)


def colour(rules: Rules, selector: str, prop: str, fallback: Rules | None = None) -> str:
    """`prop` of `selector` (background may be written as background or background-color)."""
    for source in (rules, fallback or {}):
        found = source.get(selector, {})
        for name in (prop, f"{prop}-color"):
            if name in found:
                return found[name]
    raise LookupError(f"no {prop} for {selector}")


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(text: str, background: str) -> float:
    darker, lighter = sorted((luminance(text), luminance(background)))
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_formula_matches_wcag_examples() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#b26a00", "#fff1dc") == pytest.approx(3.81, abs=0.01)  # the old "High"


PAIRS = [(badge, badge) for badge in BADGES] + TEXT_ON


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("text", "background"), PAIRS)
def test_text_meets_wcag_aa(scheme: str, text: str, background: str) -> None:
    light, dark = stylesheets()
    rules, fallback = (light, None) if scheme == "light" else (dark, light)
    ink = colour(rules, text, "color", fallback)
    paper = colour(rules, background, "background", fallback)
    ratio = contrast(ink, paper)
    assert ratio >= AA, f"{scheme} {text} {ink} on {background} {paper}: {ratio:.2f}:1"
