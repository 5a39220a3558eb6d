"""Building Open Badges 3.0 credentials, the revocation list and the DID document.

Builders here take plain values and return plain JSON-ready dicts; they hold
no database access and sign nothing (``signing.add_proof`` does). Their output
follows DESIGN.md, "The Open Badges 3.0 credential": every term is defined
by the two contexts named, every ``id`` is absolute, and every time is a UTC
dateTime, so the credentials verify with independent tools. Checking a
credential is verification.py's job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .hours import certified_hours
from .linked_data import UNPORTABLE_CHARACTERS
from .signing import (
    format_datetime,
    public_key_multibase,
)
from .status_list import MIN_SIZE, encode_status_list

__all__ = [
    "DID_CONTEXTS",
    "OPEN_BADGE_CONTEXTS",
    "STATUS_LIST_CONTEXTS",
    "AchievementFacts",
    "CertificateFacts",
    "IssuerFacts",
    "build_did_document",
    "build_open_badge_credential",
    "build_status_list_credential",
    "did_web_for",
    "verification_method_for",
]

OPEN_BADGE_CONTEXTS = (
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
)
STATUS_LIST_CONTEXTS = ("https://www.w3.org/ns/credentials/v2",)
DID_CONTEXTS = (
    "https://www.w3.org/ns/did/v1",
    "https://w3id.org/security/multikey/v1",
)
STATUS_PURPOSE = "revocation"
KEY_FRAGMENT = "key-1"


# --- Inputs -----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class IssuerFacts:
    """Who issues: the site's did:web, its display name and home page URL."""

    did: str
    name: str
    url: str


@dataclass(frozen=True, kw_only=True)
class AchievementFacts:
    """What was achieved: the course, as snapshotted on the certificate."""

    url: str  # absolute and stable, e.g. the course page
    name: str
    description: str
    hours: Decimal | int | float
    criteria: str  # how it is earned, in plain words


@dataclass(frozen=True, kw_only=True)
class CertificateFacts:
    """One learner's certificate, as snapshotted when it was issued."""

    credential_url: str  # absolute URL where this credential is served
    printed_name: str  # the name the learner chose to print
    valid_from: datetime
    valid_until: datetime | None
    status_list_url: str  # absolute URL of /status/1
    status_list_index: int


# --- Builders ---------------------------------------------------------------


def build_open_badge_credential(
    *,
    issuer: IssuerFacts,
    achievement: AchievementFacts,
    certificate: CertificateFacts,
) -> dict[str, Any]:
    """Return the unsigned OpenBadgeCredential for one certificate.

    Raises ValueError for a relative URL, a DID that is not one, an empty
    name, a naive or inverted validity period, or a negative status index.
    """
    _require_did(issuer.did)
    for label, url in (
        ("issuer URL", issuer.url),
        ("achievement URL", achievement.url),
        ("credential URL", certificate.credential_url),
        ("status list URL", certificate.status_list_url),
    ):
        _require_absolute_url(url, label)
    index = certificate.status_list_index
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise ValueError("A status list index is a whole number from 0.")
    valid_from = format_datetime(certificate.valid_from)  # refuses naive times
    valid_until = None
    if certificate.valid_until is not None:
        valid_until = format_datetime(certificate.valid_until)
        if certificate.valid_until <= certificate.valid_from:
            raise ValueError("A certificate must expire after it becomes valid.")

    course_name = _text(achievement.name, "course name")
    credential: dict[str, Any] = {
        "@context": list(OPEN_BADGE_CONTEXTS),
        "id": certificate.credential_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        # OB 3.0 requires a display name for wallets; the course name is it.
        "name": course_name,
        "issuer": {
            "id": issuer.did,
            "type": ["Profile"],
            "name": _text(issuer.name, "issuer name"),
            "url": issuer.url,
        },
        "validFrom": valid_from,
    }
    if valid_until is not None:
        credential["validUntil"] = valid_until
    credential["credentialSubject"] = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": _text(certificate.printed_name, "printed name"),
            }
        ],
        "achievement": {
            "id": achievement.url,
            "type": ["Achievement"],
            "name": course_name,
            "description": _describe(achievement),
            "criteria": {"narrative": _text(achievement.criteria, "criteria")},
        },
    }
    credential["credentialStatus"] = {
        # The entry's id names this credential's slot; the list is elsewhere.
        "id": f"{certificate.status_list_url}#{certificate.status_list_index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": STATUS_PURPOSE,
        "statusListIndex": str(certificate.status_list_index),
        "statusListCredential": certificate.status_list_url,
    }
    return credential


