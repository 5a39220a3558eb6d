"""The admin's Cohorts: a list, a page per cohort, and what a trainer does there.

Every view here shows or changes who is in a cohort, so each needs the
cohort model permission for its action and `courses.view_learner_progress`
(CohortPermissionPolicy); Wagtail's Editors and Moderators hold neither.
"""

import django_filters
from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import formats
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import View
from django.views.generic.edit import BaseFormView
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
)
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import services
from .cohorts import cohort_learners
from .forms import AddLearnersForm, AnnouncementForm, CohortForm
from .locales import originals
from .models import Cohort, CohortAnnouncement, CoursePage, Enrolment
from .permissions import VIEW_LEARNER_PROGRESS


class CohortPermissionPolicy(ModelPermissionPolicy):
    """Cohort permissions, each also needing permission to see learners' progress."""

    @cached_property
    def _progress_policy(self):
        return ModelPermissionPolicy(Enrolment)

    def user_has_permission(self, user, action):
        return user.has_perm(VIEW_LEARNER_PROGRESS) and super().user_has_permission(
            user, action
        )

    def users_with_any_permission(self, actions):
        codename = VIEW_LEARNER_PROGRESS.split(".")[1]
        see_progress = self._progress_policy._get_users_with_any_permission_codenames(
            [codename]
        )
        return super().users_with_any_permission(actions).filter(pk__in=see_progress)


register_permission_policy(Cohort, CohortPermissionPolicy(Cohort))

#: The hook under which apps add a header button to a cohort's page: each
#: function takes the cohort and the user and returns a HeaderButton or None.
COHORT_BUTTONS_HOOK = "register_cohort_buttons"


def _date_or_dash(value) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else "—"


def _join_code_cell(cohort: Cohort) -> str:
    if cohort.is_open:
        return cohort.display_join_code
    return _("%(code)s (closed)") % {"code": cohort.display_join_code}


class CohortFilterSet(WagtailFilterSet):
    course = django_filters.ModelChoiceFilter(
        label=_("Course"),
        # Read per request: the default locale is looked up, not fixed at import.
        queryset=lambda request: originals(CoursePage.objects.order_by("path")),
        empty_label=_("All courses"),
    )
    is_open = django_filters.BooleanFilter(label=_("Open for joining"))

    class Meta:
        model = Cohort
        fields = ["course", "is_open"]


class CohortIndexView(generic.IndexView):
    def get_base_queryset(self):
        # Counted in the query, so the list costs the same however many rows.
        return (
            super()
            .get_base_queryset()
            .select_related("course")
            .annotate(
                learner_count=Count("enrolments"),
                finished_count=Count(
                    "enrolments", filter=Q(enrolments__completed_at__isnull=False)
                ),
            )
        )

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        # The name opens the cohort's page, where its learners are; Edit is
        # in the row's menu.
        return self._get_custom_column(
            field_name,
            self._get_title_column_class(column_class),
            get_url=self.get_inspect_url,
            **kwargs,
        )

    def get_list_more_buttons(self, instance):
        inspect_url = self.get_inspect_url(instance)
        buttons = [
            button
            for button in super().get_list_more_buttons(instance)
            if button.url != inspect_url
        ]
        if self.user_has_permission("change"):
            buttons.append(
                MenuItem(
                    _("Add learners"),
                    url=reverse("cohorts:add_learners", args=[instance.pk]),
                    icon_name="user",
                    priority=15,
                )
            )
        return buttons


class CohortCreateView(generic.CreateView):
    inspect_url_name = None

    def get_success_url(self):
        return reverse(self.inspect_url_name, args=[self.object.pk])


class CohortEditView(generic.EditView):
    inspect_url_name = None

    def get_success_url(self):
        return reverse(self.inspect_url_name, args=[self.object.pk])


