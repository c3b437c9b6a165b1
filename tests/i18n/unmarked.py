"""Finds words shown to people that are not marked for translation: literal text in templates,
prose string constants in template expressions, and prose literals handed to flash, form
fields and validators, emails, aborts, the CLI and raised errors in Python.

Run it on a folder to see what is left: `python -m tests.i18n.unmarked app/labels`.
A line that is never shown to people (a log line, a developer's error) is exempted with the
comment `# i18n: internal`; a whole module (the OpenAPI document's prose, for developers) with
`i18n: internal` in its docstring's first line.
"""

from __future__ import annotations

import ast
import html
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, nodes
from jinja2.ext import i18n as jinja_i18n

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app"
EXEMPT = "i18n: internal"

# Words that are the same in every language: names of things, not prose.
ALLOWED_WORDS = frozenset(
    """Tickler API REST IMAP IMAPS SMTP LMTP TLS STARTTLS CSV JSON XLSX ICS iCal iCalendar HTML
    URL URLs UTC ID IDs OpenAPI Swagger UI HMAC SHA Bearer DKIM SPF DMARC VERP Celery Redis
    PostgreSQL SQLite Flower Maildir Gmail Outlook Markdown GitHub Slack Webhook webhook tkl
    MIME RFC Auto Submitted ETag HTTP HTTPS POST GET PUT PATCH DELETE cron crontab Kanban
    nbsp middot hellip rarr larr mdash ndash times amp quot lt gt""".split()
)
# Attributes whose values people read (or hear, from a screen reader).
VISIBLE_ATTRIBUTES = (
    "title",
    "placeholder",
    "aria-label",
    "alt",
    "aria-description",
    "data-confirm",
    "data-copied",
    "data-label",
    "label",
)
_WORD = re.compile(r"[^\W\d_]{2,}|[\u3040-\u30ff\u4e00-\u9fff]")
_TAG = re.compile(r"<[^>]*>", re.S)
_ATTRIBUTE = re.compile(r'([\w:-]+)\s*=\s*"([^"]*)"', re.S)
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
HOLE = "\x00"


@dataclass(frozen=True)
class Unmarked:
    path: Path
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}: {self.text!r}"


def is_prose(text: str) -> bool:
    """Whether `text` holds a word that would need translating."""
    return any(word not in ALLOWED_WORDS for word in _WORD.findall(html.unescape(text)))


# --- templates ---------------------------------------------------------------------------


def template_environment() -> Environment:
    env = Environment(extensions=[jinja_i18n, "jinja2.ext.do", "jinja2.ext.loopcontrols"])
    return env


def template_files(under: Path = APP) -> list[Path]:
    return sorted(
        path
        for path in under.rglob("*")
        if path.suffix in (".html", ".txt")
        and "templates" in path.parts
        and "vendor" not in path.parts
    )


def unmarked_in_template(path: Path, env: Environment | None = None) -> list[Unmarked]:
    env = env or template_environment()
    source = path.read_text()
    found = list(_unmarked_literal_text(path, source, env))
    found += list(_unmarked_constants(path, env.parse(source)))
    return found


def _literal_document(source: str, env: Environment) -> tuple[str, list[int]]:
    """The template's literal text with a HOLE for every tag and expression, text inside
    {% trans %} blocks left out; with the source line of every character."""
    text: list[str] = []
    lines: list[int] = []
    in_trans = False
    previous = ""
    for lineno, kind, value in env.lex(source):
        if kind == "whitespace":
            continue
        if kind == "name" and previous == "block_begin":
            if value == "trans":
                in_trans = True
            elif value == "endtrans":
                in_trans = False
        if kind == "data" and not in_trans:
            text.append(value)
            lines.extend(lineno + value[:i].count("\n") for i in range(len(value)))
        elif kind in ("variable_begin", "block_begin"):
            text.append(HOLE)
            lines.append(lineno)
        previous = kind
    return "".join(text), lines


