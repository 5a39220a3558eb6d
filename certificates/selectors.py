"""Reads that views share: certificates by code or file, holders' lists, public facts.

Public facts follow SAFETY.md, "Verification without exposure": the code,
the printed name, the course's title and hours, the issue date, the issuer
and the status; never the username, e-mail, scores or other courses.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Max, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from . import status_list
from .codes import normalize_code
from .credentials import build_did_document, build_status_list_credential
from .keys import site_did, site_private_key, site_public_key, site_verification_method
from .models import Certificate, CertificateFile, CertificatePolicy, Verification
from .signing import add_proof

STATUS_LIST_ID = 1
STATUS_LIST_CACHE_KEY = f"certificates:status-list:{STATUS_LIST_ID}"
# A revocation shows at once (services forget the cached list when it
# changes); the timeout only bounds how long a list built elsewhere can live.
STATUS_LIST_CACHE_SECONDS = 60 * 60


def site_url(path: str) -> str:
    """Return the absolute URL of a path on this site (SITE_URL, not the request)."""
    return settings.SITE_URL.rstrip("/") + path


def verify_url(certificate: Certificate) -> str:
    return site_url(
        reverse("certificates:verify_result", args=[certificate.display_code])
    )


def credential_url(code: str) -> str:
    from .codes import format_code

    return site_url(reverse("certificates:credential", args=[format_code(code)]))


def status_list_url() -> str:
    return site_url(reverse("certificates:status_list"))


def certificate_policy(course) -> CertificatePolicy:
    """Return how the course issues certificates; the defaults if it says nothing."""
    policy = (
        CertificatePolicy.objects.filter(course_id=course.pk)
        .select_related("template")
        .first()
    )
    return policy or CertificatePolicy(course_id=course.pk)


def courses_without_certificates(course_ids) -> frozenset[int]:
    """Return which of these courses offer no certificate, in one query."""
    return frozenset(
        CertificatePolicy.objects.filter(
            course_id__in=course_ids, offers_certificate=False
        ).values_list("course_id", flat=True)
    )


def certificate_by_code(code: str) -> Certificate | None:
    """Return the certificate with this code, or None; InvalidCode if malformed."""
    return Certificate.objects.filter(code=normalize_code(code)).first()


def certificate_for_file(sha256: str) -> Certificate | None:
    """Return the certificate one of whose rendered PDFs has this SHA-256."""
    found = (
        CertificateFile.objects.filter(sha256=sha256.lower())
        .select_related("certificate")
        .first()
    )
    return found.certificate if found else None


def current_certificate(*, learner, course) -> Certificate | None:
    """Return the learner's current (not replaced) certificate for a course."""
    if learner is None or not learner.is_authenticated:
        return None
    return Certificate.objects.filter(
        learner=learner, course_id=course.pk, replaced_at__isnull=True
    ).first()


def can_download(*, user, certificate: Certificate) -> bool:
    """The holder and trainers may download a certificate's PDF; nobody else."""
    if not user.is_authenticated:
        return False
    if certificate.learner_id == user.pk:
        return True
    return user.has_perm("certificates.view_certificate")


@dataclass(frozen=True)
class PublicFacts:
    """What anyone holding the code may learn about a certificate."""

    code: str
    status: str
    holder_name: str | None
    course: str
    hours: Decimal
    issued_on: date
    expires_on: date | None
    revoked_on: date | None
    revocation_reason: str | None
    replaced_on: date | None
    issuer: str
    verify_url: str

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "status": self.status,
            "holder_name": self.holder_name,
            "course": self.course,
            "hours": float(self.hours),
            "issued_on": _iso(self.issued_on),
            "expires_on": _iso(self.expires_on),
            "revoked_on": _iso(self.revoked_on),
            "revocation_reason": self.revocation_reason,
            "issuer": self.issuer,
            "verify_url": self.verify_url,
        }


def public_facts(
    certificate: Certificate, *, now: datetime | None = None
) -> PublicFacts:
    """Return the facts a checker may see; replaced or withdrawn shows no name."""
    status = certificate.status_at(now or timezone.now())
    nameless = (
        certificate.replaced_at is not None or certificate.withdrawn_at is not None
    )
    return PublicFacts(
        code=certificate.display_code,
        status=str(status.value),
        holder_name=None if nameless else certificate.printed_name,
        course=certificate.course_title,
        hours=certificate.course_hours,
        issued_on=_day(certificate.issued_at),
        expires_on=_day(certificate.expires_at),
        revoked_on=_day(certificate.revoked_at),
        revocation_reason=(certificate.revocation_reason or None)
        if certificate.revoked_at
        else None,
        replaced_on=_day(certificate.replaced_at),
        issuer=certificate.issuer_name,
        verify_url=verify_url(certificate),
    )


@dataclass(frozen=True)
class HolderCertificate:
    """A certificate as its holder sees it on /learn/, with how often it was checked."""

    certificate: Certificate
    status: str
    verify_url: str
    check_count: int
    last_checked_at: datetime | None
    recent_checks: tuple[datetime, ...]


RECENT_CHECKS_SHOWN = 5


