"""Ed25519 keys and the eddsa-rdfc-2022 Data Integrity proof.

Implements the W3C "Data Integrity EdDSA Cryptosuites v1.0" Recommendation,
cryptosuite ``eddsa-rdfc-2022``, and reproduces its published test vectors:

- the proof configuration is the proof options (no ``proofValue``) carrying
  the document's ``@context``, canonicalized with RDFC-1.0;
- the signed data is sha256(canonical proof configuration) followed by
  sha256(canonical document without ``proof``);
- ``proofValue`` is ``z`` + base58btc of the 64-byte Ed25519 signature.

Public keys are written as Multikey: ``z`` + base58btc(0xed 0x01 + 32 bytes),
so they start ``z6Mk``.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from pyld.jsonld import JsonLdError

from .linked_data import CanonicalizationError, canonicalize

__all__ = [
    "CRYPTOSUITE",
    "PROOF_PURPOSE",
    "PROOF_TYPE",
    "SigningInput",
    "add_proof",
    "embedded_proof",
    "format_datetime",
    "generate_private_key",
    "load_private_key_pem",
    "private_key_to_pem",
    "public_key_from_multibase",
    "public_key_multibase",
    "signing_input",
    "verify_proof",
]

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_PURPOSE = "assertionMethod"

# Multicodec "ed25519-pub" (0xed) as an unsigned varint.
_ED25519_PUB_PREFIX = b"\xed\x01"
_MULTIBASE_BASE58BTC = "z"
_SIGNATURE_LENGTH = 64
_MAX_BASE58_LENGTH = 128

# XML Schema 1.1 dateTime (the Data Integrity rule for "created"); the
# timezone is optional there, but we always write one.
_XSD_DATETIME = re.compile(
    r"-?(?:[1-9][0-9]{3,}|0[0-9]{3})-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
    r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?"
    r"(?:Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
)

# Everything that canonicalizing, decoding or verifying untrusted input can
# raise; verify_proof turns these into False.
_BAD_INPUT = (
    CanonicalizationError,
    JsonLdError,
    InvalidSignature,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    RecursionError,
)


def generate_private_key() -> Ed25519PrivateKey:
    """Return a new Ed25519 private key from the operating system's CSPRNG."""
    return Ed25519PrivateKey.generate()


def load_private_key_pem(
    data: bytes, *, password: bytes | None = None
) -> Ed25519PrivateKey:
    """Return the Ed25519 private key in PEM data; raise ValueError otherwise."""
    try:
        key = serialization.load_pem_private_key(data, password=password)
    except TypeError as error:  # password given but not needed, or the reverse
        raise ValueError(str(error)) from error
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("The PEM data holds a private key, but not an Ed25519 one.")
    return key


def private_key_to_pem(
    key: Ed25519PrivateKey, *, password: bytes | None = None
) -> bytes:
    """Return key as PKCS#8 PEM, encrypted with password when one is given."""
    encryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    """Return the Multikey publicKeyMultibase of an Ed25519 key ("z6Mk...")."""
    raw = public_key.public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return _MULTIBASE_BASE58BTC + base58.b58encode(_ED25519_PUB_PREFIX + raw).decode(
        "ascii"
    )


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    """Return the Ed25519 key of a Multikey publicKeyMultibase; else ValueError."""
    raw = _decode_base58btc(value, what="publicKeyMultibase")
    if len(raw) != len(_ED25519_PUB_PREFIX) + 32 or not raw.startswith(
        _ED25519_PUB_PREFIX
    ):
        raise ValueError("publicKeyMultibase is not a 32-byte Ed25519 Multikey.")
    return Ed25519PublicKey.from_public_bytes(raw[len(_ED25519_PUB_PREFIX) :])


