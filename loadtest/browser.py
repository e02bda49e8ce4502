"""What a browser does with a page's form, for the simulated users: read every field of a <form> as the page
filled it (hidden CSRF and one-time tokens, formset management fields, selected options, checked boxes,
textareas), so a user can change a few and send the rest back as they were."""

from __future__ import annotations

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._multiple = False
        self._textarea: str | None = None
        self._option_value: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": (a.get("method") or "get").lower(),
                          "id": a.get("id", ""), "fields": [], "options": {}, "labels": {}}  # fmt: skip
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        fields, name = self._form["fields"], a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                self._form["options"].setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    fields.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
            self._multiple = "multiple" in a
            self._form["options"][name] = []
        elif tag == "option" and self._select:
            value = a.get("value")
            self._option_value = value
            self._text = []
            if value is not None:
                self._form["options"][self._select].append(value)
                if self._select_first is None:
                    self._select_first = value
                if "selected" in a:
                    fields.append((self._select, value))
                    self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea is not None or self._option_value is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "option" and self._select and self._option_value is not None and self._form is not None:
            # What the user reads in the drop-down (e.g. a plan's year and kind), to choose by it.
            self._form["labels"].setdefault(self._select, {})[self._option_value] = "".join(
                self._text
            ).strip()
            self._option_value = None
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select and self._form is not None:
            self._option_value = None
            if not self._select_chosen and not self._multiple and self._select_first is not None:
                self._form["fields"].append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form["fields"].append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None


def forms_of(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def form_of(html: str, *, has: str, method: str = "post") -> dict | None:
    """The first form of the page that has a field named `has` (e.g. "csrfmiddlewaretoken")."""
    for form in forms_of(html):
        if form["method"] == method and any(name == has for name, _ in form["fields"]):
            return form
    return None


def fill(form: dict, changes: dict[str, str | list[str]]) -> list[tuple[str, str]]:
    """The form's fields with `changes` applied (a list value sends several values under one name)."""
    kept = [(n, v) for n, v in form["fields"] if n not in changes and "__prefix__" not in n]
    for name, value in changes.items():
        for one in value if isinstance(value, list) else [value]:
            kept.append((name, one))
    return kept