def holder_certificates(*, learner) -> list[HolderCertificate]:
    """The learner's current certificates with check counts: two queries in all."""
    certificates = list(
        Certificate.objects.filter(learner=learner, replaced_at__isnull=True)
        .annotate(
            check_count=Count("verifications"),
            last_checked_at=Max("verifications__verified_at"),
        )
        .order_by("-issued_at", "-pk")
    )
    recent: dict[int, list[datetime]] = {c.pk: [] for c in certificates}
    if certificates:
        rows = (
            Verification.objects.filter(certificate__in=list(recent))
            .annotate(
                place=Window(
                    RowNumber(),
                    partition_by=[F("certificate_id")],
                    order_by=F("verified_at").desc(),
                )
            )
            .filter(place__lte=RECENT_CHECKS_SHOWN)
            .order_by("certificate_id", "-verified_at")
            .values_list("certificate_id", "verified_at")
        )
        for certificate_id, verified_at in rows:
            recent[certificate_id].append(verified_at)
    now = timezone.now()
    return [
        HolderCertificate(
            certificate=c,
            status=str(c.status_at(now).value),
            verify_url=verify_url(c),
            check_count=c.check_count,
            last_checked_at=c.last_checked_at,
            recent_checks=tuple(recent[c.pk]),
        )
        for c in certificates
    ]


def certificates_for_download(*, course=None, cohort=None) -> list[Certificate]:
    """Current certificates of a course or a cohort, for a trainer's ZIP."""
    queryset = Certificate.objects.filter(
        replaced_at__isnull=True, withdrawn_at__isnull=True
    )
    if cohort is not None:
        queryset = queryset.filter(enrolment__cohort=cohort)
    if course is not None:
        queryset = queryset.filter(course=course)
    return list(queryset.order_by("course_title", "code"))


def name_changes(*, learner, since: datetime | None = None) -> int:
    """How many times the learner's printed name replaced their certificates.

    Each change replaces every current certificate once, so the course whose
    certificate was replaced most often has seen every change. One grouped
    query.
    """
    replaced = Certificate.objects.filter(
        learner=learner, replacement_reason=Certificate.Replacement.NAME_CHANGE
    )
    if since is not None:
        replaced = replaced.filter(replaced_at__gte=since)
    counts = replaced.values("course_id").annotate(changes=Count("id"))
    return max((row["changes"] for row in counts), default=0)


@dataclass(frozen=True)
class StatusListUsage:
    """How much of the revocation list is taken: every certificate holds a slot."""

    used: int
    highest_index: int

    @property
    def size(self) -> int:
        """The size the list has now (it grows as it fills)."""
        return status_list.list_size(used=self.used, highest_index=self.highest_index)

    @property
    def capacity(self) -> int:
        """Every slot the list can ever offer."""
        return status_list.CAPACITY

    @property
    def share_of_capacity(self) -> float:
        return self.used / self.capacity

    @property
    def needs_attention(self) -> bool:
        return self.share_of_capacity >= status_list.WARN_AT


def status_list_usage() -> StatusListUsage:
    """Return the slots in use and the highest of them, in one query."""
    totals = Certificate.objects.aggregate(
        used=Count("pk"), highest=Max("status_list_index")
    )
    highest = totals["highest"]
    return StatusListUsage(
        used=totals["used"], highest_index=-1 if highest is None else highest
    )


def revoked_status_indexes() -> list[int]:
    """Slots whose bit is set: revoked, replaced and withdrawn certificates."""
    return list(
        Certificate.objects.filter(
            Q(revoked_at__isnull=False)
            | Q(replaced_at__isnull=False)
            | Q(withdrawn_at__isnull=False)
        ).values_list("status_list_index", flat=True)
    )


def signed_status_list() -> dict[str, Any]:
    """Return the signed BitstringStatusListCredential, built once and cached.

    One small query finds the revoked slots; the signed list for that set is
    cached, so revoking or replacing a certificate changes it at once.
    """
    revoked = sorted(revoked_status_indexes())
    size = status_list_usage().size
    # The key names the revoked slots and the size, so a copy built from older
    # data (say, by a request racing a revocation) is never served for newer.
    digest = hashlib.sha256(repr((size, revoked)).encode()).hexdigest()
    key = f"{STATUS_LIST_CACHE_KEY}:{digest}"
    document = cache.get(key)
    if document is None:
        now = timezone.now()
        unsigned = build_status_list_credential(
            url=status_list_url(),
            issuer_did=site_did(),
            revoked_indexes=revoked,
            valid_from=now,
            size=size,
        )
        document = add_proof(
            unsigned,
            private_key=site_private_key(),
            verification_method=site_verification_method(),
            created=now,
        )
        cache.set(key, document, STATUS_LIST_CACHE_SECONDS)
    return document


def did_document() -> dict[str, Any]:
    """Return this site's did:web document, publishing the signing key."""
    return build_did_document(did=site_did(), public_key=site_public_key())


def is_revoked_here(index: int) -> bool:
    """Answer for verify_credential: is this slot revoked in this site's records?"""
    return Certificate.objects.filter(
        Q(revoked_at__isnull=False)
        | Q(replaced_at__isnull=False)
        | Q(withdrawn_at__isnull=False),
        status_list_index=index,
    ).exists()


def _day(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    return timezone.localtime(moment).date()


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
