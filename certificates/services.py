"""Every change to certificates goes through one of these functions.

Issuing is exactly-once by a database constraint (one current certificate
per learner and course), not by a check in Python: a second issue, from the
same process or another, meets the constraint and returns the certificate
that won. Certificates are never deleted; a name change or a reissue marks
the old one replaced and issues a new one with a new code.
"""

import calendar
import hashlib
import io
import logging
import secrets
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from circles.normalise import one_line
from circles.refusals import Refusal
from courses.models import CoursePage, Enrolment

from .codes import generate_code
from .credentials import (
    AchievementFacts,
    CertificateFacts,
    IssuerFacts,
    build_open_badge_credential,
)
from .keys import site_did, site_private_key, site_verification_method
from .models import (
    Certificate,
    CertificateFile,
    CertificatePolicy,
    Verification,
)
from .pdf import certificate_filename, unprintable_characters
from .rendering import render_certificate_bytes
from .selectors import (
    certificate_policy,
    credential_url,
    current_certificate,
    name_changes,
    site_url,
    status_list_url,
    status_list_usage,
)
from .signing import add_proof
from .status_list import StatusListFull, list_size

logger = logging.getLogger(__name__)

# A fresh code and slot are drawn when one collides; collisions are rare
# (60-bit codes, a list at most half full) so a few tries always suffice.
_ATTEMPTS = 20
PRINTED_NAME_MAX_LENGTH = 120


class CertificateNotAvailable(Refusal):
    pass


class PrintedNameNeeded(Refusal):
    pass


class NameChangeLimitReached(Refusal):
    """The learner has changed the printed name as often as the site allows."""


# --- Issuing ----------------------------------------------------------------


@transaction.atomic
def issue_certificate(*, learner, course: CoursePage) -> Certificate:
    """Issue the learner's certificate for a completed course; idempotent.

    Returns the current certificate when there is one already, whoever
    issued it. Raises PrintedNameNeeded before the learner has chosen the
    name to print, and CertificateNotAvailable when the course is not
    complete or offers no certificate.
    """
    existing = current_certificate(learner=learner, course=course)
    if existing is not None:
        return existing
    policy = certificate_policy(course)
    if not policy.offers_certificate:
        raise CertificateNotAvailable(_("This course does not offer a certificate."))
    enrolment = (
        Enrolment.objects.filter(
            learner=learner, course=course, completed_at__isnull=False
        )
        .select_related("cohort")
        .first()
    )
    if enrolment is None:
        raise CertificateNotAvailable(
            _("The certificate comes when every step of the course is finished.")
        )
    printed_name = (learner.certificate_name or "").strip()
    if not printed_name:
        raise PrintedNameNeeded(
            _("Please choose the name to print on your certificate first.")
        )
    return _create(
        learner=learner,
        course=course,
        enrolment=enrolment,
        printed_name=printed_name,
        completed_at=enrolment.completed_at,
        expires_at=_expiry(policy, enrolment.completed_at),
    )


def issue_pending_certificates(*, learner) -> list[Certificate]:
    """Issue a certificate for every finished course that offers one and has none."""
    issued = []
    enrolments = (
        Enrolment.objects.filter(learner=learner, completed_at__isnull=False)
        .exclude(course__certificate_policy__offers_certificate=False)
        .select_related("course")
    )
    for enrolment in enrolments:
        if current_certificate(learner=learner, course=enrolment.course) is None:
            issued.append(issue_certificate(learner=learner, course=enrolment.course))
    return issued


@transaction.atomic
def change_printed_name(*, learner, printed_name: str) -> list[Certificate]:
    """Set the name printed on the learner's certificates and issue what follows.

    A new name replaces every current certificate that is not revoked (each
    gets a new code; the old ones say "replaced"), and certificates waiting
    for a name are issued. Returns the certificates issued. Raises
    NameChangeLimitReached, changing nothing, when a change that would replace
    certificates passes CERTIFICATE_NAME_CHANGES_PER_DAY or _TOTAL.
    """
    name = clean_printed_name(printed_name)
    previous = learner.certificate_name
    would_replace = Certificate.objects.filter(
        learner=learner, replaced_at__isnull=True, revoked_at__isnull=True
    ).exclude(printed_name=name)
    if name != previous and would_replace.exists():
        _check_name_change_allowance(learner)
    # Only this field is checked: the rest of the account is not ours to judge.
    learner.certificate_name = learner._meta.get_field("certificate_name").clean(
        name, learner
    )
    learner.save(update_fields=["certificate_name"])
    issued = []
    if name != previous:
        current = Certificate.objects.select_for_update().filter(
            learner=learner, replaced_at__isnull=True, revoked_at__isnull=True
        )
        for certificate in current:
            if certificate.printed_name != name:
                issued.append(
                    _replace(
                        certificate,
                        printed_name=name,
                        reason=Certificate.Replacement.NAME_CHANGE,
                    )
                )
    issued.extend(issue_pending_certificates(learner=learner))
    return issued


