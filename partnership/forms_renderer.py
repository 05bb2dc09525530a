from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    """Every form renders as GOV.UK Design System form groups, with hints and errors linked."""

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"
