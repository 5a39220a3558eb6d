from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.content_check import check_course, course_text
from courses.models import CoursePage


class Command(BaseCommand):
    help = (
        "Check a course before learners see it: content notes on hard themes, quiz "
        "answers that give themselves away or lack feedback, time estimates, and "
        "neutral titles and slugs. Exits with an error when something needs fixing."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The course's slug, as in /courses/<slug>/.")

    def handle(self, *args, slug, **options):
        courses = list(CoursePage.objects.filter(slug=slug).order_by("path"))
        if not courses:
            raise CommandError(_("No course has the slug “%(slug)s”.") % {"slug": slug})
        problems = [p for course in courses for p in check_course(course_text(course))]
        for problem in problems:
            self.stdout.write(f"{problem.where}: {problem.message}")
        if problems:
            raise CommandError(
                ngettext(
                    "%(count)s thing to fix.", "%(count)s things to fix.", len(problems)
                )
                % {"count": len(problems)}
            )
        for course in courses:
            self.stdout.write(
                self.style.SUCCESS(
                    _("%(title)s: nothing to fix.") % {"title": course.title}
                )
            )
