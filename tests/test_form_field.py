"""form_field (tracker/templatetags/tracker_tags.py): every form field of the application in
Bootstrap 5's markup, with its label, required mark, errors and help text."""

from decimal import Decimal

from django import forms

from tracker.templatetags.tracker_tags import form_field


class Sample(forms.Form):
    name = forms.CharField(label="Name <b>", max_length=5, help_text="Five letters & no more.")
    figure = forms.DecimalField(
        label="Figure",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "text-end"}),
    )
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")])
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)
    agreed = forms.BooleanField(label="Agreed", required=False)


def test_a_required_field_has_its_label_mark_widget_and_help():
    html = form_field(Sample()["name"])
    assert html.startswith('<div id="div_id_name" class="mb-3">')
    assert (
        '<label for="id_name" class="form-label requiredField">Name &lt;b&gt;'
        '<span class="asteriskField">*</span></label>'
    ) in html
    assert 'class="form-control"' in html and " required" in html
    assert 'aria-describedby="id_name_helptext"' in html
    assert '<div id="id_name_helptext" class="form-text">Five letters &amp; no more.</div>' in html
    assert "invalid" not in html


def test_an_optional_field_keeps_its_own_classes_and_has_no_mark():
    html = form_field(Sample()["figure"])
    assert '<label for="id_figure" class="form-label">Figure</label>' in html
    assert 'class="text-end form-control"' in html
    assert "asteriskField" not in html and "required" not in html


def test_kinds_of_widgets_get_their_bootstrap_class():
    form = Sample()
    assert '<select name="kind" class="form-select"' in form_field(form["kind"])
    assert '<textarea name="notes" cols="40" rows="10" class="form-control"' in form_field(
        form["notes"]
    )
    agreed = form_field(form["agreed"])
    assert agreed == (
        '<div class="mb-3"><div id="div_id_agreed" class="form-check">'
        '<input type="checkbox" name="agreed" class="form-check-input" id="id_agreed">'
        '<label for="id_agreed" class="form-check-label">Agreed</label></div></div>'
    )


def test_errors_are_said_under_the_field_and_tied_to_it():
    form = Sample({"name": "far too long", "figure": "x", "kind": "z"})
    assert not form.is_valid()
    name = form_field(form["name"])
    assert 'class="form-control is-invalid"' in name and 'aria-invalid="true"' in name
    assert 'aria-describedby="id_name_helptext id_name_error"' in name
    assert (
        '<div id="id_name_error" class="invalid-feedback"><p id="error_1_id_name"><strong>'
        "Ensure this value has at most 5 characters (it has 12).</strong></p></div>"
    ) in name
    figure = form_field(form["figure"])
    assert 'value="x"' in figure and "<strong>Enter a number.</strong>" in figure
    assert 'class="form-select is-invalid"' in form_field(form["kind"])


def test_the_error_text_is_escaped():
    form = Sample({"name": "ok", "kind": "a"})
    assert form.is_valid()
    form.add_error("name", "<script>alert(1)</script>")
    html = form_field(form["name"])
    assert "<script>" not in html and "&lt;script&gt;" in html


class Cells(forms.Form):
    cell_1_x = forms.DecimalField(label="Women × <Kayes>", required=False, localize=True)


def test_a_breakdown_cell_is_a_plain_input_named_for_screen_readers():
    from django.utils import translation

    from tracker.templatetags.tracker_tags import breakdown_cell

    with translation.override("fr"):
        html = breakdown_cell(Cells(initial={"cell_1_x": Decimal("12.5")})["cell_1_x"])
    assert html == (
        '<input type="text" inputmode="decimal" class="form-control form-control-sm text-end" '
        'name="cell_1_x" id="id_cell_1_x" value="12,5" aria-label="Women × &lt;Kayes&gt;">'
    )
    empty = breakdown_cell(Cells()["cell_1_x"])
    assert 'value=""' in empty and "is-invalid" not in empty and "disabled" not in empty


def test_a_breakdown_cell_in_error_or_locked():
    from tracker.templatetags.tracker_tags import breakdown_cell

    form = Cells({"cell_1_x": "abc"})
    assert not form.is_valid()
    html = breakdown_cell(form["cell_1_x"])
    assert 'class="form-control form-control-sm text-end is-invalid"' in html
    assert 'value="abc"' in html
    form.fields["cell_1_x"].disabled = True
    assert breakdown_cell(Cells(initial={"cell_1_x": 3})["cell_1_x"]).endswith(
        'value="3" aria-label="Women × &lt;Kayes&gt;">'
    )
    locked = Cells(initial={"cell_1_x": 3})
    locked.fields["cell_1_x"].disabled = True
    assert breakdown_cell(locked["cell_1_x"]).endswith(" disabled>")
