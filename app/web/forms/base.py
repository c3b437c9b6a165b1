"""The base of every form: a browser's form post, never a JSON body read as one."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_wtf import FlaskForm


class WebForm(FlaskForm):
    """Flask-WTF reads a JSON body as the form when no form fields were posted; a JSON list,
    string or number there, or a number where text belongs, then fails as a 500. Tickler's forms
    are HTML forms: a JSON body gives them an empty form, so each field says what it needs."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            if has_request_context() and request.is_json and not request.form:
                formdata = request.form
            return super().wrap_formdata(form, formdata)
