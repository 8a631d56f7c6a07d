"""Template tags every page uses: query strings, the list filter bar, its chips, sortable headers
and which navigation entry the page belongs to."""

from django import forms, template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()

# django-filter's name for the ordering parameter; the headers set it, the filter bar keeps it hidden.
ORDERING = "ordering"
# Parameters of a list that are not filters: a filter change starts again at page one.
NOT_FILTERS = {"page", ORDERING, "page_size", "columns"}


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (keeps filters across pages)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


def _short_query(query) -> str:
    """`query` without empty values, so links stay short (`?kind=x`, not `?search=&kind=x&country=`)."""
    short = query.copy()
    for key in list(short.keys()):
        values = [v for v in short.getlist(key) if v != ""]
        if values:
            short.setlist(key, values)
        else:
            del short[key]
    return short.urlencode()


def _subwidget_names(bound_field) -> list[str]:
    """The parameter names a field reads (a range widget reads `name_after`/`name_before`)."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.MultiWidget):
        return [bound_field.html_name + suffix for suffix in widget.widgets_names]
    return [bound_field.html_name]


def _choice_labels(bound_field) -> dict[str, str]:
    """Value → label for a field's options (groups flattened); empty for a free-text field."""
    field = bound_field.field
    choices = getattr(field, "choices", None)
    if choices is None:
        choices = getattr(field.widget, "choices", None)
    if choices is None or isinstance(field, forms.ModelChoiceField):
        return {}
    labels = {}
    for value, label in choices:
        if isinstance(label, list | tuple):
            labels.update({str(v): str(lbl) for v, lbl in label})
        else:
            labels[str(value)] = str(label)
    return labels


def _model_labels(bound_field, cleaned) -> dict[str, str]:
    """pk → option label for the objects a model-choice filter matched (no query: already cleaned)."""
    field = bound_field.field
    if cleaned is None:
        return {}
    objects = cleaned if isinstance(field, forms.ModelMultipleChoiceField) else [cleaned]
    return {str(obj.pk): str(field.label_from_instance(obj)) for obj in objects}


def _implicit_default(bound_field) -> str | None:
    """The value a single select without an empty option applies when the parameter is absent (its
    first option, e.g. the register's "Active"): not worth a chip, nor a place in the URL."""
    field = bound_field.field
    widget = field.widget
    if not isinstance(widget, forms.Select) or getattr(widget, "allow_multiple_selected", False):
        return None
    if isinstance(field, forms.ModelChoiceField) and field.empty_label is not None:
        return None  # its first option is the empty one (asking the choices would query the objects)
    values = [str(value) for value, _label in getattr(bound_field.field, "choices", [])]
    return values[0] if values and "" not in values else None


def active_filters(form, query) -> list[dict]:
    """One chip per value of a filter in use: its label, and the link that drops just that value."""
    cleaned = getattr(form, "cleaned_data", {}) or {}
    chips = []
    for bound_field in form:
        if bound_field.name in NOT_FILTERS:
            continue
        if isinstance(bound_field.field, forms.ModelChoiceField):
            labels = _model_labels(bound_field, cleaned.get(bound_field.name))
        else:
            labels = _choice_labels(bound_field)
        default = _implicit_default(bound_field)
        for name in _subwidget_names(bound_field):
            for value in query.getlist(name):
                if value in ("", default):
                    continue
                is_yes_no = isinstance(bound_field.field, forms.NullBooleanField)
                if labels or is_yes_no or isinstance(bound_field.field, forms.ChoiceField):
                    text = labels.get(value)
                    if text is None or (is_yes_no and value == "unknown"):
                        continue  # not a valid option (the form says so) or "Any"
                else:
                    text = value
                remaining = query.copy()
                remaining.setlist(name, [v for v in query.getlist(name) if v != value])
                remaining.pop("page", None)
                href = "?" + _short_query(remaining)
                chips.append({"label": bound_field.label, "value": text, "href": href})
    return chips


def _chips_context(form, query) -> dict:
    """The chips, and the link clearing every filter (keeping sorting, page size and columns)."""
    chips = active_filters(form, query)
    cleared = query.copy()
    for bound_field in form:
        if bound_field.name not in NOT_FILTERS:
            for name in _subwidget_names(bound_field):
                cleared.pop(name, None)
    cleared.pop("page", None)
    return {"chips": chips, "clear_href": "?" + _short_query(cleared) if chips else ""}


