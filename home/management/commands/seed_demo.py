from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from certificates.demo import ensure_demo_certificate
from courses.demo_loader import build_course, demo_course_files, read_course_file
from courses.demo_translations import translate_demo
from courses.models import Cohort
from courses.services import add_learners_to_cohort
from home.site_setup import (
    ensure_course_index,
    ensure_home_page,
    ensure_locales,
    ensure_support_settings,
    ensure_trainers_group,
)
from peers.demo import ensure_demo_circle
from peers.models import Post

DEMO_ACCOUNTS = {
    # username: (password, role)
    "trainer": ("circles-trainer-demo", "trainer"),
    "learner": ("circles-learner-demo", "learner"),
    # Other members of the Spring group's practice circle (peers/demo.py).
    "learner2": ("circles-peer-demo", "peer"),
    "learner3": ("circles-peer-demo", "peer"),
    "learner4": ("circles-peer-demo", "peer"),
}


class Command(BaseCommand):
    help = (
        "Build the demo site: home, course catalogue, demo courses and accounts, "
        "and a practice circle. Safe to repeat."
    )

    def handle(self, *args, **options):
        home = ensure_home_page()
        index = ensure_course_index(home)
        ensure_support_settings()
        trainers = ensure_trainers_group(home)
        for path in demo_course_files():
            course = build_course(index, read_course_file(path))
            self.stdout.write(f"Course: {course.title} ({course.url})")
        with transaction.atomic():
            User = get_user_model()
            for username, (password, role) in DEMO_ACCOUNTS.items():
                user, created = User.objects.get_or_create(username=username)
                if created:
                    user.set_password(password)
                if role == "trainer":
                    user.is_staff = True
                    user.groups.add(trainers)
                user.save()
        certificate = ensure_demo_certificate(
            learner=User.objects.get(username="learner")
        )
        self.stdout.write(f"Certificate: {certificate.display_code} (learner)")
        # A cohort, so the trainer's workspace shows a group, its learner and
        # the gradebook from the first visit.
        cohort, _created = Cohort.objects.get_or_create(
            course=certificate.course, name="Spring group"
        )
        add_learners_to_cohort(
            cohort=cohort,
            usernames=[
                username
                for username, (_password, role) in DEMO_ACCOUNTS.items()
                if role != "trainer"
            ],
        )
        code = cohort.display_join_code
        self.stdout.write(f"Cohort: {cohort.name}, join code {code}")
        circle = ensure_demo_circle(
            cohort=cohort, trainer=User.objects.get(username="trainer")
        )
        waiting = circle.posts.filter(status=Post.Status.WAITING).count()
        self.stdout.write(
            f"Practice circle: {circle.members.count()} members, "
            f"{waiting} waiting for approval"
        )
        # After every page is built, so that each has its place in every language.
        locales = ensure_locales()
        translated = translate_demo()
        self.stdout.write(
            f"Languages: {', '.join(locale.language_code for locale in locales)}; "
            f"{len(translated)} pages newly translated"
        )
        self.stdout.write(
            self.style.SUCCESS("Demo site ready on http://127.0.0.1:8000")
        )
        self.stdout.write("Demo accounts (username / password):")
        for username, (password, role) in DEMO_ACCOUNTS.items():
            self.stdout.write(f"  {role:8} {username} / {password}")