def build_status_list_credential(
    *,
    url: str,
    issuer_did: str,
    revoked_indexes: Iterable[int],
    valid_from: datetime,
    size: int = MIN_SIZE,
) -> dict[str, Any]:
    """Return the unsigned BitstringStatusListCredential served at url.

    Bit i is set for every i in revoked_indexes. Raises ValueError for a
    relative url, a malformed DID, or an index outside the list.
    """
    _require_absolute_url(url, "status list URL")
    _require_did(issuer_did)
    return {
        "@context": list(STATUS_LIST_CONTEXTS),
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did,
        "validFrom": format_datetime(valid_from),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": STATUS_PURPOSE,
            "encodedList": encode_status_list(revoked_indexes, size=size),
        },
    }


def build_did_document(*, did: str, public_key: Ed25519PublicKey) -> dict[str, Any]:
    """Return the did:web document that publishes public_key as <did>#key-1.

    The key is a Multikey controlled by the DID and usable only to assert
    (sign credentials), not to authenticate as the site.
    """
    _require_did(did)
    key_id = verification_method_for(did)
    return {
        "@context": list(DID_CONTEXTS),
        "id": did,
        "verificationMethod": [
            {
                "id": key_id,
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": public_key_multibase(public_key),
            }
        ],
        "assertionMethod": [key_id],
    }


def verification_method_for(did: str) -> str:
    """Return the id of the site's signing key in its DID document."""
    return f"{did}#{KEY_FRAGMENT}"


def did_web_for(site_url: str) -> str:
    """Return the did:web DID of a site served at site_url ("did:web:host").

    A non-default port is written %3A<port>. Raises ValueError for a URL that
    is not http(s), has no host, or has a path: the DID document lives at
    /.well-known/did.json on the host itself.
    """
    parts = urlsplit(site_url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"{site_url!r} is not an http(s) URL with a host.")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError(f"{site_url!r} must be the site's root, without a path.")
    if parts.username is not None or parts.password is not None:
        raise ValueError(f"{site_url!r} must not contain credentials.")
    host = parts.hostname
    if ":" in host:
        raise ValueError("did:web cannot name a host by an IPv6 address.")
    port = parts.port  # raises ValueError for a port that is not a number
    host = host.encode("idna").decode("ascii")
    default_port = 443 if parts.scheme == "https" else 80
    if port is not None and port != default_port:
        return f"did:web:{host}%3A{port}"
    return f"did:web:{host}"


# --- Helpers ----------------------------------------------------------------


def _text(value: str, label: str) -> str:
    # Text from trainers and learners is cleaned of the characters RDFC-1.0
    # and PyLD serialize differently (linked_data), so that it can be signed.
    cleaned = UNPORTABLE_CHARACTERS.sub("", value).strip()
    if not cleaned:
        raise ValueError(f"The {label} is empty.")
    return cleaned


def _describe(achievement: AchievementFacts) -> str:
    hours = certified_hours(achievement.hours)
    # 12.50 -> "12.5", 12.0 -> "12", never "1.2E+1".
    amount = f"{hours.normalize():f}"
    length = f"Course length: {amount} hour{'' if hours == 1 else 's'}."
    description = UNPORTABLE_CHARACTERS.sub("", achievement.description).strip()
    return f"{description}\n\n{length}" if description else length


def _require_absolute_url(url: str, label: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ValueError(f"The {label} must be an absolute http(s) URL: {url!r}.")


def _require_did(did: str) -> None:
    if not re.fullmatch(r"did:[a-z0-9]+:[A-Za-z0-9._:%-]+", did):
        raise ValueError(f"{did!r} is not a DID.")
