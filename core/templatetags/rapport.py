from django import template

register = template.Library()


@register.filter
def bootstrap_widget(field):
    """Render a bound field's widget with Bootstrap's class and ARIA error hints."""
    widget = field.field.widget
    css = "form-select" if widget.input_type == "select" else "form-control"
    if getattr(widget, "input_type", None) in ("checkbox", "radio"):
        css = "form-check-input"
    attrs = {"class": f"{css} is-invalid" if field.errors else css}
    if field.errors:
        attrs.update({"aria-invalid": "true", "aria-describedby": f"{field.id_for_label}-errors"})
    return field.as_widget(attrs=attrs)