def _check_name_change_allowance(learner) -> None:
    """Raise NameChangeLimitReached once the learner's allowance is spent.

    Each change issues new certificates, renders their PDFs and uses slots
    in the revocation list for good, so it cannot be unlimited.
    """
    total = settings.CERTIFICATE_NAME_CHANGES_TOTAL
    if name_changes(learner=learner) >= total:
        raise NameChangeLimitReached(
            _(
                "The name on your certificates has been changed %(count)d times, "
                "as many as this site allows. Please ask your trainer to change "
                "it for you."
            )
            % {"count": total}
        )
    per_day = settings.CERTIFICATE_NAME_CHANGES_PER_DAY
    since = timezone.now() - timedelta(days=1)
    if name_changes(learner=learner, since=since) >= per_day:
        raise NameChangeLimitReached(
            _(
                "The name on your certificates has been changed %(count)d times "
                "today. Please try again tomorrow, or ask your trainer."
            )
            % {"count": per_day}
        )


def clean_printed_name(text: str) -> str:
    """Return the name on one line, spacing tidied; raise Refusal if unusable.

    Line breaks, tabs and other control characters become spaces, so a name
    typed across two lines keeps its words apart; invisible characters go.
    """
    name = one_line(text)
    if not name:
        raise Refusal(_("Please type the name to print."))
    if len(name) > PRINTED_NAME_MAX_LENGTH:
        raise Refusal(
            _("Please use at most %(count)d characters.")
            % {"count": PRINTED_NAME_MAX_LENGTH}
        )
    # Said now, where the learner can change it, rather than at printing.
    if missing := unprintable_characters(name):
        raise Refusal(
            _(
                "We cannot print these letters on a certificate yet: %(letters)s. "
                "Please leave them out, or write your name another way."
            )
            % {"letters": " ".join(missing)}
        )
    return name


@transaction.atomic
def reissue_certificate(*, certificate: Certificate, by=None) -> Certificate:
    """Replace a certificate with a new one (new code), as a trainer asks.

    The new one takes the course's current title, hours and template, and
    keeps the completion date and expiry. A revoked certificate stays revoked.
    """
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.replaced_at is not None:
        raise Refusal(
            _("This certificate was already replaced. Reissue the newest one.")
        )
    if certificate.learner_id is None:
        raise Refusal(_("The learner's account no longer exists."))
    return _replace(
        certificate,
        printed_name=certificate.printed_name,
        reason=Certificate.Replacement.REISSUE,
    )


@transaction.atomic
def revoke_certificate(
    *, certificate: Certificate, by, note: str, public_reason: str = ""
) -> Certificate:
    """Revoke a certificate: its status and its bit in /status/1 say so at once.

    The private note is for trainers; the public reason (optional) is shown to
    anyone who checks the code. The certificate itself is kept.
    """
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise Refusal(_("This certificate is already revoked."))
    if certificate.withdrawn_at is not None:
        raise Refusal(
            _(
                "This certificate was withdrawn at its holder's request, so it is "
                "not revoked: the verify page already says it is not valid."
            )
        )
    if not note.strip():
        raise Refusal(_("Please write a note saying why, for other trainers."))
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = by if by is not None and by.is_authenticated else None
    certificate.revocation_note = note.strip()
    certificate.revocation_reason = public_reason.strip()
    # Only what this change writes is checked: an erased holder's certificate
    # has no learner and may have no printed name, and stays revocable.
    certificate.clean_fields(
        exclude=[
            f.name
            for f in Certificate._meta.fields
            if f.name not in {"revocation_note", "revocation_reason"}
        ]
    )
    certificate.save(
        update_fields=[
            "revoked_at",
            "revoked_by",
            "revocation_note",
            "revocation_reason",
        ]
    )
    return certificate


@dataclass(frozen=True)
class Released:
    """What releasing a holder's certificates did, and the PDFs left to delete."""

    kept: int
    withdrawn: int
    pdf_names: tuple[str, ...]


