"""Practice circles in the admin: trainers read and moderate each cohort's circle.

Everything here shows what learners wrote, so every view needs
`peers.moderate_circle` and `courses.view_learner_progress`
(CirclePermissionPolicy); Wagtail's Editors and Moderators hold neither.
Every change goes through peers/services.py, which keeps the moderation log.
Private reflections are never read here: they belong to the learner alone.
"""

from datetime import date, timedelta

import django_filters
from django.conf import settings
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, re_path, reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import FormView, TemplateView, View
from wagtail.admin import messages
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, Table, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import (
    BaseListingView,
    WagtailAdminTemplateMixin,
)
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from courses.locales import originals
from courses.models import CoursePage

from . import selectors, services
from .forms_admin import CircleSettingsForm, HideForm, PairForm, RemoveMemberForm
from .models import (
    Circle,
    Contribution,
    Member,
    ModerationEvent,
    Post,
    Reply,
)
from .permissions import MODERATE_CIRCLE, CirclePermissionPolicy
from .retention import expected_deletion
from .selectors import (
    POSTS,
    REPLIES,
    Item,
    circle_log,
    circle_members,
    course_steps,
    hidden_items,
    moderation_queue,
    pair_rows,
    shared_posts,
    with_needs_a_look,
)

POSTS_PER_PAGE = 20
RECENT_LOG_LINES = 5

WAITING = Contribution.Status.WAITING
PUBLISHED = Contribution.Status.PUBLISHED
HIDDEN = Contribution.Status.HIDDEN


def closed_circle_days() -> int:
    return settings.PEERS_CLOSED_CIRCLE_DAYS


def deletion_date(circle: Circle) -> date | None:
    """The day a closed circle is deleted; None while it is open."""
    due = expected_deletion(circle)
    return timezone.localdate(due) if due else None


# Cells


def moderation_label(circle: Circle) -> str:
    if circle.premoderated:
        return _("Before publishing: posts wait for a trainer")
    return _("After publishing: posts appear at once")


def open_label(circle: Circle) -> str:
    if circle.is_closed:
        return pgettext_lazy("practice circle", "Closed")
    return pgettext_lazy("practice circle", "Open")


def actor_name(event: ModerationEvent) -> str:
    if event.actor is None:
        return "—"
    return event.actor.get_full_name() or event.actor.get_username()


def member_name(event: ModerationEvent) -> str:
    return event.member.circle_name if event.member else ""


LOG_COLUMNS = [
    DateColumn("created_at", label=_("When")),
    Column("actor", label=_("Who"), accessor=actor_name),
    Column("action", label=_("What"), accessor="get_action_display"),
    Column("subject", label=_("About")),
    Column("member", label=_("Member"), accessor=member_name),
    Column("note", label=_("Note")),
]


# The list of circles


class CircleFilterSet(WagtailFilterSet):
    needs_a_look = django_filters.BooleanFilter(
        label=_("Needs a look"), method="filter_needs_a_look"
    )
    is_open = django_filters.BooleanFilter(
        label=pgettext_lazy("practice circle", "Open"),
        field_name="closed_at",
        lookup_expr="isnull",
    )
    course = django_filters.ModelChoiceFilter(
        label=_("Course"),
        field_name="cohort__course",
        # Read per request: the default locale is looked up, not fixed at import.
        queryset=lambda request: originals(CoursePage.objects.order_by("path")),
        empty_label=_("All courses"),
    )

    class Meta:
        model = Circle
        fields = ["needs_a_look", "is_open", "course"]

    def filter_needs_a_look(self, queryset, name, value):
        if value:
            return queryset.filter(needs_a_look__gt=0)
        return queryset.filter(needs_a_look=0)


class CircleIndexView(generic.IndexView):
    """Every cohort's circle; those with something waiting come first."""

    any_permission_required = ["moderate"]
    default_ordering = "-needs_a_look"

    def get_base_queryset(self):
        return with_needs_a_look(
            super().get_base_queryset().select_related("cohort__course")
        )

    def order_queryset(self, queryset):
        ordered = super().order_queryset(queryset)
        return ordered.order_by(*ordered.query.order_by, "cohort__name", "pk")

    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        return [
            title_column(
                "cohort",
                label=_("Cohort"),
                accessor="cohort.name",
                sort_key="cohort__name",
                get_url=self.get_inspect_url,
            ),
            Column(
                "course",
                label=_("Course"),
                accessor="cohort.course.title",
                sort_key="cohort__course__title",
            ),
            Column(
                "moderation",
                label=_("Moderation"),
                accessor=moderation_label,
                sort_key="moderation",
            ),
            Column(
                "open",
                label=pgettext_lazy("practice circle", "Open"),
                accessor=open_label,
                sort_key="closed_at",
            ),
            Column(
                "needs_a_look",
                label=_("Needs a look"),
                sort_key="needs_a_look",
            ),
        ]

    def get_list_more_buttons(self, instance):
        return [
            MenuItem(
                _("Settings"),
                url=reverse("circles:settings", args=[instance.pk]),
                icon_name="cog",
                priority=10,
            ),
            MenuItem(
                _("Moderation log"),
                url=reverse("circles:log", args=[instance.pk]),
                icon_name="history",
                priority=20,
            ),
        ]


