"""The fields a browser would send back for each form of a page, so that the benchmark can
POST the entry page as it was served."""

from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser


class FormParser(HTMLParser):
    """The fields a browser would submit for each <form> of a page: (name, value) pairs,
    skipping disabled fields, unticked boxes, files and buttons."""

    SKIPPED_INPUTS = {"submit", "button", "file", "image", "reset"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.form = None
        self.textarea = None
        self.select = None

    @classmethod
    def forms_of(cls, html):
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser.forms

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.form = []
            self.forms.append(self.form)
            return
        if self.form is None:
            return
        name = attributes.get("name")
        disabled = "disabled" in attributes
        if tag == "input":
            kind = (attributes.get("type") or "text").lower()
            if disabled or not name or kind in self.SKIPPED_INPUTS:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self.form.append((name, attributes.get("value") or "on"))
                return
            self.form.append((name, attributes.get("value") or ""))
        elif tag == "textarea":
            self.textarea = [name, ""] if name and not disabled else None
        elif tag == "select":
            self.select = {"name": name, "disabled": disabled, "first": None, "chosen": None}
        elif tag == "option" and self.select is not None:
            value = attributes.get("value") or ""
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attributes:
                self.select["chosen"] = value

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # A newline right after <textarea> is not part of the value (HTML spec).
            self.form.append((name, text[1:] if text.startswith("\n") else text))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            select = self.select
            if select["name"] and not select["disabled"] and self.form is not None:
                chosen = select["chosen"] if select["chosen"] is not None else select["first"]
                self.form.append((select["name"], chosen or ""))
            self.select = None


def number(text):
    try:
        return Decimal(text.replace(",", "").strip() or "0").to_integral_value()
    except InvalidOperation:
        raise SystemExit(f"Not a number in the entry form: {text!r}") from None