@transaction.atomic
def release_certificates(*, learner, withdraw: Collection[int] = ()) -> Released:
    """Detach every certificate from the learner, before their account is erased.

    A current certificate whose id is in ``withdraw`` is withdrawn at the
    holder's request: its printed name and credential are removed and its bit
    in the revocation list is set. Every other current certificate stays
    verifiable, keeping only its printed name, course title, hours and dates.
    Replaced certificates lose their printed name and credential. Check
    records and private notes go; the PDFs are returned for the caller to
    delete from storage, since a file cannot be rolled back.
    """
    now = timezone.now()
    withdraw = set(withdraw)
    certificates = list(Certificate.objects.select_for_update().filter(learner=learner))
    kept = withdrawn = 0
    pdf_names = []
    for certificate in certificates:
        if certificate.pdf:
            pdf_names.append(certificate.pdf.name)
        certificate.learner = None
        certificate.enrolment = None
        certificate.revocation_note = ""
        certificate.pdf = ""
        certificate.pdf_sha256 = ""
        certificate.pdf_rendered_at = None
        if certificate.replaced_at is None and certificate.pk in withdraw:
            certificate.withdrawn_at = now
            withdrawn += 1
        elif certificate.replaced_at is None:
            kept += 1
        if certificate.replaced_at is not None or certificate.withdrawn_at is not None:
            certificate.printed_name = ""
            certificate.credential = {}
        certificate.save(
            update_fields=[
                "learner",
                "enrolment",
                "revocation_note",
                "pdf",
                "pdf_sha256",
                "pdf_rendered_at",
                "withdrawn_at",
                "printed_name",
                "credential",
            ]
        )
    Verification.objects.filter(certificate__in=certificates).delete()
    return Released(kept=kept, withdrawn=withdrawn, pdf_names=tuple(pdf_names))


def delete_certificate_files(names) -> None:
    """Remove stored certificate PDFs by name; a missing file is already gone."""
    storage = Certificate._meta.get_field("pdf").storage
    for name in names:
        storage.delete(name)


def record_verification(*, certificate: Certificate, channel: str) -> Verification:
    """Note that someone checked the certificate: the time and channel only.

    One INSERT: this runs on every check, so it asks the database nothing
    first (the certificate was just read; the channel is one of ours).
    """
    if channel not in Verification.Channel.values:
        raise ValueError(f"unknown verification channel {channel!r}")
    return Verification.objects.create(certificate=certificate, channel=channel)


def render_certificate_file(*, certificate: Certificate) -> Certificate:
    """Render the certificate's PDF, store it with its SHA-256 and return it."""
    data = render_certificate_bytes(certificate=certificate)
    digest = hashlib.sha256(data).hexdigest()
    previous = certificate.pdf.name if certificate.pdf else ""
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        certificate.pdf.save("certificate.pdf", ContentFile(data), save=False)
        certificate.pdf_sha256 = digest
        certificate.pdf_rendered_at = timezone.now()
        certificate.save(update_fields=["pdf", "pdf_sha256", "pdf_rendered_at"])
        CertificateFile.objects.get_or_create(certificate=certificate, sha256=digest)
    if previous and previous != certificate.pdf.name:
        # The old file's hash stays in CertificateFile, so it still checks out.
        certificate.pdf.storage.delete(previous)
    return certificate


def ensure_certificate_file(*, certificate: Certificate) -> Certificate:
    """Return the certificate with its PDF in storage, rendering it if missing.

    Raises Refusal for a withdrawn certificate: its holder asked for
    it to be gone, so no PDF is made again.
    """
    if certificate.withdrawn_at is not None:
        raise Refusal(
            _("This certificate was withdrawn at its holder's request: it has no PDF.")
        )
    if certificate.pdf and certificate.pdf.storage.exists(certificate.pdf.name):
        return certificate
    return render_certificate_file(certificate=certificate)