class CohortPageView(generic.InspectView):
    """The cohort page: its learners with progress, its code, dates and messages."""

    template_name = "courses/admin/cohort/cohort_page.html"
    page_title = _("Cohort")

    def get_object(self, queryset=None):
        return get_object_or_404(Cohort.objects.select_related("course"), pk=self.pk)

    def get_page_subtitle(self):
        return self.object.name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Cohorts")},
            {"url": "", "label": self.object.name},
        ]

    def get_fields_context(self):
        return []

    @cached_property
    def can_change(self) -> bool:
        return self.user_has_permission("change")

    @cached_property
    def header_buttons(self):
        # Apps above courses add theirs (peers: the cohort's practice circle).
        added = [
            button
            for make_button in hooks.get_hooks(COHORT_BUTTONS_HOOK)
            if (button := make_button(self.object, self.request.user)) is not None
        ]
        if not self.can_change:
            return added
        return [
            HeaderButton(
                _("Add learners"),
                url=reverse("cohorts:add_learners", args=[self.object.pk]),
                icon_name="user",
            ),
            HeaderButton(
                _("Write an announcement"),
                url=reverse("cohorts:announce", args=[self.object.pk]),
                icon_name="mail",
            ),
            *added,
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cohort = self.object
        context.update(
            cohort=cohort,
            course=cohort.course,
            learners=cohort_learners(cohort),
            suggested_dates=list(
                cohort.suggested_dates.select_related("module").order_by("finish_by")
            ),
            announcements=list(
                cohort.announcements.select_related("created_by").annotate(
                    dismissed=Count("dismissals")
                )
            ),
            can_change=self.can_change,
            edit_url=self.get_edit_url(),
        )
        return context


class CohortActionMixin(PermissionCheckedMixin):
    """A change to one cohort: needs `change_cohort` and learner-progress permission."""

    model = Cohort
    permission_required = "change"
    index_url_name = None
    inspect_url_name = None
    header_icon = "group"

    @cached_property
    def cohort(self) -> Cohort:
        # Looked up after the permission check, so a refusal says nothing of ids.
        return get_object_or_404(
            Cohort.objects.select_related("course"), pk=self.kwargs["pk"]
        )

    def cohort_url(self) -> str:
        return reverse(self.inspect_url_name, args=[self.cohort.pk])

    def get_page_subtitle(self):
        return self.cohort.name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Cohorts")},
            {"url": self.cohort_url(), "label": self.cohort.name},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(cohort=self.cohort, cohort_url=self.cohort_url())
        return context


class AddLearnersView(CohortActionMixin, WagtailAdminTemplateMixin, BaseFormView):
    """Add learners by username, pasted or in a CSV file; unknown names come back."""

    form_class = AddLearnersForm
    template_name = "courses/admin/cohort/add_learners.html"
    page_title = _("Add learners")

    def form_valid(self, form):
        result = services.add_learners_to_cohort(
            cohort=self.cohort, usernames=form.cleaned_data["names"]
        )
        if result.unknown or result.elsewhere:
            # Stay on the form with the names still to sort out in it.
            return self.render_to_response(
                self.get_context_data(
                    form=self.form_class(
                        initial={"usernames": "\n".join(result.unknown)}
                    ),
                    result=result,
                )
            )
        for message in _addition_messages(result):
            messages.success(self.request, message)
        return HttpResponseRedirect(self.cohort_url())


def _addition_messages(result: services.CohortAdditions):
    if result.added:
        yield ngettext(
            "Added %(count)d learner: %(names)s.",
            "Added %(count)d learners: %(names)s.",
            len(result.added),
        ) % {"count": len(result.added), "names": ", ".join(result.added)}
    if result.moved_in:
        yield _(
            "Already enrolled in the course, now in this cohort with their "
            "progress: %(names)s."
        ) % {"names": ", ".join(result.moved_in)}
    if result.already_here:
        yield _("Already in this cohort: %(names)s.") % {
            "names": ", ".join(result.already_here)
        }


class RemoveLearnerView(CohortActionMixin, View):
    """Take a learner out of the cohort; they keep their enrolment and progress."""

    http_method_names = ["post"]

    def post(self, request, pk, learner_id):
        if services.remove_from_cohort(cohort=self.cohort, learner_id=learner_id):
            messages.success(
                request,
                _(
                    "The learner has left this cohort. They are still enrolled "
                    "in the course and keep their progress."
                ),
            )
        else:
            messages.info(request, _("That learner was not in this cohort."))
        return HttpResponseRedirect(self.cohort_url())


class JoiningView(CohortActionMixin, View):
    """Close the cohort to new learners with the code, or open it again."""

    http_method_names = ["post"]

    def post(self, request, pk):
        is_open = request.POST.get("open") == "1"
        services.set_joining_open(cohort=self.cohort, is_open=is_open)
        if is_open:
            messages.success(request, _("The join code works again."))
        else:
            messages.success(
                request,
                _(
                    "Joining is closed: the join code lets no one new in. You can "
                    "still add learners by username."
                ),
            )
        return HttpResponseRedirect(self.cohort_url())


class RegenerateJoinCodeView(CohortActionMixin, WagtailAdminTemplateMixin, View):
    """Ask, then give the cohort a new generated code; the old one stops working."""

    template_name = "courses/admin/cohort/regenerate_join_code.html"
    page_title = _("New join code")

    def get(self, request, pk):
        return self.render_to_response(self.get_context_data())

    def post(self, request, pk):
        services.regenerate_join_code(cohort=self.cohort)
        messages.success(
            request,
            _("The new join code is %(code)s. The old code no longer works.")
            % {"code": self.cohort.display_join_code},
        )
        return HttpResponseRedirect(self.cohort_url())


class AnnounceView(CohortActionMixin, WagtailAdminTemplateMixin, BaseFormView):
    """Write a short message that the cohort's learners see on My learning."""

    form_class = AnnouncementForm
    template_name = "courses/admin/cohort/announce.html"
    page_title = _("Write an announcement")

    def form_valid(self, form):
        posted = services.post_announcement(
            cohort=self.cohort, text=form.cleaned_data["text"], author=self.request.user
        )
        messages.success(
            self.request,
            _("Posted. Learners in this cohort see it on My learning."),
        )
        if posted.emailed:
            messages.info(
                self.request,
                ngettext(
                    "%(count)d learner asked for e-mail and gets a short note "
                    "with a link, not the message.",
                    "%(count)d learners asked for e-mail and get a short note "
                    "with a link, not the message.",
                    posted.emailed,
                )
                % {"count": posted.emailed},
            )
        return HttpResponseRedirect(self.cohort_url())


class WithdrawAnnouncementView(CohortActionMixin, View):
    """Take an announcement down from every learner's My learning."""

    http_method_names = ["post"]

    def post(self, request, pk, announcement_id):
        announcement = get_object_or_404(
            CohortAnnouncement, pk=announcement_id, cohort=self.cohort
        )
        services.withdraw_announcement(announcement=announcement)
        messages.success(request, _("The announcement is withdrawn."))
        return HttpResponseRedirect(self.cohort_url())


class CohortViewSet(ModelViewSet):
    model = Cohort
    icon = "group"
    menu_label = _("Cohorts")
    menu_name = "cohorts"
    menu_order = 240
    add_to_admin_menu = True
    index_view_class = CohortIndexView
    add_view_class = CohortCreateView
    edit_view_class = CohortEditView
    inspect_view_class = CohortPageView
    inspect_view_enabled = True
    # A copy would need a new code and no learners: that is "Add a cohort".
    copy_view_enabled = False
    filterset_class = CohortFilterSet
    search_fields = ["name"]
    search_backend_name = None
    list_per_page = 50
    list_display = [
        "name",
        Column("course", label=_("Course"), sort_key="course__title"),
        Column(
            "join_code",
            label=_("Join code"),
            accessor=_join_code_cell,
            sort_key="join_code",
        ),
        Column("learner_count", label=_("Learners"), sort_key="learner_count"),
        Column("finished_count", label=_("Finished"), sort_key="finished_count"),
        Column(
            "starts_on",
            label=_("Starts on"),
            accessor=lambda cohort: _date_or_dash(cohort.starts_on),
            sort_key="starts_on",
        ),
        Column(
            "ends_on",
            label=_("Ends on"),
            accessor=lambda cohort: _date_or_dash(cohort.ends_on),
            sort_key="ends_on",
        ),
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("course"),
            FieldRowPanel(
                [FieldPanel("starts_on"), FieldPanel("ends_on")],
                heading=_("Dates"),
                help_text=_("Optional. Learners do not see these."),
            ),
            MultiFieldPanel(
                [FieldPanel("join_code"), FieldPanel("is_open")],
                heading=_("Joining"),
            ),
            InlinePanel(
                "suggested_dates",
                heading=_("Suggested dates"),
                label=_("Suggested date"),
                help_text=_(
                    "Optional gentle targets, such as “aim to finish module 3 by "
                    "12 May”. Learners in the cohort see them as suggestions, "
                    "never as deadlines."
                ),
                panels=[
                    PageChooserPanel("module", "courses.ModulePage"),
                    FieldPanel("finish_by"),
                ],
            ),
        ],
        base_form_class=CohortForm,
    )

    def get_urlpatterns(self):
        def view(view_class):
            return self.construct_view(view_class)

        return [
            *super().get_urlpatterns(),
            path("<int:pk>/add-learners/", view(AddLearnersView), name="add_learners"),
            path(
                "<int:pk>/remove/<int:learner_id>/",
                view(RemoveLearnerView),
                name="remove_learner",
            ),
            path("<int:pk>/joining/", view(JoiningView), name="joining"),
            path(
                "<int:pk>/join-code/",
                view(RegenerateJoinCodeView),
                name="regenerate_join_code",
            ),
            path("<int:pk>/announce/", view(AnnounceView), name="announce"),
            path(
                "<int:pk>/announcements/<int:announcement_id>/withdraw/",
                view(WithdrawAnnouncementView),
                name="withdraw_announcement",
            ),
        ]
