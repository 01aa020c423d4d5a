"""What a browser would post: the fields of a form on a page, hidden ones included.

data = form_data(page, containing="f-activity-7-comment")
data["f-activity-7-comment"] = "Ny text."
client.post(url, data)
"""

from __future__ import annotations

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, list[str]]] = []
        self._form: dict[str, list[str]] | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._selected: str | None = None
        self._first_option: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("disabled") is None:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.setdefault(name, []).append(a.get("value") or "on")
            elif kind not in ("submit", "button", "file"):
                self._form.setdefault(name, []).append(a.get("value") or "")
        elif tag == "textarea" and name and a.get("disabled") is None:
            self._textarea, self._text = name, []
        elif tag == "select" and name and a.get("disabled") is None:
            self._select, self._selected, self._first_option = name, None, None
        elif tag == "option" and self._select is not None:
            value = a.get("value") or ""
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self._selected = value

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            text = "".join(self._text)
            self._form.setdefault(self._textarea, []).append(text.removeprefix("\n"))
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            chosen = self._selected if self._selected is not None else self._first_option
            self._form.setdefault(self._select, []).append(chosen or "")
            self._select = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)


def form_data(page: str, *, containing: str) -> dict[str, str | list[str]]:
    """The fields of the form on ``page`` that has a field named ``containing``."""
    parser = _Forms()
    parser.feed(page)
    for form in parser.forms:
        if containing in form:
            return {name: values if len(values) > 1 else values[0] for name, values in form.items()}
    raise AssertionError(f"no form with a field {containing!r}")