def build_certificates_zip(*, certificates) -> bytes:
    """Return a ZIP of the certificates' PDFs, rendering any that are missing.

    Each file is named certificate-XXXX-XXXX-XXXX.pdf: nothing in the archive
    names a holder.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            if not certificate.offers_pdf:
                continue
            certificate = ensure_certificate_file(certificate=certificate)
            with certificate.pdf.open("rb") as file:
                archive.writestr(certificate_filename(certificate.code), file.read())
    return buffer.getvalue()


def schedule_rendering(certificates) -> int:
    """Queue a fresh PDF for each certificate (after a template change, say)."""
    from .tasks import render_certificate_pdf_task

    count = 0
    for certificate in certificates:
        if not (certificate.is_current and certificate.offers_pdf):
            continue
        render_certificate_pdf_task.enqueue(certificate.pk)
        count += 1
    return count


# --- Inside -----------------------------------------------------------------


def _create(
    *,
    learner,
    course: CoursePage | None,
    enrolment: Enrolment | None,
    printed_name: str,
    completed_at: datetime,
    expires_at: datetime | None,
    based_on: Certificate | None = None,
) -> Certificate:
    """Insert a new current certificate; the constraint decides who wins a race."""
    snapshot = _snapshot(course, based_on)
    for _attempt in range(_ATTEMPTS):
        certificate = Certificate(
            code=generate_code(),
            status_list_index=_free_status_index(),
            learner=learner,
            course=course,
            enrolment=enrolment,
            printed_name=printed_name,
            completed_at=completed_at,
            expires_at=expires_at,
            issued_at=timezone.now(),
            issuer_name=settings.ISSUER_NAME,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            **snapshot,
        )
        certificate.credential = _signed_credential(certificate)
        certificate.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                certificate.save(force_insert=True)
        except IntegrityError:
            if course is not None:
                winner = current_certificate(learner=learner, course=course)
                if winner is not None:
                    return winner
            continue  # the code or the status slot was taken: draw again
        transaction.on_commit(lambda pk=certificate.pk: _schedule_first_rendering(pk))
        return certificate
    raise Refusal(_("A certificate could not be issued just now. Please try again."))


def _replace(certificate: Certificate, *, printed_name: str, reason) -> Certificate:
    """Mark certificate replaced and issue its successor, in one transaction."""
    now = timezone.now()
    certificate.replaced_at = now
    certificate.replacement_reason = reason
    certificate.save(update_fields=["replaced_at", "replacement_reason"])
    successor = _create(
        learner=certificate.learner,
        course=certificate.course,
        enrolment=certificate.enrolment,
        printed_name=printed_name,
        completed_at=certificate.completed_at,
        expires_at=certificate.expires_at,
        based_on=certificate,
    )
    certificate.replaced_by = successor
    certificate.save(update_fields=["replaced_by"])
    return successor


def _schedule_first_rendering(certificate_id: int) -> None:
    from .tasks import render_certificate_pdf_task

    render_certificate_pdf_task.enqueue(certificate_id)


def _snapshot(course: CoursePage | None, based_on: Certificate | None) -> dict:
    """What the certificate certifies about the course, taken now."""
    if course is None:
        if based_on is None:
            raise CertificateNotAvailable(_("The course no longer exists."))
        return {
            "course_title": based_on.course_title,
            "course_summary": based_on.course_summary,
            "course_url": based_on.course_url,
            "course_hours": based_on.course_hours,
            "template": based_on.template,
            "signatory_name": based_on.signatory_name,
            "signatory_title": based_on.signatory_title,
        }
    template = certificate_policy(course).template
    return {
        "course_title": course.title,
        "course_summary": course.summary,
        "course_url": _course_url(course),
        "course_hours": course.estimated_hours,
        "template": template,
        "signatory_name": template.signatory_name if template else "",
        "signatory_title": template.signatory_title if template else "",
    }


def _course_url(course: CoursePage) -> str:
    url = course.url or f"/{course.slug}/"
    return url if url.startswith(("http://", "https://")) else site_url(url)


def _expiry(policy: CertificatePolicy, completed_at: datetime) -> datetime | None:
    if not policy.valid_months:
        return None
    return add_months(completed_at, policy.valid_months)


def add_months(moment: datetime, months: int) -> datetime:
    """Return moment plus whole months; the 31st becomes the month's last day."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _free_status_index() -> int:
    """Return a random unused slot in the revocation list, growing it as it fills.

    The list is at most half full after this slot is taken (status_list.py),
    so each draw finds a free slot at least half the time. When the list can
    grow no more, issuing stops with an error in the log and a message.
    """
    usage = status_list_usage()
    try:
        size = list_size(used=usage.used + 1, highest_index=usage.highest_index)
    except StatusListFull:
        logger.error("The revocation list is full: no certificate can be issued.")
        raise Refusal(
            _("Certificates cannot be issued just now. Please tell your trainer.")
        ) from None
    for _attempt in range(64):
        index = secrets.randbelow(size)
        if not Certificate.objects.filter(status_list_index=index).exists():
            return index
    raise Refusal(_("A certificate could not be issued just now. Please try again."))


def _signed_credential(certificate: Certificate) -> dict:
    """Return the Open Badges 3.0 credential for certificate, signed by the site."""
    with translation.override(certificate.language or settings.LANGUAGE_CODE):
        criteria = gettext("Completed every required step of the course.")
    unsigned = build_open_badge_credential(
        issuer=IssuerFacts(
            did=site_did(), name=certificate.issuer_name, url=site_url("/")
        ),
        achievement=AchievementFacts(
            url=certificate.course_url,
            name=certificate.course_title,
            # Only the neutral title and hours may leave the site (SAFETY.md):
            # a course summary can say who the course is for.
            description="",
            hours=certificate.course_hours,
            criteria=criteria,
        ),
        certificate=CertificateFacts(
            credential_url=credential_url(certificate.code),
            printed_name=certificate.printed_name,
            valid_from=certificate.completed_at,
            valid_until=certificate.expires_at,
            status_list_url=status_list_url(),
            status_list_index=certificate.status_list_index,
        ),
    )
    return add_proof(
        unsigned,
        private_key=site_private_key(),
        verification_method=site_verification_method(),
        created=certificate.issued_at,
    )
