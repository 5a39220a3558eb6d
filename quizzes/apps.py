from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self):
        from courses.demo_loader import STEP_BUILDERS

        from . import receivers  # noqa: F401
        from .demo import build_quiz

        STEP_BUILDERS["quiz"] = build_quiz