@register.inclusion_tag("core/filter_bar.html", takes_context=True)
def filter_bar(context, form, form_id="", submit_label=""):
    """The list's filter form, the same on every list.

    The ordering select is not shown (the column headers sort); parameters that are not this form's
    (ordering, page size, chosen columns) ride along as hidden inputs so filtering keeps them. Active
    filters show as chips under the form, each a link that removes it — server-rendered, so they work
    without JavaScript.
    """
    request = context["request"]
    query = request.GET
    field_names = set()
    for bound_field in form:
        field_names.update(_subwidget_names(bound_field))
    fields = [f for f in form.visible_fields() if f.name != ORDERING]
    for bound_field in fields:
        default = _implicit_default(bound_field)
        if default is not None:  # multiselect.js leaves it out of the URL when it is chosen
            bound_field.field.widget.attrs["data-default"] = default
    keep = [
        (key, value)
        for key in query
        if key not in field_names - {ORDERING} and key != "page"
        for value in query.getlist(key)
        if value != ""
    ]
    return {
        "form": form,
        "fields": fields,
        "keep": keep,
        **_chips_context(form, query),
        "form_id": form_id,
        "submit_label": submit_label or _("Filter"),
    }


@register.inclusion_tag("core/filter_chips.html", takes_context=True)
def filter_chips(context, form):
    """Only the chips of the active filters (for a list that lays out its filter form itself)."""
    return _chips_context(form, context["request"].GET)


@register.simple_tag(takes_context=True)
def sort_th(context, label, field, default=""):
    """A column header that sorts the list by `field`: a link toggling ascending/descending, with an
    arrow and `aria-sort` on the header when the list is sorted by it. `default` is the ordering the
    list uses when the URL names none (so its header shows the arrow too)."""
    query = context["request"].GET.copy()
    current = query.get(ORDERING) or default
    if current == field:
        state, arrow, next_ordering = "ascending", " ▲", "-" + field
    elif current == "-" + field:
        state, arrow, next_ordering = "descending", " ▼", field
    else:
        state, arrow, next_ordering = "", "", field
    query[ORDERING] = next_ordering
    query.pop("page", None)
    href = "?" + _short_query(query)
    if state:
        return format_html(
            '<th scope="col" aria-sort="{}"><a href="{}" class="sort sorted">{}'
            '<span aria-hidden="true">{}</span></a></th>',
            state,
            href,
            label,
            arrow,
        )
    return format_html('<th scope="col"><a href="{}" class="sort">{}</a></th>', href, label)


# Which main-navigation entry a page belongs to: (namespace, url-name prefix) → entry; the longest
# matching prefix wins, an empty prefix is the namespace's default. Pages of one AI system (its risk,
# classification, reviews tabs) belong to "AI systems" wherever their app lives.
NAV_SECTIONS = {
    ("", "dashboard"): "overview",
    ("", "activity_"): "activity",
    ("registry", ""): "systems",
    ("registry", "party_"): "parties",
    ("registry", "library_"): "libraries",
    ("registry", "ticket_"): "tickets",
    ("registry", "objection_"): "objections",
    ("risk", ""): "systems",
    ("risk", "obligation"): "obligations",
    ("risk", "matrix"): "obligations",
    ("risk", "fines"): "obligations",
    ("risk", "register_"): "risk",
    ("risk", "review_"): "risk",
    ("risk", "library_"): "obligations",
    ("deadlines", "deadline_"): "deadlines",
    ("documents", ""): "documents",
    ("documents", "system_documents"): "systems",
    ("audit", ""): "audits",
    ("audit", "system_audits"): "systems",
}


@register.simple_tag(takes_context=True)
def nav_section(context):
    """The main-navigation entry of the current page ("" when it belongs to none)."""
    match = getattr(context.get("request"), "resolver_match", None)
    if match is None:
        return ""
    namespace, url_name = match.namespace or "", match.url_name or ""
    best, best_length = "", -1
    for (space, prefix), section in NAV_SECTIONS.items():
        if space == namespace and url_name.startswith(prefix) and len(prefix) > best_length:
            best, best_length = section, len(prefix)
    return best
