"""The label form: a name, and a color from the presets or a free #rrggbb."""

from __future__ import annotations

from flask_babel import lazy_gettext
from wtforms import StringField

from app.core.web.forms import WebForm
from app.labels.models import DEFAULT_LABEL_COLOR
from app.labels.rules import PRESETS

CUSTOM = "custom"


class LabelForm(WebForm):
    """The name and color are checked by the service's rules (app.labels.rules), which say
    what is wrong in words; the form only carries them."""

    name = StringField(lazy_gettext("Name"))
    # A preset's "#rrggbb", or CUSTOM for the free color beside it.
    color = StringField(lazy_gettext("Color"), default=DEFAULT_LABEL_COLOR)
    custom_color = StringField(lazy_gettext("Custom color"), default="#6b7280")

    def chosen_color(self) -> str:
        if (self.color.data or "") == CUSTOM:
            return self.custom_color.data or ""
        return self.color.data or ""

    def fill(self, name: str, color: str) -> None:
        self.name.data = name
        if color in PRESETS:
            self.color.data = color
        else:
            self.color.data, self.custom_color.data = CUSTOM, color
