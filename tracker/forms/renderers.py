"""The form renderer (settings.FORM_RENDERER): Django's, with the plain widgets written in
Python. Django renders every widget through its template engine (an input is three templates,
a select one more per option), which cost an eighth of the entry page and of the list pages
with filters. The markup is Django's, byte for byte (tests/test_form_renderer.py compares
both on every widget the project uses); any other template goes to Django's templates."""

from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.utils.safestring import SafeData


class _TemplateContext:
    """What render_value_in_context reads of a template's context: a widget template is
    rendered with autoescaping and the settings' localisation and time zone."""

    autoescape = True
    use_l10n = None
    use_tz = None


_CONTEXT = _TemplateContext()


def template_text(value):
    """What {{ value }} writes in a template: localised, escaped unless safe."""
    return render_value_in_context(value, _CONTEXT)


_text = template_text


def _string(value):
    """{{ value|stringformat:'s' }}: the filter keeps a safe string safe (it is is_safe)."""
    text = "%s" % (str(value) if isinstance(value, tuple) else value)
    return text if isinstance(value, SafeData) else _text(text)


def _attrs(attrs):
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_string(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget):
    """django/forms/widgets/input.html (text, number, hidden, checkbox, file…)."""
    value = f' value="{_string(widget["value"])}"' if widget["value"] is not None else ""
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def _textarea(widget):
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _file(widget):
    """django/forms/widgets/clearable_file_input.html without a file already stored (the
    evidence fields: stored files are listed beside them); else Django's template."""
    return _input({**widget, "value": None})


SELECT_OPTION = "django/forms/widgets/select_option.html"


def _option(option):
    return (
        f'<option value="{_string(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_text(option['label'])}</option>"
    )


def _select(widget):
    """django/forms/widgets/select.html; each option is followed by the newline that ends
    select_option.html."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        parts.extend(f"\n  {_option(option)}\n" for option in options)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _plain_options(widget):
    return all(
        option["template_name"] == SELECT_OPTION
        for _name, options, _index in widget["optgroups"]
        for option in options
    )


_INPUTS = (
    "text",
    "number",
    "email",
    "url",
    "password",
    "hidden",
    "checkbox",
    "file",
    "date",
    "datetime",
    "time",
    "search",
    "tel",
    "color",
)
WRITERS = {f"django/forms/widgets/{name}.html": _input for name in _INPUTS}
WRITERS["django/forms/widgets/input.html"] = _input
WRITERS["django/forms/widgets/textarea.html"] = _textarea
WRITERS["django/forms/widgets/select.html"] = _select
WRITERS["django/forms/widgets/clearable_file_input.html"] = _file


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        write = WRITERS.get(template_name)
        widget = context.get("widget") if write else None
        if (
            widget is None
            or (write is _select and not _plain_options(widget))
            or (write is _file and widget.get("is_initial"))
        ):
            return super().render(template_name, context, request=request)
        return write(widget)
