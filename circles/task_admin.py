"""The admin's "Background tasks": what failed on the queue, with its error.

Lists the tasks that failed after their last try, and those waiting to be
tried again, each with its last error; a failed task can be tried again.
Operators only: the list needs the task results' "view" permission and "Try
again" their "change" permission (superusers have both; Settings → Groups can
give them to others). Trainers have neither: an error can carry what a learner
typed. Errors lose e-mail addresses, query strings and certificate codes on the
way (`circles.logs.scrub`), and a task's arguments are shown as plain ids,
linked to nothing.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.contrib.auth import get_permission_codename
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import Truncator, get_text_list
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import ButtonsColumnMixin, Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import register_permission_policy

from .admin_policies import ReadOnlyPermissionPolicy
from .logs import scrub
from .task_retries import is_retried, is_stalled, retried_label, stalled, try_again

# The queue's app is labelled "django_tasks_database", not as its package.
TRY_AGAIN = "{}.{}".format(
    DBTaskResult._meta.app_label,
    get_permission_codename("change", DBTaskResult._meta),
)
ERROR_SUMMARY_LENGTH = 160


class TaskResultPermissionPolicy(ReadOnlyPermissionPolicy):
    """Task results are written by the queue, never added, edited or deleted here.

    "Try again" checks the model's "change" permission itself (`TRY_AGAIN`).
    """


register_permission_policy(DBTaskResult, TaskResultPermissionPolicy(DBTaskResult))


# --- Reads -------------------------------------------------------------------

HAS_AN_ERROR = ~Q(exception_class_path="")
FAILED = Q(status=TaskResultStatus.FAILED)
RETRYING = Q(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]) & (
    HAS_AN_ERROR
)


def tasks_with_errors() -> QuerySet:
    """Tasks that failed after their last try, wait to be tried again, or stalled."""
    return DBTaskResult.objects.filter(FAILED | RETRYING | stalled())


@dataclass(frozen=True)
class QueueCounts:
    waiting: int  # queued, never failed
    running: int
    retrying: int  # failed at least once, waiting for (or in) their next try
    failed: int  # out of tries
    stalled: int  # running for so long that their worker must have gone


def queue_counts() -> QueueCounts:
    """How many tasks are in each state; one query."""
    counts = DBTaskResult.objects.aggregate(
        waiting=Count("pk", filter=Q(status=TaskResultStatus.READY) & ~HAS_AN_ERROR),
        running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING) & ~HAS_AN_ERROR),
        retrying=Count("pk", filter=RETRYING),
        failed=Count("pk", filter=FAILED),
        stalled=Count("pk", filter=stalled()),
    )
    return QueueCounts(**counts)


def counts_in_words(counts: QueueCounts) -> list[tuple[str, int]]:
    return [
        (_("Waiting"), counts.waiting),
        (_("Running"), counts.running),
        (_("Waiting to be tried again"), counts.retrying),
        (_("Failed"), counts.failed),
        (_("Stalled"), counts.stalled),
    ]


def task_label(result: DBTaskResult) -> str:
    """What the task does, in an operator's words; Wagtail's own by function name."""
    label = retried_label(result.task_path)
    return str(label) if label else result.task_name


def tries(result: DBTaskResult) -> int:
    return len(result.worker_ids)


def error_message(result: DBTaskResult) -> str:
    """The error's last line ("RuntimeError: fonts missing"), without personal data."""
    lines = [line for line in result.traceback.splitlines() if line.strip()]
    return scrub(lines[-1]) if lines else result.exception_class_path


def error_summary(result: DBTaskResult) -> str:
    return Truncator(error_message(result)).chars(ERROR_SUMMARY_LENGTH)


def state(result: DBTaskResult) -> str:
    """Where the task stands, in words."""
    if is_stalled(result):
        return _("Running since %(time)s: its worker may have stopped") % {
            "time": _time(result.started_at)
        }
    if result.status == TaskResultStatus.RUNNING:
        return _("Being tried again now")
    if result.status == TaskResultStatus.FAILED:
        return _("Failed")
    if result.run_after > timezone.now():
        return _("Will be tried again at %(time)s") % {"time": _time(result.run_after)}
    return _("Waiting for a worker")


def can_try_again(result: DBTaskResult) -> bool:
    stuck = result.status == TaskResultStatus.FAILED or is_stalled(result)
    return stuck and is_retried(result.task_path)


def retry_policy_text() -> str:
    """The retry pauses, in words: "after 1 minute, 5 minutes and 25 minutes"."""
    start = timezone.now()
    pauses = [
        timesince(start, start + timedelta(seconds=seconds))
        for seconds in settings.TASK_RETRY_DELAYS
    ]
    if not pauses:
        return _("A task that fails is not tried again by itself.")
    return ngettext(
        "A task that fails is tried again once, after %(pauses)s.",
        "A task that fails is tried again %(count)d times, after %(pauses)s.",
        len(pauses),
    ) % {"count": len(pauses), "pauses": get_text_list(pauses, _("and"))}


