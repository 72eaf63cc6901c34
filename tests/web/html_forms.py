"""Reading a page's form as a browser would submit it: every named field's value (text and
hidden inputs, checked radios and checkboxes, selected options, textareas)."""

from __future__ import annotations

from html.parser import HTMLParser


class _Form(HTMLParser):
    def __init__(self, action_part: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action_part = action_part
        self.inside = False
        self.values: dict[str, str] = {}
        self._select: str | None = None
        self._option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("method", "").lower() == "post" and self.action_part in (
                a.get("action", "") + a.get("hx-post", "")
            )
        if not self.inside:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self.values[name] = a.get("value", "on")
            elif kind != "submit":
                self.values[name] = a.get("value", "")
        elif tag == "select":
            self._select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self._select:
            if "selected" in a:
                self.values[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data.removeprefix("\n")


def form_values(html: str, action_part: str) -> dict[str, str]:
    """The values the POST form whose action (or hx-post) contains ``action_part`` sends."""
    parser = _Form(action_part)
    parser.feed(html)
    return parser.values