def format_datetime(moment: datetime) -> str:
    """Return moment as an XML Schema dateTime in UTC to the second ("...Z").

    Raises ValueError for a naive datetime: a credential's times must be exact.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("Credential times need a timezone (got a naive datetime).")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class SigningInput:
    """The intermediate values of eddsa-rdfc-2022, as the test vectors list them."""

    canonical_document: str
    canonical_proof_config: str

    @property
    def document_hash(self) -> bytes:
        """Return sha256 of the canonical document."""
        return hashlib.sha256(self.canonical_document.encode("utf-8")).digest()

    @property
    def proof_config_hash(self) -> bytes:
        """Return sha256 of the canonical proof configuration."""
        return hashlib.sha256(self.canonical_proof_config.encode("utf-8")).digest()

    @property
    def hash_data(self) -> bytes:
        """Return the 64 bytes that are signed: proof hash, then document hash."""
        return self.proof_config_hash + self.document_hash


def signing_input(
    document: Mapping[str, Any], proof_options: Mapping[str, Any]
) -> SigningInput:
    """Return what eddsa-rdfc-2022 signs for document under proof_options.

    document is the unsecured document (any "proof" is ignored); proof_options
    is the proof without proofValue. Raises ValueError (CanonicalizationError
    for JSON-LD problems) when either cannot be used.
    """
    if not isinstance(document, Mapping) or not isinstance(proof_options, Mapping):
        raise ValueError("The document and its proof options must be JSON objects.")
    if (
        proof_options.get("type") != PROOF_TYPE
        or proof_options.get("cryptosuite") != CRYPTOSUITE
    ):
        raise ValueError(f"The proof is not a {PROOF_TYPE} using {CRYPTOSUITE}.")
    created = proof_options.get("created")
    if created is not None and not (
        isinstance(created, str) and _XSD_DATETIME.fullmatch(created)
    ):
        raise ValueError("The proof's created value is not an XML Schema dateTime.")
    if "@context" not in document:
        raise ValueError("The document has no @context.")

    unsecured = {key: value for key, value in document.items() if key != "proof"}
    # The proof configuration is interpreted with the document's contexts.
    proof_config = {
        **{k: v for k, v in proof_options.items() if k != "proofValue"},
        "@context": unsecured["@context"],
    }
    return SigningInput(
        canonical_document=canonicalize(unsecured),
        canonical_proof_config=canonicalize(proof_config),
    )


def add_proof(
    document: Mapping[str, Any],
    *,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime,
    proof_purpose: str = PROOF_PURPOSE,
) -> dict[str, Any]:
    """Return a copy of document with an eddsa-rdfc-2022 DataIntegrityProof.

    The input is not changed. Raises ValueError if it already has a proof
    (proof sets are not supported) or cannot be canonicalized strictly.
    """
    if "proof" in document:
        raise ValueError("The document already has a proof.")
    if not verification_method:
        raise ValueError("A proof needs a verification method.")
    proof: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": format_datetime(created),
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    data = signing_input(document, proof)
    signature = private_key.sign(data.hash_data)
    proof["proofValue"] = _MULTIBASE_BASE58BTC + base58.b58encode(signature).decode(
        "ascii"
    )
    secured = copy.deepcopy(dict(document))
    secured["proof"] = proof
    return secured


def verify_proof(
    document: Any,
    *,
    public_key: Ed25519PublicKey,
    expected_proof_purpose: str = PROOF_PURPOSE,
) -> bool:
    """Return True only if document carries a valid eddsa-rdfc-2022 proof by key.

    False, never an exception, for anything else: a changed document or proof,
    another key, another proof type, cryptosuite or purpose, several proofs,
    a malformed proofValue, or a document that is not strict JSON-LD.
    """
    try:
        proof = embedded_proof(document)
        if proof is None:
            return False
        if proof.get("proofPurpose") != expected_proof_purpose or not isinstance(
            proof.get("verificationMethod"), str
        ):
            return False
        signature = _decode_base58btc(proof.get("proofValue"), what="proofValue")
        if len(signature) != _SIGNATURE_LENGTH:
            return False
        options = {key: value for key, value in proof.items() if key != "proofValue"}
        data = signing_input(document, options)
        public_key.verify(signature, data.hash_data)
    except _BAD_INPUT:
        return False
    return True


def embedded_proof(document: Any) -> Mapping[str, Any] | None:
    """Return the document's single proof, or None if it has none or several.

    A list holding one proof counts: JSON-LD reads a single proof as a set of
    one, and some tools (and 1EdTech's JSON Schema) write it that way.
    """
    if not isinstance(document, Mapping):
        return None
    proof = document.get("proof")
    if isinstance(proof, list) and len(proof) == 1:
        proof = proof[0]
    return proof if isinstance(proof, Mapping) else None


def _decode_base58btc(value: Any, *, what: str) -> bytes:
    if not isinstance(value, str) or not value.startswith(_MULTIBASE_BASE58BTC):
        raise ValueError(f"{what} is not Multibase base58btc (it must start with z).")
    # Base58 decoding is quadratic; nothing we read is longer than 88 digits.
    if len(value) > _MAX_BASE58_LENGTH:
        raise ValueError(f"{what} is too long.")
    try:
        return base58.b58decode(value[len(_MULTIBASE_BASE58BTC) :])
    except ValueError as error:
        raise ValueError(f"{what} is not valid base58btc.") from error
