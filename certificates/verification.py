"""Checking a credential: its signature, its schema, its revocation and its dates.

The verifier holds no database access: callers pass the public key and a
function that says whether a status-list index is revoked (or None to skip
that check). It never raises for a malformed document; a report says, check
by check, what passed, what failed and why.
"""

from __future__ import annotations

import enum
import functools
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .credentials import STATUS_PURPOSE
from .signing import (
    CRYPTOSUITE,
    PROOF_PURPOSE,
    PROOF_TYPE,
    embedded_proof,
    verify_proof,
)

__all__ = [
    "SCHEMA_PATH",
    "Check",
    "Outcome",
    "VerificationReport",
    "validate_schema",
    "verify_credential_document",
]

SCHEMA_PATH = (
    Path(__file__).resolve().parent
    / "schemas"
    / "ob_v3p0_achievementcredential_schema.json"
)
_RFC3339_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?"
    r"(?:[Zz]|[+-][0-9]{2}:[0-9]{2})"
)
_RFC3339_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DIGITS = re.compile(r"[0-9]+")
_MAX_INDEX_DIGITS = 15


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


def _parse_datetime(value: Any) -> datetime:
    """Return an RFC 3339 date-time (timezone required); raise ValueError.

    The pattern holds the text to RFC 3339, which datetime.fromisoformat
    reads more loosely; fromisoformat then reads it (any number of fraction
    digits, "Z" for UTC).
    """
    if not isinstance(value, str) or not _RFC3339_DATETIME.fullmatch(value):
        raise ValueError(f"{value!r} is not a date-time with a timezone.")
    return datetime.fromisoformat(value.upper())


def _day(moment: datetime) -> str:
    # ISO 8601: unambiguous everywhere and independent of the process locale.
    return moment.astimezone(UTC).date().isoformat()


def _json_path(path: Iterable[str | int]) -> str:
    rendered = "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in path
    )
    return rendered.lstrip(".") or "(credential)"