# One circle


class CircleViewMixin(PermissionCheckedMixin):
    """A page about one circle: needs permission to moderate circles."""

    model = Circle
    permission_required = "moderate"
    index_url_name = None
    header_icon = "group"

    @cached_property
    def circle(self) -> Circle:
        # Looked up after the permission check, so a refusal says nothing of ids.
        return get_object_or_404(
            Circle.objects.select_related("cohort__course"), pk=self.kwargs["pk"]
        )

    def circle_url(self, section: str = "") -> str:
        url = reverse("circles:inspect", args=[self.circle.pk])
        return f"{url}#{section}" if section else url

    def get_page_subtitle(self):
        return self.circle.cohort.name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Practice circles")},
            {"url": self.circle_url(), "label": self.circle.cohort.name},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            circle=self.circle,
            cohort=self.circle.cohort,
            course=self.circle.cohort.course,
            circle_url=self.circle_url(),
        )
        return context


class ModerationView(CircleViewMixin, WagtailAdminTemplateMixin, TemplateView):
    """A circle's page: what needs a look, its posts, members, pairs, settings, log."""

    template_name = "peers/admin/circle.html"
    page_title = _("Practice circle")

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Practice circles")},
            {
                "url": "",
                "label": self.get_page_title(),
                "sublabel": self.circle.cohort.name,
            },
        ]

    @cached_property
    def header_buttons(self):
        pk = self.circle.pk
        buttons = [
            HeaderButton(
                _("Settings"),
                url=reverse("circles:settings", args=[pk]),
                icon_name="cog",
                priority=10,
            ),
            HeaderButton(
                _("Moderation log"),
                url=reverse("circles:log", args=[pk]),
                icon_name="history",
                priority=40,
            ),
        ]
        if self.circle.is_closed:
            buttons.append(
                HeaderButton(
                    _("Reopen the circle"),
                    url=reverse("circles:reopen", args=[pk]),
                    icon_name="lock-open",
                    priority=30,
                )
            )
        else:
            buttons += [
                HeaderButton(
                    _("Make a practice pair"),
                    url=reverse("circles:new_pair", args=[pk]),
                    icon_name="group",
                    priority=20,
                ),
                HeaderButton(
                    _("Close the circle"),
                    url=reverse("circles:close", args=[pk]),
                    icon_name="lock",
                    priority=30,
                ),
            ]
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        circle = self.circle
        posts = WagtailPaginator(shared_posts(circle), POSTS_PER_PAGE).get_page(
            self.request.GET.get("p")
        )
        context.update(
            queue=moderation_queue(circle),
            hidden=hidden_items(circle),
            posts=posts,
            shared=[
                (Item(post, POSTS), [Item(r, REPLIES) for r in post.shared_replies])
                for post in posts
            ],
            elided_page_range=posts.paginator.get_elided_page_range(posts.number),
            members=list(circle_members(circle)),
            pairs=pair_rows(circle),
            recent_log=Table(LOG_COLUMNS, list(circle_log(circle)[:RECENT_LOG_LINES])),
            deletion_date=deletion_date(circle),
            closed_circle_days=closed_circle_days(),
            hosts=circle.host_list(),
        )
        return context


class ContributionMixin(CircleViewMixin):
    """An action on one post or reply of the circle; any other id answers 404."""

    @cached_property
    def contribution(self) -> Post | Reply:
        if self.kwargs["kind"] == POSTS:
            found = Post.objects.filter(circle=self.circle).select_related(
                "author", "circle"
            )
        else:
            found = Reply.objects.filter(post__circle=self.circle).select_related(
                "author", "post__circle", "post__author"
            )
        return get_object_or_404(found, pk=self.kwargs["item_id"])

    @cached_property
    def item(self) -> Item:
        return Item(self.contribution, self.kwargs["kind"])