def _unmarked_literal_text(path: Path, source: str, env: Environment) -> Iterator[Unmarked]:
    document, lines = _literal_document(source, env)
    if path.suffix == ".html":
        document = _blank(document, _SCRIPT_OR_STYLE)
        document = _blank(document, _COMMENT)
        for tag in _TAG.finditer(document):
            for attribute in _ATTRIBUTE.finditer(tag.group(0)):
                name, value = attribute.group(1).lower(), attribute.group(2)
                if _visible(name, tag.group(0)) and is_prose(value.replace(HOLE, " ")):
                    yield Unmarked(path, lines[tag.start()], f"{name}={value.strip()}")
        document = _blank(document, _TAG)
    for chunk in re.finditer(r"[^\x00 ]+(?: +[^\x00 ]+)*", document.replace("\n", " ")):
        if is_prose(chunk.group(0)):
            yield Unmarked(path, lines[chunk.start()], chunk.group(0).strip())


def _visible(attribute: str, tag: str) -> bool:
    if attribute in VISIBLE_ATTRIBUTES:
        return True
    # An <input type=submit>'s value is its label; a <button>'s value is sent, never shown.
    return (
        attribute == "value"
        and tag.lower().startswith("<input")
        and bool(re.search(r'type="(submit|button|reset)"', tag))
    )


def _blank(document: str, pattern: re.Pattern[str]) -> str:
    # Same length, so the line table still lines up.
    return pattern.sub(lambda m: " " * len(m.group(0)), document)


GETTEXT_NAMES = frozenset({"_", "gettext", "ngettext", "pgettext", "npgettext", "_l"})
# Where a constant is a name for code, not words for people.
CODE_CALLS = frozenset(
    {
        "url_for",
        "absolute_url",
        "url_with",
        "strftime",
        "get",
        "startswith",
        "endswith",
        "split",
        "replace",
        "join",
        "format",
        "attr",
        "selectattr",
        "rejectattr",
        "map",
        "groupby",
        "sort",
        "dictsort",
        "sum",
        "format_datetime",
        "include",
        "items",
    }
)


def _prose_constant(value: str) -> bool:
    """'Save', 'No due date': prose; 'tasks.detail', 'btn-primary', '%H:%M': code."""
    if not is_prose(value) or value.startswith(("%", "#", "/", ".", "http")):
        return False
    if re.fullmatch(r"[a-z0-9_.:/-]+( [a-z0-9_-]+)*", value):
        return False  # endpoints, classes, keys
    return True


def _unmarked_constants(path: Path, tree: nodes.Node) -> Iterator[Unmarked]:
    def walk(node: nodes.Node, exempt: bool) -> Iterator[Unmarked]:
        if isinstance(node, nodes.Call):
            name = getattr(node.node, "name", None) or getattr(node.node, "attr", None)
            exempt = exempt or name in GETTEXT_NAMES or name in CODE_CALLS
        if isinstance(node, nodes.Filter) and node.name in ("format", "join", "replace"):
            exempt = True
        if isinstance(
            node,
            nodes.Compare
            | nodes.Getitem
            | nodes.Include
            | nodes.Import
            | nodes.FromImport
            | nodes.Extends
            | nodes.Test,
        ):
            exempt = True
        if isinstance(node, nodes.Const) and isinstance(node.value, str) and not exempt:
            if _prose_constant(node.value):
                yield Unmarked(path, node.lineno, node.value)
        if isinstance(node, nodes.Dict):
            for pair in node.items:  # keys are code, values may be words
                yield from walk(pair.value, exempt)
            return
        for child in node.iter_child_nodes():
            yield from walk(child, exempt)

    for output in tree.iter_child_nodes():
        yield from walk(output, False)


# --- Python ------------------------------------------------------------------------------

# Calls whose positional arguments (by index) people read.
PROSE_ARGUMENTS: dict[str, tuple[int, ...]] = {
    "flash": (0,),
    "ValidationError": (0,),
    "StopValidation": (0,),
    "abort": (1,),
    "echo": (0,),
    "secho": (0,),
    "confirm": (0,),
    "BadParameter": (0,),
    "UsageError": (0,),
    "ClickException": (0,),
    "render_email": (1, 2),
    "RuleViolation": (0,),
    "problem": (1,),
    "Unprocessable": (0,),
}
PROSE_KEYWORDS = frozenset(
    {
        "message",
        "description",
        "detail",
        "label",
        "subject",
        "preheader",
        "placeholder",
        "title_text",
        "help_text",
        "empty",
        "invalid",
        "what",
        "heading",
    }
)
# Errors meant for developers and operators' logs, never shown to people.
INTERNAL_ERRORS = frozenset(
    {
        "RuntimeError",
        "AssertionError",
        "TypeError",
        "NotImplementedError",
        "KeyError",
        "AttributeError",
        "ConfigError",
        "ImportError",
        "SystemExit",
        "LookupError",
        "OverflowError",
        "OSError",
        "TimeoutError",
        "ConnectionError",
    }
)
FIELD = re.compile(r"\w*Field$")


