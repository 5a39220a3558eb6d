"""The suggested dates of a learner's cohort, for the course page."""

from django import template

from courses.cohorts import suggested_dates_by_cohort, suggested_targets

register = template.Library()


@register.inclusion_tag("courses/includes/suggested_dates.html")
def suggested_dates(enrolment, progress):
    """Gentle targets for the learner's cohort in this course: one query, or none."""
    if not enrolment or not enrolment.cohort_id or enrolment.completed_at:
        return {"targets": []}
    dates = suggested_dates_by_cohort([enrolment.cohort_id])[enrolment.cohort_id]
    return {"targets": suggested_targets(dates, progress)}
