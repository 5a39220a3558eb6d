"""Cohorts as a trainer runs them: join codes, the list, the cohort page, members."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from courses import join_code_limits
from courses.join_codes import (
    ALPHABET,
    InvalidJoinCode,
    check_join_code,
    format_join_code,
    generate_join_code,
    normalize_join_code,
)
from courses.models import Cohort, CoursePage, Enrolment, LessonPage, StepCompletion
from courses.services import complete_step, enrol
from tests.factories import CourseFactory, LessonFactory, UserFactory
from tests.queries import count_queries


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def text_of(response) -> str:
    return " ".join(soup(response).get_text(" ").split())


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    return client


@pytest.fixture
def cohort_course(course):
    course.enrolment_policy = CoursePage.Enrolment.COHORT
    course.save_revision().publish()
    return CoursePage.objects.get(pk=course.pk)


@pytest.fixture
def cohort(cohort_course):
    return Cohort.objects.create(
        course=cohort_course, name="Spring group", join_code="LISTEN24"
    )


def cohort_page(cohort):
    return reverse("cohorts:inspect", args=[cohort.pk])


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def learners(*names):
    return [UserFactory(username=name) for name in names]


# --- Join codes --------------------------------------------------------------


def test_a_generated_code_is_eight_unambiguous_characters_shown_in_two_groups():
    codes = {generate_join_code() for _ in range(50)}
    assert len(codes) == 50
    for code in codes:
        assert len(code) == 8
        assert set(code) <= set(ALPHABET)
        assert not set(code) & set("01ILOU")
    assert format_join_code("ABCDEFGH") == "ABCD-EFGH"


def test_case_spaces_and_dashes_do_not_make_a_different_code():
    assert normalize_join_code("listen-24") == "LISTEN24"
    assert normalize_join_code(" Listen 24 ") == "LISTEN24"
    assert normalize_join_code("LISTEN\u201324") == "LISTEN24"
    # A non-ASCII letter is not quietly turned into an ASCII one.
    assert normalize_join_code("lıʂten24") != "LISTEN24"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "A join code has 8 to 20 letters and digits"),
        ("x" * 21, "this one has 21"),
        ("café-2024", "Use only the letters A to Z and digits"),
        ("listen_24!", "not “!_”"),
    ],
)
def test_a_typed_code_is_held_to_the_rules_in_its_help_text(typed, message):
    with pytest.raises(InvalidJoinCode) as refused:
        check_join_code(typed)
    assert message in str(refused.value.message)


def test_a_learner_may_type_listen_24_for_the_code_listen24(
    learner_client, learner, cohort
):
    response = learner_client.post(
        f"{cohort.course.url}enrol/", {"join_code": "listen-24"}
    )
    assert response.status_code == 302
    assert learner.enrolments.get().cohort == cohort


def test_a_code_typed_by_the_trainer_as_listen_24_takes_learners_typing_listen24(
    learner_client, learner, cohort_course
):
    Cohort.objects.create(course=cohort_course, name="Autumn", join_code="listen-24")
    response = learner_client.post(
        f"{cohort_course.url}enrol/", {"join_code": "LISTEN24"}
    )
    assert response.status_code == 302
    assert learner.enrolments.get().cohort.name == "Autumn"


def test_a_wrong_code_says_so_beside_the_field_and_keeps_what_was_typed(
    learner_client, cohort
):
    response = learner_client.post(
        f"{cohort.course.url}enrol/", {"join_code": "listen-25"}
    )
    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    field = page.find("input", id="id_join_code")
    assert field["value"] == "listen-25"
    assert field["aria-invalid"] == "true"
    assert "That join code does not work for this course." in page.find(
        id="join-code-error"
    ).get_text(" ")


# --- Rate limits ---------------------------------------------------------------


def try_code(client, course, code, address="203.0.113.7"):
    return client.post(f"{course.url}enrol/", {"join_code": code}, REMOTE_ADDR=address)


def test_wrong_codes_from_one_address_pause_every_account_there(
    client, cohort, monkeypatch
):
    monkeypatch.setitem(
        join_code_limits.JOIN_CODE_RATES,
        "address",
        ("ip", "3/10m"),
    )
    for guesser in learners("guess-a", "guess-b", "guess-c"):
        client.force_login(guesser)
        assert try_code(client, cohort.course, "WRONG-CODE").status_code == 400
    newcomer = UserFactory(username="newcomer")
    client.force_login(newcomer)
    response = try_code(client, cohort.course, "listen-24")
    assert response.status_code == 429
    page = BeautifulSoup(response.content, "html.parser")
    assert "Please wait ten minutes" in page.find(id="join-code-error").get_text()
    assert page.find("input", id="id_join_code")["value"] == "listen-24"
    assert not newcomer.enrolments.exists()
    # Someone elsewhere is not held up by that address.
    assert (
        try_code(client, cohort.course, "listen-24", "198.51.100.2").status_code == 302
    )


def test_wrong_codes_from_one_account_pause_it_at_every_address(
    learner_client, learner, cohort
):
    for attempt in range(10):
        address = f"203.0.113.{attempt}"
        assert (
            try_code(learner_client, cohort.course, "NOPE1234", address).status_code
            == 400
        )
    assert (
        try_code(learner_client, cohort.course, "listen-24", "192.0.2.1").status_code
        == 429
    )
    assert not learner.enrolments.exists()


def test_wrong_codes_for_one_course_pause_joining_it(client, cohort, monkeypatch):
    monkeypatch.setitem(
        join_code_limits.JOIN_CODE_RATES,
        "course",
        ("course", "2/10m"),
    )
    for n, guesser in enumerate(learners("guess-a", "guess-b")):
        client.force_login(guesser)
        try_code(client, cohort.course, "WRONG-CODE", f"203.0.113.{n}")
    client.force_login(UserFactory(username="newcomer"))
    assert try_code(client, cohort.course, "listen-24", "192.0.2.9").status_code == 429
    other = CourseFactory(
        parent=cohort.course.get_parent(), enrolment_policy="cohort", title="Other"
    )
    Cohort.objects.create(course=other, name="Other group", join_code="OTHERCODE")
    assert try_code(client, other, "othercode", "192.0.2.9").status_code == 302


def test_a_room_joining_with_the_right_code_is_never_paused(
    client, cohort, monkeypatch
):
    monkeypatch.setitem(
        join_code_limits.JOIN_CODE_RATES,
        "address",
        ("ip", "2/10m"),
    )
    for name in ("ana", "ben", "cy", "dee"):
        client.force_login(UserFactory(username=name))
        assert try_code(client, cohort.course, "listen-24").status_code == 302
    assert cohort.enrolments.count() == 4


# --- The cohort form -------------------------------------------------------------


def cohort_form(course, **fields):
    return nested_form_data(
        {
            "name": "Summer group",
            "course": course.pk,
            "join_code": "",
            "is_open": "on",
            "starts_on": "",
            "ends_on": "",
            "suggested_dates": inline_formset([]),
            **fields,
        }
    )


def test_a_cohort_left_without_a_code_gets_a_strong_one(trainer_client, cohort_course):
    response = trainer_client.post(reverse("cohorts:add"), cohort_form(cohort_course))
    cohort = Cohort.objects.get(name="Summer group")
    assert response.status_code == 302
    assert response.url == cohort_page(cohort)
    assert len(cohort.join_code) == 8 and set(cohort.join_code) <= set(ALPHABET)
    page = text_of(trainer_client.get(cohort_page(cohort)))
    assert format_join_code(cohort.join_code) in page


def test_a_typed_code_is_stored_without_case_spaces_or_dashes(
    trainer_client, cohort_course
):
    trainer_client.post(
        reverse("cohorts:add"), cohort_form(cohort_course, join_code="Listen 2025")
    )
    assert Cohort.objects.get(name="Summer group").join_code == "LISTEN2025"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "A join code has 8 to 20 letters and digits"),
        ("spring–été26", "Use only the letters A to Z and digits"),
        ("Listen-24", "Another cohort already uses this join code"),
    ],
)
def test_a_code_that_breaks_the_rules_is_refused_with_the_reason(
    trainer_client, cohort, typed, message
):
    response = trainer_client.post(
        reverse("cohorts:add"), cohort_form(cohort.course, join_code=typed)
    )
    assert response.status_code == 200
    assert message in text_of(response)
    assert not Cohort.objects.filter(name="Summer group").exists()


def test_a_cohort_cannot_end_before_it_starts(trainer_client, cohort_course):
    response = trainer_client.post(
        reverse("cohorts:add"),
        cohort_form(cohort_course, starts_on="2026-05-10", ends_on="2026-05-01"),
    )
    assert "The end date cannot be before the start date." in text_of(response)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cohort.objects.create(
            course=cohort_course,
            name="Backwards",
            starts_on=datetime.date(2026, 5, 10),
            ends_on=datetime.date(2026, 5, 1),
        )


def test_suggested_dates_must_be_modules_of_the_cohorts_course(
    trainer_client, cohort, course_index
):
    other = CourseFactory(parent=course_index, title="Another course")
    elsewhere = other.get_children().first()
    here = cohort.course.get_children().first()
    data = cohort_form(
        cohort.course,
        name=cohort.name,
        join_code=cohort.join_code,
        suggested_dates=inline_formset(
            [
                {"module": here.pk, "finish_by": "2026-06-01"},
                {"module": elsewhere.pk, "finish_by": "2026-07-01"},
            ]
        ),
    )
    edit = reverse("cohorts:edit", args=[cohort.pk])
    response = trainer_client.post(edit, data)
    assert "Choose a module of Listening well." in text_of(response)
    assert not cohort.suggested_dates.exists()
    data = cohort_form(
        cohort.course,
        name=cohort.name,
        join_code=cohort.join_code,
        suggested_dates=inline_formset(
            [{"module": here.pk, "finish_by": "2026-06-01"}]
        ),
    )
    assert trainer_client.post(edit, data).status_code == 302
    assert cohort.suggested_dates.get().module_id == here.pk


def test_the_course_of_a_cohort_with_learners_does_not_change(
    trainer_client, cohort, course_index
):
    enrol(
        learner=UserFactory(username="ana"), course=cohort.course, join_code="LISTEN24"
    )
    other = CourseFactory(parent=course_index, title="Another course")
    response = trainer_client.post(
        reverse("cohorts:edit", args=[cohort.pk]),
        cohort_form(other, name=cohort.name, join_code=cohort.join_code),
    )
    assert "the course cannot change" in text_of(response)
    cohort.refresh_from_db()
    assert cohort.course_id != other.pk


# --- The list ----------------------------------------------------------------------


def test_the_list_shows_each_cohort_with_its_course_code_size_and_dates(
    trainer_client, cohort, steps
):
    cohort.starts_on = datetime.date(2026, 4, 1)
    cohort.ends_on = datetime.date(2026, 6, 30)
    cohort.save()
    ana, ben = learners("ana", "ben")
    for learner in (ana, ben):
        enrol(learner=learner, course=cohort.course, join_code="listen-24")
    for step in steps:
        complete_step(learner=ana, step=LessonPage.objects.get(pk=step.id))
    page = soup(trainer_client.get(reverse("cohorts:index")))
    headings = [th.get_text(" ", strip=True) for th in page.select("thead th")]
    for heading in ("Name", "Course", "Join code", "Learners", "Finished"):
        assert any(h.startswith(heading) for h in headings), headings
    row = page.select_one("tbody tr")
    cells = [" ".join(td.get_text(" ").split()) for td in row.find_all("td")]
    assert row.find("a", string=lambda s: s and "Spring group" in s)["href"] == (
        cohort_page(cohort)
    )
    assert "Listening well" in cells
    assert "LIST-EN24" in cells
    assert cells.count("2") == 1 and "1" in cells  # two learners, one finished
    assert "1 April 2026" in cells and "30 June 2026" in cells


def test_the_list_filters_by_course(trainer_client, cohort, course_index):
    other = CourseFactory(parent=course_index, title="Another course")
    Cohort.objects.create(course=other, name="Elsewhere group")
    everything = text_of(trainer_client.get(reverse("cohorts:index")))
    assert "Spring group" in everything and "Elsewhere group" in everything
    filtered = text_of(
        trainer_client.get(reverse("cohorts:index"), {"course": other.pk})
    )
    assert "Elsewhere group" in filtered and "Spring group" not in filtered


def test_the_list_costs_the_same_for_one_cohort_or_many(
    trainer_client, cohort, course_index, support_settings
):
    # The trainer, their and their groups' permissions, their admin profile;
    # the number of cohorts (pagination), the courses for the filter, the
    # cohorts with their numbers of learners; the admin menu's locales, page
    # and collection permissions and home page.
    url = reverse("cohorts:index")
    assert count_queries(trainer_client, url) == 11
    for n in range(5):
        course = CourseFactory(parent=course_index, title=f"Course {n}", steps=1)
        group = Cohort.objects.create(course=course, name=f"Group {n}")
        enrol(learner=UserFactory(username=f"member{n}"), course=course)
        Enrolment.objects.filter(course=course).update(cohort=group)
    assert count_queries(trainer_client, url) == 11


# --- The cohort page ---------------------------------------------------------------


def test_the_cohort_page_shows_each_learner_with_steps_done_and_a_gradebook_link(
    trainer_client, cohort, steps
):
    ana, ben = learners("ana", "ben")
    for learner in (ana, ben):
        enrol(learner=learner, course=cohort.course, join_code="LISTEN24")
    for step in steps:
        complete_step(learner=ana, step=LessonPage.objects.get(pk=step.id))
    complete_step(learner=ben, step=LessonPage.objects.get(pk=steps[0].id))
    page = soup(trainer_client.get(cohort_page(cohort)))
    rows = {
        tr.find("td").get_text(strip=True): " ".join(tr.get_text(" ").split())
        for tr in page.select("table tbody tr")
    }
    assert "Finished (100%)" in rows["ana"]
    assert "1 / 4 (25%)" in rows["ben"]
    finished = Enrolment.objects.get(learner=ana).completed_at
    assert finished.strftime("%B") in rows["ana"]
    link = page.find("a", string="ana")["href"]
    assert link == reverse("gradebook_learner", args=[cohort.course_id, ana.pk])
    gradebook = page.find("a", string="Gradebook for this cohort")["href"]
    assert gradebook == (
        reverse("gradebook_course", args=[cohort.course_id]) + f"?cohort={cohort.pk}"
    )


def test_the_cohort_page_costs_the_same_for_two_learners_or_eight(
    trainer_client, cohort, steps, support_settings
):
    def join(names):
        for name in names:
            learner = UserFactory(username=name)
            enrol(learner=learner, course=cohort.course, join_code="LISTEN24")
            complete_step(learner=learner, step=LessonPage.objects.get(pk=steps[0].id))

    # The trainer, their and their groups' permissions, their admin profile;
    # the cohort with its course, the members with their enrolments, their
    # steps done, suggested dates, announcements; the practice circle its
    # button links to; the admin menu's locales, page and collection
    # permissions and home page.
    join(["ana", "ben"])
    assert count_queries(trainer_client, cohort_page(cohort)) == 14
    join([f"learner-{n}" for n in range(6)])
    assert count_queries(trainer_client, cohort_page(cohort)) == 14


# --- Adding and removing learners ----------------------------------------------------


def test_pasted_usernames_are_added_and_unknown_ones_are_listed_back(
    trainer_client, cohort
):
    ana, ben, cy = learners("ana", "ben", "cy")
    enrol(learner=cy, course=cohort.course, join_code="LISTEN24")
    response = trainer_client.post(
        reverse("cohorts:add_learners", args=[cohort.pk]),
        {"usernames": "ana, BEN\n cy  nobody-here;ghost"},
    )
    page = text_of(response)
    assert "Added 2 learners: ana, ben." in page
    assert "Already in this cohort: cy." in page
    assert "No account has these usernames: nobody-here, ghost." in page
    textarea = BeautifulSoup(response.content, "html.parser").find(
        "textarea", attrs={"name": "usernames"}
    )
    assert textarea.get_text().split() == ["nobody-here", "ghost"]
    assert set(cohort.enrolments.values_list("learner__username", flat=True)) == {
        "ana",
        "ben",
        "cy",
    }


def test_when_every_name_is_known_the_trainer_is_back_on_the_cohort_page(
    trainer_client, cohort
):
    learners("ana", "ben")
    response = trainer_client.post(
        reverse("cohorts:add_learners", args=[cohort.pk]),
        {"usernames": "ana ben"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == cohort_page(cohort)
    assert "Added 2 learners: ana, ben." in text_of(response)


def test_a_csv_of_usernames_adds_them(trainer_client, cohort):
    learners("ana", "ben")
    upload = SimpleUploadedFile(
        "learners.csv",
        "\ufeffUsername,Notes\nana,first\nben,\nzed,typo\n".encode(),
        content_type="text/csv",
    )
    response = trainer_client.post(
        reverse("cohorts:add_learners", args=[cohort.pk]), {"csv_file": upload}
    )
    page = text_of(response)
    assert "Added 2 learners: ana, ben." in page
    assert "No account has this username: zed." in page


def test_a_file_that_is_not_text_is_refused_plainly(trainer_client, cohort):
    upload = SimpleUploadedFile("photo.csv", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    response = trainer_client.post(
        reverse("cohorts:add_learners", args=[cohort.pk]), {"csv_file": upload}
    )
    assert "This file cannot be read as a list of usernames." in text_of(response)


def test_learners_enrolled_on_their_own_join_with_their_progress_and_others_stay_put(
    trainer_client, cohort, steps
):
    solo, other_member = learners("solo", "taken")
    cohort.course.enrolment_policy = CoursePage.Enrolment.OPEN
    cohort.course.save_revision().publish()
    enrol(learner=solo, course=cohort.course)
    complete_step(learner=solo, step=LessonPage.objects.get(pk=steps[0].id))
    autumn = Cohort.objects.create(course=cohort.course, name="Autumn group")
    enrol(learner=other_member, course=cohort.course)
    Enrolment.objects.filter(learner=other_member).update(cohort=autumn)
    page = text_of(
        trainer_client.post(
            reverse("cohorts:add_learners", args=[cohort.pk]),
            {"usernames": "solo taken"},
        )
    )
    assert "now in this cohort with their progress: solo." in page
    assert "taken is in another cohort of this course, Autumn group, and stays" in page
    assert Enrolment.objects.get(learner=solo).cohort == cohort
    assert StepCompletion.objects.filter(learner=solo).count() == 1
    assert Enrolment.objects.get(learner=other_member).cohort == autumn


def test_removing_a_learner_keeps_their_enrolment_and_progress(
    trainer_client, cohort, steps
):
    (ana,) = learners("ana")
    enrol(learner=ana, course=cohort.course, join_code="LISTEN24")
    complete_step(learner=ana, step=LessonPage.objects.get(pk=steps[0].id))
    response = trainer_client.post(
        reverse("cohorts:remove_learner", args=[cohort.pk, ana.pk]), follow=True
    )
    assert "keep their progress" in text_of(response)
    enrolment = Enrolment.objects.get(learner=ana)
    assert enrolment.cohort is None
    assert StepCompletion.objects.filter(learner=ana).count() == 1
    assert "No learners yet." in text_of(response)


def test_a_new_join_code_replaces_the_old_one(trainer_client, cohort, learner):
    learner_client = client_for(learner)
    confirm = trainer_client.get(
        reverse("cohorts:regenerate_join_code", args=[cohort.pk])
    )
    assert "LIST-EN24 stops working" in text_of(confirm)
    trainer_client.post(reverse("cohorts:regenerate_join_code", args=[cohort.pk]))
    cohort.refresh_from_db()
    assert cohort.join_code != "LISTEN24" and len(cohort.join_code) == 8
    assert try_code(learner_client, cohort.course, "listen-24").status_code == 400
    new_code = format_join_code(cohort.join_code).lower()
    assert try_code(learner_client, cohort.course, new_code).status_code == 302


def test_closing_joining_stops_the_code_and_reopening_restores_it(
    trainer_client, cohort, learner
):
    learner_client = client_for(learner)
    trainer_client.post(reverse("cohorts:joining", args=[cohort.pk]), {"open": "0"})
    page = text_of(trainer_client.get(cohort_page(cohort)))
    assert "Closed: the code lets no one new in" in page
    assert try_code(learner_client, cohort.course, "LISTEN24").status_code == 400
    trainer_client.post(reverse("cohorts:joining", args=[cohort.pk]), {"open": "1"})
    assert try_code(learner_client, cohort.course, "LISTEN24").status_code == 302


def test_cohorts_have_their_own_menu_item_not_snippets(trainer_client, cohort):
    response = trainer_client.get(reverse("wagtailadmin_home"))
    assert reverse("cohorts:index") in response.content.decode()
    assert trainer_client.get("/admin/snippets/courses/cohort/").status_code == 404


def test_a_learner_who_finished_stays_at_100_percent_when_a_step_is_added(
    trainer_client, cohort, steps
):
    ana = learners("ana")[0]
    enrol(learner=ana, course=cohort.course, join_code="LISTEN24")
    for step in steps:
        complete_step(learner=ana, step=LessonPage.objects.get(pk=step.id))
    module = LessonPage.objects.get(pk=steps[0].id).get_parent()
    LessonFactory(parent=module, title="Added later", slug="added-later")

    page = soup(trainer_client.get(cohort_page(cohort)))

    row = " ".join(page.select_one("table tbody tr").get_text(" ").split())
    assert "Finished (100%), 1 new step since" in row
