"""Open Badges 3.0 credentials, the revocation list and the issuer's DID document.

Builders here take plain values and return plain JSON-ready dicts; they hold
no database access and sign nothing (``signing.add_proof`` does). Their output
follows DESIGN.md, "The Open Badges 3.0 credential": every term is defined
by the two contexts named, every ``id`` is absolute, and every time is a UTC
dateTime, so the credentials verify with independent tools.
"""

from __future__ import annotations

import enum
import functools
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .signing import (
    CRYPTOSUITE,
    PROOF_PURPOSE,
    PROOF_TYPE,
    embedded_proof,
    format_datetime,
    public_key_multibase,
    verify_proof,
)
from .status_list import MIN_SIZE, encode_status_list

__all__ = [
    "DID_CONTEXTS",
    "OPEN_BADGE_CONTEXTS",
    "SCHEMA_PATH",
    "STATUS_LIST_CONTEXTS",
    "AchievementFacts",
    "CertificateFacts",
    "Check",
    "IssuerFacts",
    "Outcome",
    "VerificationReport",
    "build_did_document",
    "build_open_badge_credential",
    "build_status_list_credential",
    "did_web_for",
    "validate_schema",
    "verification_method_for",
    "verify_credential_document",
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
SCHEMA_PATH = (
    Path(__file__).resolve().parent
    / "schemas"
    / "ob_v3p0_achievementcredential_schema.json"
)
STATUS_PURPOSE = "revocation"
KEY_FRAGMENT = "key-1"

# Characters RDFC-1.0 and PyLD serialize differently (see linked_data); text
# from trainers and learners is cleaned of them so that it can be signed.
_UNPORTABLE_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DIGITS = re.compile(r"[0-9]+")
_RFC3339_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})"
)
_MAX_INDEX_DIGITS = 15
_RFC3339_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


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


# --- Checking ---------------------------------------------------------------


@functools.cache
def _schema_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_bytes())
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema, format_checker=_format_checker())


def _format_checker() -> jsonschema.FormatChecker:
    # jsonschema checks "date-time" only with an optional package installed;
    # the OB schema relies on it, so check it here, offline and strictly.
    checker = jsonschema.FormatChecker(formats=())

    @checker.checks("date-time", raises=ValueError)
    def is_datetime(value: object) -> bool:
        if isinstance(value, str):
            _parse_datetime(value)
        return True

    @checker.checks("date", raises=ValueError)
    def is_date(value: object) -> bool:
        if not isinstance(value, str):
            return True
        if not _RFC3339_DATE.fullmatch(value):
            return False
        datetime.strptime(value, "%Y-%m-%d")
        return True

    return checker


def validate_schema(credential: Any) -> list[str]:
    """Return why credential fails 1EdTech's OB 3.0 JSON Schema; [] if it passes.

    Uses the schema committed in certificates/schemas, offline. A single
    proof object is checked as a list of one: VC Data Integrity writes one
    proof that way and JSON-LD reads it as a set of one, but the schema spells
    only the list form.
    """
    if isinstance(credential, Mapping) and isinstance(credential.get("proof"), Mapping):
        credential = {**credential, "proof": [credential["proof"]]}
    errors = sorted(
        _schema_validator().iter_errors(credential),
        key=lambda error: (list(map(str, error.absolute_path)), error.message),
    )
    return [f"{_json_path(error.absolute_path)}: {error.message}" for error in errors]


class Outcome(enum.StrEnum):
    """How one check ended."""

    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Check:
    """The outcome of one verification check, with messages for people."""

    outcome: Outcome
    messages: tuple[str, ...]

    @property
    def passed(self) -> bool:
        """Return True only for a check that ran and passed."""
        return self.outcome is Outcome.PASSED


@dataclass(frozen=True)
class VerificationReport:
    """What verify_credential_document found, check by check."""

    signature: Check
    schema: Check
    status: Check
    validity: Check

    @property
    def checks(self) -> dict[str, Check]:
        """Return every check by name, in the order they matter."""
        return {
            "signature": self.signature,
            "schema": self.schema,
            "status": self.status,
            "validity": self.validity,
        }

    @property
    def verified(self) -> bool:
        """Return True when signature and schema passed and no check failed."""
        return (
            self.signature.passed
            and self.schema.passed
            and all(c.outcome is not Outcome.FAILED for c in self.checks.values())
        )

    @property
    def messages(self) -> list[str]:
        """Return every message, prefixed by its check's name."""
        return [
            f"{name}: {message}"
            for name, check in self.checks.items()
            for message in check.messages
        ]


def verify_credential_document(
    document: Any,
    *,
    public_key: Ed25519PublicKey,
    is_revoked: Callable[[int], bool] | None,
    now: datetime | None = None,
) -> VerificationReport:
    """Return a report on a credential: signature, schema, status and validity.

    Never raises for a malformed document. is_revoked answers for a status
    list index; None skips the revocation check (reported as skipped). now,
    an aware datetime, defaults to the current time.
    """
    if now is not None and now.utcoffset() is None:
        raise ValueError("now must be an aware datetime.")
    return VerificationReport(
        signature=_check_signature(document, public_key),
        schema=_check_schema(document),
        status=_check_status(document, is_revoked),
        validity=_check_validity(document, now or datetime.now(UTC)),
    )


