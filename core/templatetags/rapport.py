from django import template

register = template.Library()


@register.filter
def bootstrap_widget(field):
    """Render a bound field's widget with Bootstrap's class and ARIA error hints."""
    widget = field.field.widget
    input_type = getattr(widget, "input_type", None)  # a Textarea has none
    if input_type in ("checkbox", "radio"):
        css = "form-check-input"
    elif input_type == "select":
        css = "form-select"
    else:
        css = "form-control"
    classes = " ".join(filter(None, [css, widget.attrs.get("class", ""), "is-invalid" if field.errors else ""]))
    attrs = {"class": classes}
    if field.errors:
        attrs.update({"aria-invalid": "true", "aria-describedby": f"{field.id_for_label}-errors"})
    return field.as_widget(attrs=attrs)
