"""The dashboard's filters and sorts: one FilterSet, used by the page and by exports."""

import re
from datetime import timedelta

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Case as SqlCase
from django.db.models import F, IntegerField, Q, Value, When
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django_countries import countries

from .caching import cached
from .choices import Language
from .models import Case, Client, Priority, Stage
from .names import name_query_words
from .queue import ENDED, SECTIONS, awaiting_documents_q, open_case_q, section_q
from .timezones import today

YES_NO = [("yes", "Yes"), ("no", "No")]
REFERENCE = re.compile(r"[A-Za-z]{2}-\d{4}-\d{6}")
# A name has a handful of words; more in the box are not a name, and each costs a lookup.
MAX_NAME_WORDS = 8
# Ten years ahead is further than any deadline the firm tracks; more is a typo or a probe.
MAX_DEADLINE_DAYS = 3650


class LongSelect(forms.Select):
    """A select of many plain options (the firm's attorneys: a large firm has thousands),
    the options joined in one pass rather than a template rendered per option: at 2,000
    attorneys that was 26 ms a select, and the dashboard has two (the filter, the bulk form).
    No option groups; the HTML is Django's own select's."""

    template_name = "cases/widgets/long_select.html"

    def get_context(self, name, value, attrs):
        context = forms.Widget.get_context(self, name, value, attrs)  # no optgroups
        chosen = set(context["widget"]["value"])  # format_value: the values, as strings
        # escape() per value and label: format_html per option took as long again.
        context["widget"]["options"] = mark_safe("\n".join(
            f'<option value="{escape(value)}"{" selected" if str(value) in chosen else ""}>'
            f"{escape(label)}</option>"
            for value, label in self.choices
        ))  # fmt: skip
        return context


def attorney_choices():
    users = get_user_model().objects.filter(groups__name="attorneys", is_active=True)
    rows = users.order_by("username").values_list("pk", "first_name", "last_name", "username")
    # The name as User.get_full_name() gives it, without a model instance per attorney.
    return [("mine", "Mine"), ("unassigned", "Unassigned")] + [
        (str(pk), f"{first} {last}".strip() or username) for pk, first, last, username in rows
    ]


def nationality_choices():
    """The nationalities the firm's clients have (a few dozen, not every country); cached."""

    def present():
        codes = Client.objects.order_by().values_list("nationality", flat=True).distinct()
        return sorted(((code, countries.name(code)) for code in codes if code),
                      key=lambda choice: choice[1])  # fmt: skip

    return cached("nationalities-present", present, seconds=300)


class DaysFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class DateRangeWidget(django_filters.widgets.DateRangeWidget):
    """Two date inputs, created_after and created_before (the names exports and
    export_cases take), each with its own visible label (one label for two inputs leaves
    the second unnamed to a screen reader)."""

    template_name = "cases/widgets/date_range.html"

    def __init__(self, labels, attrs=None):
        super().__init__(attrs=attrs)
        self.labels = labels

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, label in zip(context["widget"]["subwidgets"], self.labels, strict=True):
            subwidget["label"] = label
        return context


class CaseOrdering(django_filters.OrderingFilter):
    """The column sorts; stage in the order a case moves through them, not alphabetical."""

    def filter(self, qs, value):
        if value and value[0].lstrip("-") == "stage":
            rank = SqlCase(
                *[When(stage=stage, then=Value(i)) for i, stage in enumerate(Stage.values)],
                output_field=IntegerField(),
            )
            by_rank = F("stage_rank").desc() if value[0].startswith("-") else F("stage_rank")
            # Within a stage, the dashboard's usual order (and a stable one across pages).
            return qs.alias(stage_rank=rank).order_by(
                by_rank, "priority", F("next_deadline_date").asc(nulls_last=True), "-pk"
            )
        return super().filter(qs, value)