def _check_signature(document: Any, public_key: Ed25519PublicKey) -> Check:
    proof = embedded_proof(document)
    if proof is None:
        return _failed("The credential has no proof, or more than one.")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        return _failed(f"The proof is not a {PROOF_TYPE} using {CRYPTOSUITE}.")
    if proof.get("proofPurpose") != PROOF_PURPOSE:
        return _failed(f"The proof's purpose is not {PROOF_PURPOSE}.")
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    method = proof.get("verificationMethod")
    if not isinstance(method, str) or method.split("#", 1)[0] != issuer_id:
        return _failed("The proof was made with a key the issuer does not control.")
    if not verify_proof(document, public_key=public_key):
        return _failed(
            "The signature does not match: the credential was changed after "
            "signing, or signed with another key."
        )
    return Check(Outcome.PASSED, ("The signature is valid.",))


def _check_schema(document: Any) -> Check:
    errors = validate_schema(document)
    if errors:
        return Check(Outcome.FAILED, tuple(errors))
    return Check(Outcome.PASSED, ("The credential matches the OB 3.0 schema.",))


def _check_status(document: Any, is_revoked: Callable[[int], bool] | None) -> Check:
    if is_revoked is None:
        return Check(Outcome.SKIPPED, ("Revocation was not checked.",))
    status = document.get("credentialStatus") if isinstance(document, Mapping) else None
    if not isinstance(status, Mapping):
        return _failed("The credential has no revocation status entry.")
    index = status.get("statusListIndex")
    if (
        status.get("type") != "BitstringStatusListEntry"
        or status.get("statusPurpose") != STATUS_PURPOSE
        or not isinstance(index, str)
        or not _DIGITS.fullmatch(index)
        or len(index) > _MAX_INDEX_DIGITS
    ):
        return _failed("The credential's revocation status entry is malformed.")
    if is_revoked(int(index)):
        return _failed("The credential has been revoked.")
    return Check(Outcome.PASSED, ("The credential has not been revoked.",))


def _check_validity(document: Any, now: datetime) -> Check:
    if not isinstance(document, Mapping):
        return _failed("The credential is not a JSON object.")
    try:
        valid_from = _parse_datetime(document.get("validFrom"))
        valid_until = (
            _parse_datetime(document["validUntil"])
            if "validUntil" in document
            else None
        )
    except ValueError:
        return _failed("The credential's validity dates are malformed.")
    if now < valid_from:
        return _failed(f"The credential is not valid until {_day(valid_from)}.")
    if valid_until is not None and now >= valid_until:
        return _failed(f"The credential expired on {_day(valid_until)}.")
    if valid_until is None:
        return Check(Outcome.PASSED, ("The credential is valid and does not expire.",))
    return Check(
        Outcome.PASSED, (f"The credential is valid until {_day(valid_until)}.",)
    )


# --- Helpers ----------------------------------------------------------------


def _failed(message: str) -> Check:
    return Check(Outcome.FAILED, (message,))


def _text(value: str, label: str) -> str:
    cleaned = _UNPORTABLE_CHARACTERS.sub("", value).strip()
    if not cleaned:
        raise ValueError(f"The {label} is empty.")
    return cleaned


def _describe(achievement: AchievementFacts) -> str:
    hours = Decimal(str(achievement.hours))
    if not hours.is_finite() or hours <= 0:
        raise ValueError("A course's hours must be a positive number.")
    # 12.50 -> "12.5", 12.0 -> "12", never "1.2E+1".
    amount = f"{hours.normalize():f}"
    length = f"Course length: {amount} hour{'' if hours == 1 else 's'}."
    description = _UNPORTABLE_CHARACTERS.sub("", achievement.description).strip()
    return f"{description}\n\n{length}" if description else length


def _require_absolute_url(url: str, label: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ValueError(f"The {label} must be an absolute http(s) URL: {url!r}.")


def _require_did(did: str) -> None:
    if not re.fullmatch(r"did:[a-z0-9]+:[A-Za-z0-9._:%-]+", did):
        raise ValueError(f"{did!r} is not a DID.")


def _parse_datetime(value: Any) -> datetime:
    """Return an RFC 3339 date-time (timezone required); raise ValueError."""
    match = _RFC3339_DATETIME.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"{value!r} is not a date-time with a timezone.")
    # datetime parses at most microseconds; RFC 3339 allows any precision.
    fraction = match.group(1) or ""
    text = value[: match.start(1)] + fraction[:7] if fraction else value[:19]
    return datetime.fromisoformat(text.upper() + match.group(2).upper())


def _day(moment: datetime) -> str:
    # ISO 8601: unambiguous everywhere and independent of the process locale.
    return moment.astimezone(UTC).date().isoformat()


def _json_path(path: Iterable[str | int]) -> str:
    rendered = "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in path
    )
    return rendered.lstrip(".") or "(credential)"
