from django.dispatch import Signal

# Sent once per enrolment, after the transaction that completed the course
# commits, with keyword arguments `enrolment`, `learner` and `course`.
# Receivers must be idempotent: a completion can be announced twice.
course_completed = Signal()
