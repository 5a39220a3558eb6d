"""Old id addresses of a quiz's actions, which are routes of the quiz page now.

Each answers with a 307, which keeps the method and body, so an old form or
bookmark still works; the quiz's route then applies its privacy settings like
any page. A quiz the request may not view is not found, so its address is
never named.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from courses.selectors import may_view, viewable_page_or_404

from .models import QuizAttempt, QuizPage


def moved_start(request, quiz_id: int):
    """Send an old start address on to the quiz's start route."""
    quiz = viewable_page_or_404(request, QuizPage.objects.live(), quiz_id)
    return redirect(
        quiz.get_url(request) + quiz.reverse_subpage("start"), preserve_request=True
    )


@login_required
def moved_attempt(request, attempt_id: int):
    """Send an old attempt address on to the attempt's route on its quiz."""
    # Someone else's attempt is simply not found: no hint that it exists.
    attempt = get_object_or_404(
        QuizAttempt.objects.select_related("quiz"), pk=attempt_id, learner=request.user
    )
    if not may_view(request, attempt.quiz):
        raise Http404
    return redirect(attempt.quiz.attempt_url(attempt), preserve_request=True)
