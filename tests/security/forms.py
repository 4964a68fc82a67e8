"""Read the forms of a rendered page (as a browser would submit them) for the bad-input tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

TEXT_TYPES = {"text", "search", "tel", "email", "url", "number", "date", "time", "password", ""}


@dataclass
class Form:
    """One ``<form>``: where it goes and what it would send as filled in on the page."""

    action: str
    method: str
    values: dict[str, str] = field(default_factory=dict)
    text_fields: list[str] = field(default_factory=list)  # typed by people: inputs, textareas
    choices: dict[str, list[str]] = field(default_factory=dict)  # selects and radios

    def data(self, **changes: str) -> dict[str, str]:
        """Return the values to post, with ``changes`` applied."""
        return {**self.values, **changes}


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._in_select: str | None = None
        self._in_textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").upper()))
        elif self.forms and tag in ("input", "select", "textarea", "option"):
            getattr(self, f"_{tag}")(self.forms[-1], a)

    def _input(self, form: Form, a: dict[str, str]) -> None:
        name, kind = a.get("name"), a.get("type", "").lower()
        if not name or kind in ("submit", "button", "image", "file", "reset"):
            return
        if kind in ("checkbox", "radio"):
            form.choices.setdefault(name, []).append(a.get("value", "on"))
            if "checked" in a:
                form.values[name] = a.get("value", "on")
            return
        form.values[name] = a.get("value", "")
        if kind in TEXT_TYPES and kind not in ("number", "date", "time", "password"):
            form.text_fields.append(name)

    def _select(self, form: Form, a: dict[str, str]) -> None:
        self._in_select = a.get("name")
        if self._in_select:
            form.choices[self._in_select] = []

    def _option(self, form: Form, a: dict[str, str]) -> None:
        if self._in_select is None:
            return
        value = a.get("value", "")
        form.choices[self._in_select].append(value)
        if "selected" in a or self._in_select not in form.values:
            form.values[self._in_select] = value

    def _textarea(self, form: Form, a: dict[str, str]) -> None:
        self._in_textarea = a.get("name")
        if self._in_textarea:
            form.values[self._in_textarea] = ""
            form.text_fields.append(self._in_textarea)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._in_select = None
        elif tag == "textarea":
            self._in_textarea = None

    def handle_data(self, data: str) -> None:
        if self._in_textarea and self.forms:
            self.forms[-1].values[self._in_textarea] += data.lstrip("\n")


def forms_of(html: str, path: str) -> list[Form]:
    """Return the POST forms of a page; an empty action means the page's own path."""
    parser = _Parser()
    parser.feed(html)
    found = [f for f in parser.forms if f.method == "POST"]
    for form in found:
        form.action = form.action or path
    return found


def main_form(html: str, path: str) -> Form:
    """Return the page's own data form: the POST form with the most fields to type in."""
    candidates = [f for f in forms_of(html, path) if f.text_fields or f.choices]
    return max(candidates, key=lambda f: len(f.text_fields) + len(f.choices))