def python_files(under: Path = APP) -> list[Path]:
    return sorted(p for p in under.rglob("*.py") if "translations" not in p.parts)


def unmarked_in_python(path: Path) -> list[Unmarked]:
    source = path.read_text()
    lines = source.splitlines()
    docstring = ast.get_docstring(ast.parse(source)) or ""
    if EXEMPT in docstring.split("\n", 1)[0]:
        return []
    found = []
    seen: set[tuple[int, int]] = set()
    for node, literal in _prose_literals(ast.parse(source)):
        if (literal.lineno, literal.col_offset) in seen:
            continue
        seen.add((literal.lineno, literal.col_offset))
        line = lines[literal.lineno - 1] if literal.lineno <= len(lines) else ""
        if EXEMPT in line or EXEMPT in lines[node.lineno - 1]:
            continue
        found.append(Unmarked(path, literal.lineno, ast.unparse(literal)[:120]))
    return found


def _prose_literals(tree: ast.AST) -> Iterator[tuple[ast.AST, ast.expr]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield from ((node, arg) for arg in _shown_arguments(node) if _is_prose_literal(arg))
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            name = _call_name(node.exc)
            if name not in INTERNAL_ERRORS:
                for arg in node.exc.args[:1]:
                    if _is_prose_literal(arg):
                        yield node, arg


def _shown_arguments(call: ast.Call) -> Iterator[ast.expr]:
    name = _call_name(call)
    for index in PROSE_ARGUMENTS.get(name, ()):
        if index < len(call.args):
            yield call.args[index]
    if FIELD.match(name) and call.args:
        yield call.args[0]
    if name in PROSE_ARGUMENTS or FIELD.match(name) or name in _VALIDATORS:
        for keyword in call.keywords:
            if keyword.arg in PROSE_KEYWORDS:
                yield keyword.value
    if FIELD.match(name):
        for keyword in call.keywords:
            if keyword.arg == "render_kw" and isinstance(keyword.value, ast.Dict):
                for key, value in zip(keyword.value.keys, keyword.value.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value in VISIBLE_ATTRIBUTES:
                        yield value


_VALIDATORS = frozenset(
    {
        "DataRequired",
        "InputRequired",
        "Length",
        "NumberRange",
        "Email",
        "EqualTo",
        "Regexp",
        "Optional",
        "AnyOf",
        "NoneOf",
        "URL",
        "length",
        "number_between",
    }
)


def _call_name(call: ast.Call) -> str:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return ""


def _is_prose_literal(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return is_prose(node.value) and " " in node.value.strip() or _capitalised(node.value)
    if isinstance(node, ast.JoinedStr):
        text = "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
        return is_prose(text)
    if isinstance(node, ast.BinOp):  # "Saved " + name, "%s tasks" % n
        return _is_prose_literal(node.left) or _is_prose_literal(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == "format":  # "Saved {}".format(name)
            return _is_prose_literal(node.func.value)
    if isinstance(node, ast.IfExp):
        return _is_prose_literal(node.body) or _is_prose_literal(node.orelse)
    return False


def _capitalised(value: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][a-z]+[.!]?", value)) and is_prose(value)


# --- everything --------------------------------------------------------------------------


def unmarked(under: Path = APP) -> list[Unmarked]:
    env = template_environment()
    found: list[Unmarked] = []
    for path in template_files(under):
        found += unmarked_in_template(path, env)
    for path in python_files(under):
        found += unmarked_in_python(path)
    return found


if __name__ == "__main__":
    folders = [Path(arg).resolve() for arg in sys.argv[1:]] or [APP]
    results = [item for folder in folders for item in unmarked(folder)]
    for item in results:
        print(item)
    print(f"{len(results)} unmarked", file=sys.stderr)
    sys.exit(1 if results else 0)