class CaseFilter(django_filters.FilterSet):
    # Longer than any name, e-mail or phone number; a page of text is a paste or a probe.
    q = django_filters.CharFilter(method="search", label="Search", max_length=200)
    # distinct=False: no multi-valued join here, and DISTINCT would defeat the indexes.
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, distinct=False)
    priority = django_filters.MultipleChoiceFilter(
        choices=Priority.choices, label="Triage level", distinct=False
    )
    attorney = django_filters.ChoiceFilter(
        choices=attorney_choices, method="by_attorney", label="Attorney", empty_label="Anyone",
        widget=LongSelect,
    )
    nationality = django_filters.ChoiceFilter(
        field_name="client__nationality", choices=nationality_choices, label="Nationality"
    )
    language = django_filters.ChoiceFilter(
        field_name="client__preferred_language", choices=Language.choices, label="Language"
    )
    detained = django_filters.ChoiceFilter(
        choices=YES_NO, method="yes_no", label="Detained", field_name="client__detained"
    )
    in_proceedings = django_filters.ChoiceFilter(
        choices=YES_NO, method="yes_no", label="In proceedings",
        field_name="client__in_removal_proceedings",
    )  # fmt: skip
    deadline_within = DaysFilter(
        method="by_deadline", label="Next deadline within (days)", min_value=0,
        max_value=MAX_DEADLINE_DAYS,
    )  # fmt: skip
    overdue = django_filters.BooleanFilter(
        method="by_overdue", label="Overdue deadline", widget=forms.CheckboxInput
    )
    queue = django_filters.ChoiceFilter(
        choices=SECTIONS, method="by_queue", label="Queue section", empty_label="Any"
    )
    awaiting_documents = django_filters.BooleanFilter(
        method="by_awaiting_documents", label="Awaiting documents (retained or preparing, "
        "nothing uploaded)", widget=forms.CheckboxInput,
    )  # fmt: skip
    include_ended = django_filters.BooleanFilter(
        method="keep", label="Include closed, declined and merged cases",
        widget=forms.CheckboxInput,
    )  # fmt: skip
    created = django_filters.DateFromToRangeFilter(
        field_name="created_at__date", label="Created",
        widget=DateRangeWidget(["Created from", "Created to"], attrs={"type": "date"}),
    )  # fmt: skip
    o = CaseOrdering(
        fields=(
            ("reference", "reference"),
            ("client__family_name", "name"),
            ("client__nationality", "nationality"),
            ("client__preferred_language", "language"),
            ("stage", "stage"),
            ("priority", "priority"),
            ("assigned_attorney__username", "attorney"),
            ("next_deadline_date", "deadline"),
            ("created_at", "created"),
        ),
        label="Sort",
    )

    class Meta:
        model = Case
        fields = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_styled", False):
            # Bootstrap classes on the widgets themselves: plain rendering, no template packs.
            for field in form.fields.values():
                widgets = getattr(field.widget, "widgets", [field.widget])
                for widget in widgets:
                    css = "form-check-input" if isinstance(widget, forms.CheckboxInput) else (
                        "form-select" if isinstance(widget, forms.Select) else "form-control"
                    )
                    widget.attrs.setdefault("class", css)
            form._styled = True
        return form

    def search(self, queryset, name, value):
        """One box: a reference, an e-mail, a phone number, or a name in any script."""
        value = value.strip()
        if not value:
            return queryset
        if "@" in value:
            clients = Q(email__iexact=value)
        elif REFERENCE.fullmatch(value):
            return queryset.filter(reference=value.upper())
        elif not re.search(r"[^\d\s()+\-.]", value):
            digits = re.sub(r"\D", "", value)
            by_number = Q(reference__endswith=digits.zfill(6)) if len(digits) <= 6 else Q()
            clients = Q(phone__contains=digits) if len(digits) >= 6 else Q(pk__in=[])
            return queryset.filter(
                by_number | Q(client_id__in=Client.objects.filter(clients).values("pk"))
            )
        else:
            clients = self.name_words(value)
        return queryset.filter(client_id__in=Client.objects.filter(clients).values("pk"))

    @classmethod
    def name_words(cls, value: str) -> Q:
        """Every word of the query is one of the client's names, in any order, commas
        ignored ('Politov, Alexei' finds Alexey Politov): the word folded across
        transliterations starts one of their folded words, or (PostgreSQL) the word as
        typed is a near miss of one ('Politvo'). Only conditions a trigram index answers,
        so PostgreSQL combines the indexes."""
        words = name_query_words(value)[:MAX_NAME_WORDS]
        if not words:
            return Q(pk__in=[])
        every = Q()
        for key, token in words:
            every &= Q(name_fold__contains=token) | cls.similar_names(key)
        return every

    @staticmethod
    def similar_names(key: str) -> Q:
        """Spellings that differ ('dmitry' / 'dmitriy'), via pg_trgm word similarity."""
        if connection.vendor != "postgresql" or len(key) < 3:
            return Q(pk__in=[])
        return Q(name_key_latin__trigram_word_similar=key) | Q(
            name_key_native__trigram_word_similar=key
        )

    def filter_queryset(self, queryset):
        """Ended and merged cases only when asked for: by naming a closed or declined stage,
        or with "Include closed, declined and merged"."""
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if data.get("include_ended"):
            return queryset
        if set(data.get("stage") or []) & set(ENDED):
            return queryset.filter(merged_into__isnull=True)
        return queryset.filter(open_case_q())

    def keep(self, queryset, name, value):
        return queryset  # read by filter_queryset

    def by_attorney(self, queryset, name, value):
        if value == "mine":
            # The user's cases: as their attorney or as their paralegal.
            if self.user is None or not self.user.is_authenticated:
                return queryset.none()
            mine = Q(assigned_attorney=self.user) | Q(assigned_paralegal=self.user)
            return queryset.filter(mine)
        if value == "unassigned":
            return queryset.filter(assigned_attorney__isnull=True)
        return queryset.filter(assigned_attorney_id=value)

    def yes_no(self, queryset, name, value):
        return queryset.filter(**{name: value == "yes"})

    def by_deadline(self, queryset, name, value):
        """From today to today + N: an overdue deadline is not "within" N days (see Overdue)."""
        start = today()
        return queryset.filter(next_deadline_date__range=(start, start + timedelta(days=value)))

    def by_queue(self, queryset, name, value):
        return queryset.filter(section_q(value, today()))

    def by_awaiting_documents(self, queryset, name, value):
        return queryset.filter(awaiting_documents_q()) if value else queryset

    def by_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(next_deadline_date__lt=today())


def filter_params() -> list[str]:
    """The URL parameters the filter set reads, in its order: a date range is two
    (created_after, created_before). The export and export_cases take exactly these, so a
    filter added here is a filter of every export."""
    names = []
    for name, case_filter in CaseFilter.base_filters.items():
        suffixes = getattr(case_filter.field.widget, "suffixes", None)
        names += [f"{name}_{suffix}" for suffix in suffixes] if suffixes else [name]
    return names