class ApproveView(ContributionMixin, View):
    """Share a waiting post or reply with the circle, or show a hidden one again."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        contribution = self.contribution
        if contribution.is_published:
            messages.info(request, _("This is already shared with the circle."))
            return redirect(self.circle_url("needs-a-look"))
        was_hidden = contribution.status == HIDDEN
        services.approve(contribution=contribution, trainer=request.user)
        if was_hidden:
            messages.success(
                request,
                _("Shown again: the circle can read it, and your note is gone."),
            )
        else:
            messages.success(request, _("Approved: the circle can read it now."))
        return redirect(self.circle_url("needs-a-look"))


class ClearReportsView(ContributionMixin, View):
    """Leave a reported post or reply as it is and mark its reports as looked at."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        contribution = self.contribution
        if not contribution.reports.filter(resolved_at__isnull=True).exists():
            messages.info(request, _("There were no reports left to clear."))
        else:
            services.clear_reports(contribution=contribution, trainer=request.user)
            messages.success(
                request, _("Reports cleared. It stays in the circle as it is.")
            )
        return redirect(self.circle_url("needs-a-look"))


class HideView(ContributionMixin, WagtailAdminTemplateMixin, FormView):
    """Take a post or reply out of the circle, with a private note to its author."""

    template_name = "peers/admin/hide.html"
    form_class = HideForm

    def get_page_title(self):
        return _("Hide a reply") if self.item.is_reply else _("Hide a post")

    def form_valid(self, form):
        contribution = self.contribution
        if contribution.status == HIDDEN:
            messages.info(self.request, _("This was already hidden."))
            return redirect(self.circle_url("hidden"))
        try:
            services.hide(
                contribution=contribution,
                trainer=self.request.user,
                note=form.cleaned_data["note"],
            )
        except services.CircleRefusal as refusal:
            form.add_error("note", refusal.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "Hidden. Its author sees your note beside it; no one else sees "
                "it or the note."
            ),
        )
        return redirect(self.circle_url("hidden"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["item"] = self.item
        return context


class MemberMixin(CircleViewMixin):
    @cached_property
    def member(self) -> Member:
        member = get_object_or_404(
            Member.objects.select_related("learner"),
            circle=self.circle,
            pk=self.kwargs["member_id"],
        )
        member.circle = self.circle
        return member


class RemoveMemberView(MemberMixin, WagtailAdminTemplateMixin, FormView):
    """Ask, then take a member out of the circle, with an optional note for the log."""

    template_name = "peers/admin/remove_member.html"
    form_class = RemoveMemberForm
    page_title = _("Remove from the circle")

    def form_valid(self, form):
        name = self.member.circle_name
        if self.member.is_removed:
            messages.info(
                self.request,
                _("%(name)s was already out of the circle.") % {"name": name},
            )
        else:
            services.remove_member(
                member=self.member,
                trainer=self.request.user,
                note=form.cleaned_data["note"],
            )
            messages.success(
                self.request,
                _(
                    "%(name)s is out of the circle: they can no longer read it or "
                    "write in it."
                )
                % {"name": name},
            )
        return redirect(self.circle_url("members"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["member"] = self.member
        return context


class ReturnMemberView(MemberMixin, View):
    """Let a removed member back into the circle."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        name = self.member.circle_name
        if not self.member.is_removed:
            messages.info(
                request, _("%(name)s is already in the circle.") % {"name": name}
            )
        else:
            services.return_member(member=self.member, trainer=request.user)
            messages.success(
                request, _("%(name)s is back in the circle.") % {"name": name}
            )
        return redirect(self.circle_url("members"))


class SettingsView(CircleViewMixin, WagtailAdminTemplateMixin, FormView):
    """How posts are moderated, whether members may pair, which sites they link to."""

    template_name = "peers/admin/settings.html"
    page_title = _("Circle settings")

    def get_form(self, form_class=None):
        data = self.request.POST if self.request.method == "POST" else None
        return CircleSettingsForm.for_circle(self.circle, data)

    def form_valid(self, form):
        try:
            changed = services.change_settings(
                circle=self.circle, trainer=self.request.user, **form.cleaned_data
            )
        except services.CircleRefusal as refusal:
            form.add_error("moderation", refusal.message)
            return self.form_invalid(form)
        if changed:
            messages.success(self.request, _("Settings saved."))
        else:
            messages.info(self.request, _("Nothing changed."))
        return redirect(self.circle_url())


class ClosingView(CircleViewMixin, WagtailAdminTemplateMixin, TemplateView):
    """Ask, then close the circle or open it again."""

    template_name = "peers/admin/closing.html"
    closing = True

    def get_page_title(self):
        return _("Close the circle") if self.closing else _("Reopen the circle")

    def post(self, request, *args, **kwargs):
        circle = self.circle
        if circle.is_closed == self.closing:
            if self.closing:
                messages.info(request, _("The circle was already closed."))
            else:
                messages.info(request, _("The circle was already open."))
        elif self.closing:
            services.close_circle(circle=circle, trainer=request.user)
            messages.success(
                request,
                _(
                    "The circle is closed. Members can still read it and withdraw "
                    "what they wrote. It will be deleted on %(date)s."
                )
                % {"date": formats.date_format(deletion_date(circle), "DATE_FORMAT")},
            )
        else:
            services.reopen_circle(circle=circle, trainer=request.user)
            messages.success(
                request, _("The circle is open again. Members can share and reply.")
            )
        return redirect(self.circle_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        days = closed_circle_days()
        context.update(
            closing=self.closing,
            days=days,
            deleted_on=timezone.localdate() + timedelta(days=days),
        )
        return context


class NewPairView(CircleViewMixin, WagtailAdminTemplateMixin, FormView):
    """Pair two members of the circle to practise a scenario."""

    template_name = "peers/admin/new_pair.html"
    page_title = _("Make a practice pair")

    def get_form(self, form_class=None):
        data = self.request.POST if self.request.method == "POST" else None
        return PairForm(
            data,
            members=selectors.active_members(self.circle),
            steps=course_steps(self.circle.cohort.course),
        )

    def form_valid(self, form):
        first, second = form.cleaned_data["first"], form.cleaned_data["second"]
        try:
            services.make_pair(
                circle=self.circle,
                first=first,
                second=second,
                scenario=form.cleaned_data["scenario"],
                scenario_page=form.cleaned_data["scenario_page"],
                trainer=self.request.user,
            )
        except services.CircleRefusal as refusal:
            form.add_error(None, refusal.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "%(first)s and %(second)s are a practice pair. Each of them finds "
                "it in the circle."
            )
            % {"first": first.circle_name, "second": second.circle_name},
        )
        return redirect(self.circle_url("pairs"))


class CircleLogView(CircleViewMixin, BaseListingView):
    """Every moderation action in the circle, newest first. Nothing here changes it."""

    page_title = _("Moderation log")
    columns = LOG_COLUMNS
    paginate_by = 50
    verbose_name_plural = _("moderation actions")

    def get_base_queryset(self):
        return circle_log(self.circle)

    def get_index_url(self):
        return reverse("circles:log", args=[self.circle.pk])


class CircleURLFinder(ModelAdminURLFinder):
    """A circle's admin address is its moderation page; circles have no edit form."""

    edit_url_name = "circles:inspect"

    def get_edit_url(self, instance):
        policy = CirclePermissionPolicy(Circle)
        if self.user and not policy.user_has_permission(self.user, "moderate"):
            return None
        return self.construct_edit_url(instance)


class CircleViewSet(ModelViewSet):
    """The admin's Practice circles: a list, a page per circle, and its actions."""

    model = Circle
    icon = "group"
    menu_label = _("Practice circles")
    menu_name = "circles"
    menu_order = 245
    add_to_admin_menu = True
    # Circles are made with their cohorts: no add, edit, copy or delete views.
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = CircleIndexView
    filterset_class = CircleFilterSet
    search_fields = ["cohort__name"]
    search_backend_name = None
    list_per_page = 50
    url_finder_class = CircleURLFinder

    def get_permissions_to_register(self):
        return (
            super()
            .get_permissions_to_register()
            .filter(codename=MODERATE_CIRCLE.split(".")[1])
        )

    def get_urlpatterns(self):
        view = self.construct_view
        item = r"^(?P<pk>\d+)/(?P<kind>posts|replies)/(?P<item_id>\d+)/"
        member = "<int:pk>/members/<int:member_id>/"
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", view(ModerationView), name="inspect"),
            re_path(item + "approve/$", view(ApproveView), name="approve"),
            re_path(item + "hide/$", view(HideView), name="hide"),
            re_path(
                item + "clear-reports/$", view(ClearReportsView), name="clear_reports"
            ),
            path(member + "remove/", view(RemoveMemberView), name="remove_member"),
            path(member + "return/", view(ReturnMemberView), name="return_member"),
            path("<int:pk>/settings/", view(SettingsView), name="settings"),
            path("<int:pk>/close/", view(ClosingView, closing=True), name="close"),
            path("<int:pk>/reopen/", view(ClosingView, closing=False), name="reopen"),
            path("<int:pk>/pairs/new/", view(NewPairView), name="new_pair"),
            path("<int:pk>/log/", view(CircleLogView), name="log"),
        ]