def _time(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


# --- Views -------------------------------------------------------------------


class TaskColumn(ButtonsColumnMixin, TitleColumn):
    """The task's name, linked to its error, with the row's actions."""

    def __init__(self, *args, get_buttons, **kwargs):
        super().__init__(*args, **kwargs)
        self._get_buttons = get_buttons

    def get_buttons(self, instance, parent_context):
        return self._get_buttons(instance)


class TaskPaginator(WagtailPaginator):
    """Counts rows as "tasks", not as the queue's "Task Results"."""

    verbose_name = gettext_lazy("task")
    verbose_name_plural = gettext_lazy("tasks")


class TaskIndexView(IndexView):
    page_title = gettext_lazy("Background tasks")
    verbose_name = TaskPaginator.verbose_name
    verbose_name_plural = TaskPaginator.verbose_name_plural
    paginator_class = TaskPaginator
    no_results_message = gettext_lazy(
        "No task has failed. Every one finished, or is waiting for its turn."
    )
    default_ordering = "-finished_at"
    try_again_url_name = None

    def get_base_queryset(self):
        return tasks_with_errors()

    @cached_property
    def columns(self):
        return [
            TaskColumn(
                "task",
                label=gettext_lazy("Task"),
                accessor=task_label,
                get_url=self.get_inspect_url,
                get_buttons=self.get_list_buttons,
            ),
            Column("state", label=gettext_lazy("Status"), accessor=state),
            Column("tries", label=gettext_lazy("Tries"), accessor=tries),
            DateColumn(
                "finished_at",
                label=gettext_lazy("Last failed"),
                sort_key="finished_at",
            ),
            Column("error", label=gettext_lazy("Error"), accessor=error_summary),
        ]

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if can_try_again(instance) and self.request.user.has_perm(TRY_AGAIN):
            buttons.append(
                MenuItem(
                    _("Try again"),
                    url=reverse(self.try_again_url_name, args=[quote(instance.pk)]),
                    icon_name="rotate",
                    priority=10,
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            counts=counts_in_words(queue_counts()),
            retry_policy=retry_policy_text(),
            may_try_again=self.request.user.has_perm(TRY_AGAIN),
        )
        return context


class TaskInspectView(InspectView):
    """One task's tries and its last error, traceback included."""

    page_title = gettext_lazy("Task")
    try_again_url_name = None

    def get_page_subtitle(self):
        return task_label(self.object)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Background tasks")},
            {"url": "", "label": task_label(self.object)},
        ]

    def get_fields_context(self):
        return [
            {"label": label, "value": value, "component": None}
            for label, value in self.facts()
        ]

    def facts(self):
        result = self.object
        yield _("Task"), task_label(result)
        needs_attention = result.traceback or is_stalled(result)
        yield _("Status"), state(result) if needs_attention else _("No error")
        yield _("Tries"), tries(result)
        yield _("Queued"), _time(result.enqueued_at)
        if result.finished_at:
            yield _("Last failed"), _time(result.finished_at)
        if is_retried(result.task_path):
            # Ids only, by design of the tasks; linked to nothing.
            yield _("Record ids"), ", ".join(str(a) for a in result.args_kwargs["args"])
        if result.traceback:
            yield _("Error"), error_message(result)
            yield (
                _("Traceback"),
                format_html(
                    '<pre style="white-space: pre-wrap">{}</pre>',
                    scrub(result.traceback),
                ),
            )

    @cached_property
    def header_buttons(self):
        if not (can_try_again(self.object) and self.request.user.has_perm(TRY_AGAIN)):
            return []
        return [
            HeaderButton(
                _("Try again"),
                url=reverse(self.try_again_url_name, args=[quote(self.object.pk)]),
                icon_name="rotate",
            )
        ]


class TryAgainView(WagtailAdminTemplateMixin, TemplateView):
    """Ask, then queue a failed task once more (a POST, so never by a link alone)."""

    template_name = "circles/admin/try_again.html"
    page_title = gettext_lazy("Try again")
    header_icon = "rotate"
    index_url_name = None
    inspect_url_name = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(TRY_AGAIN):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def result(self) -> DBTaskResult:
        return get_object_or_404(DBTaskResult, pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return task_label(self.result)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Background tasks")},
            {"url": self.inspect_url(), "label": task_label(self.result)},
            {"url": "", "label": self.get_page_title()},
        ]

    def inspect_url(self) -> str:
        return reverse(self.inspect_url_name, args=[quote(self.result.pk)])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            result=self.result,
            label=task_label(self.result),
            can_try_again=can_try_again(self.result),
            back_url=self.inspect_url(),
        )
        return context

    def post(self, request, *args, **kwargs):
        if try_again(result_id=self.result.pk):
            messages.success(
                request,
                _("“%(task)s” is queued again. A worker will take it in a moment.")
                % {"task": task_label(self.result)},
            )
        else:
            messages.info(
                request,
                _(
                    "“%(task)s” was not queued twice: it is already queued again, "
                    "running or finished."
                )
                % {"task": task_label(self.result)},
            )
        return redirect(reverse(self.index_url_name))


class BackgroundTaskViewSet(ModelViewSet):
    """Settings → Background tasks: a list, each task's error, and "Try again"."""

    model = DBTaskResult
    icon = "cogs"
    menu_label = gettext_lazy("Background tasks")
    add_to_settings_menu = True
    add_to_reference_index = False  # saving a task must not queue more tasks
    index_view_class = TaskIndexView
    index_template_name = "circles/admin/background_tasks.html"
    inspect_view_class = TaskInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 50

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            try_again_url_name=self.get_url_name("try_again"), **kwargs
        )

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            try_again_url_name=self.get_url_name("try_again"), **kwargs
        )

    @property
    def try_again_view(self):
        return self.construct_view(
            TryAgainView, inspect_url_name=self.get_url_name("inspect")
        )

    def get_urlpatterns(self):
        # No add, edit, copy or delete: the queue writes these rows.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<uuid:pk>/", self.inspect_view, name="inspect"),
            path("<uuid:pk>/try-again/", self.try_again_view, name="try_again"),
        ]

    def get_permissions_to_register(self):
        """Settings → Groups offers "view" (the list) and "change" (Try again)."""
        return Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(DBTaskResult),
            codename__in=["view_dbtaskresult", "change_dbtaskresult"],
        )
