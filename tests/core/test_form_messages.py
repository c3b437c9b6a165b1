"""Every form speaks in Tickler's voice: no validator without its own message, and no input
that makes a form show WTForms' default text."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest
import wtforms
import wtforms.validators
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms.fields.core import UnboundField

import app as app_package

# Validators that never show a message of their own.
SILENT_VALIDATORS = (wtforms.validators.Optional,)


def form_classes() -> list[type[FlaskForm]]:
    found: dict[str, type[FlaskForm]] = {}
    # Every feature's forms.py (and the shared ones in app/core/web/).
    modules = [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(app_package.__path__, "app.")
        if info.name.rsplit(".", 1)[-1] in ("forms", "form_messages", "validators")
    ]
    for module in modules:
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, FlaskForm)
                and value.__module__ == module.__name__
            ):
                found[f"{module.__name__}.{name}"] = value
    return [found[key] for key in sorted(found)]


def unbound_fields(form_class: type[FlaskForm]) -> list[tuple[str, UnboundField]]:
    return [
        (name, value)
        for klass in form_class.__mro__
        for name, value in vars(klass).items()
        if isinstance(value, UnboundField)
    ]


def default_messages() -> list[re.Pattern[str]]:
    """WTForms' own texts, from its translation template, as patterns."""
    pot = Path(wtforms.__file__).parent / "locale" / "wtforms.pot"
    texts = re.findall(r'^msgid(?:_plural)? "(.+)"$', pot.read_text(), flags=re.MULTILINE)
    patterns = []
    for text in texts:
        escaped = re.escape(text)
        patterns.append(re.compile(re.sub(r"%\\\(\w+\\\)[sd]|%s", ".*", escaped)))
    return patterns


FORMS = form_classes()


def test_the_walk_finds_the_forms():
    names = {form.__name__ for form in FORMS}
    assert {"RegisterForm", "ProfileForm", "TaskForm", "PreferencesForm", "WebhookForm"} <= names


@pytest.mark.parametrize("form_class", FORMS, ids=lambda f: f.__name__)
def test_every_validator_has_its_own_message(form_class):
    missing = []
    for name, unbound in unbound_fields(form_class):
        for validator in unbound.kwargs.get("validators") or []:
            if isinstance(validator, SILENT_VALIDATORS):
                continue
            if type(validator).__module__ == wtforms.validators.__name__ and not getattr(
                validator, "message", None
            ):
                missing.append(f"{name}: {type(validator).__name__}")
    assert not missing, f"{form_class.__name__} shows WTForms' default text for {missing}"


def build(form_class: type[FlaskForm], data: MultiDict) -> FlaskForm:
    keyword_only = {
        name
        for name, parameter in inspect.signature(form_class.__init__).parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
    }
    extra = {"timezone_name": "UTC", "members": []}
    return form_class(formdata=data, **{k: v for k, v in extra.items() if k in keyword_only})


def bad_input(form_class: type[FlaskForm], value: str) -> MultiDict:
    return MultiDict([(name, value) for name, _ in unbound_fields(form_class)])


@pytest.mark.parametrize("form_class", FORMS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("value", ["", "not-a-choice\x01", "9" * 300, "-5", "2026-02-30"])
def test_no_input_makes_a_form_speak_wtforms_words(base_app, form_class, value):
    patterns = default_messages()
    with base_app.test_request_context(method="POST"):
        form = build(form_class, bad_input(form_class, value))
        form.validate()
        shown = [
            (name, message)
            for name, messages in form.errors.items()
            for message in messages
            if isinstance(message, str)
        ]
    default = [(name, m) for name, m in shown if any(p.fullmatch(m) for p in patterns)]
    assert not default, f"{form_class.__name__} says {default}"
