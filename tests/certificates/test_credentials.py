"""Open Badges 3.0 credential, status list credential and DID document."""

import copy
import json
from dataclasses import FrozenInstanceError, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from certificates.credentials import (
    AchievementFacts,
    CertificateFacts,
    IssuerFacts,
    build_did_document,
    build_open_badge_credential,
    build_status_list_credential,
    did_web_for,
    verification_method_for,
)
from certificates.linked_data import canonicalize
from certificates.signing import (
    add_proof,
    generate_private_key,
    public_key_from_multibase,
    verify_proof,
)
from certificates.status_list import decode_status_list, is_set
from certificates.verification import (
    Outcome,
    validate_schema,
    verify_credential_document,
)

pytestmark = pytest.mark.usefixtures("no_network")

SITE = "https://circles.example"
DID = "did:web:circles.example"
ISSUED = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
EXPIRES = datetime(2029, 3, 1, 9, 0, tzinfo=UTC)

ISSUER = IssuerFacts(did=DID, name="Circles Peer Mentor Training", url=f"{SITE}/")
ACHIEVEMENT = AchievementFacts(
    url=f"{SITE}/courses/peer-mentoring-foundations/",
    name="Peer Mentoring Foundations",
    description="Trauma-informed peer mentoring: listening, boundaries, referral.",
    hours=Decimal("12.50"),
    criteria="Completed every lesson and passed every quiz of the course.",
)
CERTIFICATE = CertificateFacts(
    credential_url=f"{SITE}/api/v1/certificates/ABCD-EFGH-JKMN/credential",
    printed_name="Amara O.",
    valid_from=ISSUED,
    valid_until=EXPIRES,
    status_list_url=f"{SITE}/status/1",
    status_list_index=94567,
)


@pytest.fixture(scope="module")
def key():
    return generate_private_key()


def build(**certificate_changes):
    return build_open_badge_credential(
        issuer=ISSUER,
        achievement=ACHIEVEMENT,
        certificate=replace(CERTIFICATE, **certificate_changes),
    )


def sign(document, key, *, method=None):
    return add_proof(
        document,
        private_key=key,
        verification_method=method or verification_method_for(DID),
        created=ISSUED,
    )


@pytest.fixture(scope="module")
def signed(key):
    return sign(build(), key)


# --- The credential ---


def test_credential_follows_the_design_exactly():
    assert build() == {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "https://circles.example/api/v1/certificates/ABCD-EFGH-JKMN/credential",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Peer Mentoring Foundations",
        "issuer": {
            "id": "did:web:circles.example",
            "type": ["Profile"],
            "name": "Circles Peer Mentor Training",
            "url": "https://circles.example/",
        },
        "validFrom": "2026-03-01T09:00:00Z",
        "validUntil": "2029-03-01T09:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": "Amara O.",
                }
            ],
            "achievement": {
                "id": "https://circles.example/courses/peer-mentoring-foundations/",
                "type": ["Achievement"],
                "name": "Peer Mentoring Foundations",
                "description": (
                    "Trauma-informed peer mentoring: listening, boundaries, "
                    "referral.\n\nCourse length: 12.5 hours."
                ),
                "criteria": {
                    "narrative": (
                        "Completed every lesson and passed every quiz of the course."
                    )
                },
            },
        },
        "credentialStatus": {
            "id": "https://circles.example/status/1#94567",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "94567",
            "statusListCredential": "https://circles.example/status/1",
        },
    }


def test_inputs_are_frozen():
    with pytest.raises(FrozenInstanceError):
        CERTIFICATE.printed_name = "someone else"


def test_no_expiry_means_no_valid_until():
    credential = build(valid_until=None)
    assert "validUntil" not in credential
    assert validate_schema(credential) == []


def test_times_are_utc_date_times():
    local = datetime(2026, 3, 1, 11, 0, 0, 123, tzinfo=UTC).astimezone(
        datetime.now().astimezone().tzinfo
    )
    assert build(valid_from=local)["validFrom"] == "2026-03-01T11:00:00Z"


def test_status_entry_points_at_the_list_with_its_own_id():
    status = build()["credentialStatus"]
    assert status["statusListCredential"].endswith("/status/1")
    assert status["id"] != status["statusListCredential"]
    assert status["statusListIndex"].isdigit()


@pytest.mark.parametrize(
    ("hours", "text"),
    [(1, "1 hour."), (Decimal("2"), "2 hours."), (Decimal("10.0"), "10 hours.")],
)
def test_hours_are_written_in_the_description(hours, text):
    achievement = replace(ACHIEVEMENT, hours=hours)
    credential = build_open_badge_credential(
        issuer=ISSUER, achievement=achievement, certificate=CERTIFICATE
    )
    assert credential["credentialSubject"]["achievement"]["description"].endswith(text)


def test_text_is_cleaned_of_characters_that_cannot_be_signed_portably():
    credential = build(printed_name="  Amara\x0c O.\x00 ")
    assert credential["credentialSubject"]["identifier"][0]["identityHash"] == (
        "Amara O."
    )
    canonicalize(credential)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"credential_url": "/api/v1/certificates/X/credential"}, "credential URL"),
        ({"status_list_url": "status/1"}, "status list URL"),
        ({"printed_name": " \x00 "}, "printed name is empty"),
        ({"valid_from": datetime(2026, 3, 1)}, "timezone"),
        ({"valid_until": ISSUED}, "expire after"),
        ({"status_list_index": -1}, "status list index"),
        ({"status_list_index": True}, "status list index"),
    ],
)
def test_bad_certificate_facts_are_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        build(**changes)


@pytest.mark.parametrize(
    ("issuer", "achievement", "message"),
    [
        (replace(ISSUER, did="circles.example"), ACHIEVEMENT, "not a DID"),
        (replace(ISSUER, url="circles.example"), ACHIEVEMENT, "issuer URL"),
        (ISSUER, replace(ACHIEVEMENT, url="courses/x/"), "achievement URL"),
        (ISSUER, replace(ACHIEVEMENT, hours=0), "more than zero"),
        (ISSUER, replace(ACHIEVEMENT, name=""), "course name is empty"),
    ],
)
def test_bad_issuer_or_achievement_facts_are_refused(issuer, achievement, message):
    with pytest.raises(ValueError, match=message):
        build_open_badge_credential(
            issuer=issuer, achievement=achievement, certificate=CERTIFICATE
        )


def test_every_term_is_defined_and_every_id_absolute():
    """Strict canonicalization fails on any undefined term or relative IRI."""
    canonical = canonicalize(build())
    assert "<did:web:circles.example>" in canonical
    # The issuer's url carries the OB context's published anyURI spelling.
    assert (
        '"https://circles.example/"^^<https://www.w3.org/2001/XMLSchema#anyURI>'
        in canonical
    )


# --- Schema ---


def test_built_and_signed_credentials_match_the_ob_schema(signed):
    assert validate_schema(build()) == []
    assert validate_schema(signed) == []
    assert validate_schema(json.loads(json.dumps(signed))) == []


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("credentialSubject", "achievement", "name"), None, "'name' is a required"),
        (("credentialSubject", "identifier", 0, "hashed"), "no", "not of type"),
        (("credentialSubject", "identifier", 0, "type"), "Person", "IdentityObject"),
        (("validFrom",), "1 March 2026", "date-time"),
        (("validFrom",), "2026-03-01T09:00:00", "date-time"),  # no timezone
        (("validUntil",), "2026-02-30T09:00:00Z", "date-time"),
        (("type",), ["VerifiableCredential"], "does not contain items"),
        (("@context",), ["https://www.w3.org/ns/credentials/v2"], "too short"),
    ],
)
def test_schema_reports_what_is_wrong(path, value, message):
    credential = build()
    target = credential
    for part in path[:-1]:
        target = target[part]
    if value is None:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    errors = validate_schema(credential)
    assert errors
    assert any(message in error for error in errors), errors


def test_schema_error_messages_name_the_field():
    credential = build()
    credential["credentialSubject"]["identifier"][0]["hashed"] = "no"
    assert validate_schema(credential) == [
        "credentialSubject.identifier[0].hashed: 'no' is not of type 'boolean'"
    ]


@pytest.mark.parametrize("value", [None, [], "credential", 5])
def test_schema_reports_documents_that_are_not_objects(value):
    assert validate_schema(value)


# --- Signing and tampering ---


def test_sign_and_verify_round_trip(signed, key):
    assert verify_proof(signed, public_key=key.public_key())
    assert verify_proof(json.loads(json.dumps(signed)), public_key=key.public_key())


def test_wrong_key_fails(signed):
    assert not verify_proof(signed, public_key=generate_private_key().public_key())


def leaves(value, path=()):
    """Yield the path of every leaf (string, number, boolean, null) in value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    else:
        yield path


def members(value, path=()):
    """Yield the path of every object member and list item in value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key)
            yield from members(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*path, index)
            yield from members(item, (*path, index))


def tampered(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, str):
        return value + "x"
    return "x"


def test_changing_any_leaf_breaks_the_signature(signed, key):
    paths = list(leaves(signed))
    assert len(paths) > 30
    for path in paths:
        document = copy.deepcopy(signed)
        target = document
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = tampered(target[path[-1]])
        assert not verify_proof(document, public_key=key.public_key()), path


def test_removing_any_member_breaks_the_signature(signed, key):
    for path in members(signed):
        document = copy.deepcopy(signed)
        target = document
        for part in path[:-1]:
            target = target[part]
        del target[path[-1]]
        assert not verify_proof(document, public_key=key.public_key()), path


def test_adding_a_member_anywhere_breaks_the_signature(signed, key):
    objects = [()] + [
        path
        for path in members(signed)
        if isinstance(_get(signed, path), dict) and path[0] != "proof"
    ]
    for path in objects:
        for name, value in [("name", "Someone Else"), ("unknownTerm", "x")]:
            document = copy.deepcopy(signed)
            target = _get(document, path)
            if name in target:
                continue
            target[name] = value
            assert not verify_proof(document, public_key=key.public_key()), path


def _get(value, path):
    for part in path:
        value = value[part]
    return value


# --- Verification report ---

NOW = datetime(2027, 1, 1, tzinfo=UTC)


def test_report_for_a_good_credential(signed, key):
    report = verify_credential_document(
        signed, public_key=key.public_key(), is_revoked=lambda index: False, now=NOW
    )
    assert report.verified
    assert {name: check.outcome for name, check in report.checks.items()} == {
        "signature": Outcome.PASSED,
        "schema": Outcome.PASSED,
        "status": Outcome.PASSED,
        "validity": Outcome.PASSED,
    }
    assert report.messages == [
        "signature: The signature is valid.",
        "schema: The credential matches the OB 3.0 schema.",
        "status: The credential has not been revoked.",
        "validity: The credential is valid until 2029-03-01.",
    ]


def test_report_asks_about_the_credentials_own_index(signed, key):
    asked = []
    verify_credential_document(
        signed,
        public_key=key.public_key(),
        is_revoked=lambda index: asked.append(index) or False,
        now=NOW,
    )
    assert asked == [94567]


def test_report_for_a_revoked_credential(signed, key):
    report = verify_credential_document(
        signed, public_key=key.public_key(), is_revoked=lambda i: i == 94567, now=NOW
    )
    assert not report.verified
    assert report.signature.passed and report.schema.passed
    assert report.status.outcome is Outcome.FAILED
    assert report.status.messages == ("The credential has been revoked.",)


def test_report_revocation_against_a_real_status_list(signed, key):
    revoked = build_status_list_credential(
        url=f"{SITE}/status/1",
        issuer_did=DID,
        revoked_indexes=[94567],
        valid_from=ISSUED,
    )["credentialSubject"]["encodedList"]
    report = verify_credential_document(
        signed,
        public_key=key.public_key(),
        is_revoked=lambda index: is_set(revoked, index),
        now=NOW,
    )
    assert report.status.outcome is Outcome.FAILED


def test_report_without_a_status_check(signed, key):
    report = verify_credential_document(
        signed, public_key=key.public_key(), is_revoked=None, now=NOW
    )
    assert report.status.outcome is Outcome.SKIPPED
    assert report.status.messages == ("Revocation was not checked.",)
    assert report.verified


@pytest.mark.parametrize(
    ("now", "message"),
    [
        (ISSUED - timedelta(seconds=1), "not valid until 2026-03-01"),
        (EXPIRES, "expired on 2029-03-01"),
    ],
)
def test_report_outside_the_validity_period(signed, key, now, message):
    report = verify_credential_document(
        signed, public_key=key.public_key(), is_revoked=None, now=now
    )
    assert not report.verified
    assert report.validity.outcome is Outcome.FAILED
    assert message in report.validity.messages[0]


def test_report_for_a_credential_without_expiry(key):
    document = sign(build(valid_until=None), key)
    report = verify_credential_document(
        document, public_key=key.public_key(), is_revoked=None, now=NOW
    )
    assert report.verified
    assert report.validity.messages == ("The credential is valid and does not expire.",)


def test_report_for_a_tampered_credential(signed, key):
    document = copy.deepcopy(signed)
    document["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else"
    report = verify_credential_document(
        document, public_key=key.public_key(), is_revoked=None, now=NOW
    )
    assert not report.verified
    assert report.signature.outcome is Outcome.FAILED
    assert "changed after signing" in report.signature.messages[0]
    assert report.schema.passed


def test_report_for_the_wrong_key(signed):
    report = verify_credential_document(
        signed,
        public_key=generate_private_key().public_key(),
        is_revoked=None,
        now=NOW,
    )
    assert report.signature.outcome is Outcome.FAILED


def test_report_for_a_key_the_issuer_does_not_control(key):
    document = sign(build(), key, method="did:web:elsewhere.example#key-1")
    assert verify_proof(document, public_key=key.public_key())
    report = verify_credential_document(
        document, public_key=key.public_key(), is_revoked=None, now=NOW
    )
    assert report.signature.outcome is Outcome.FAILED
    assert "issuer does not control" in report.signature.messages[0]


@pytest.mark.parametrize(
    "document",
    [None, [], "x", {}, {"proof": {"type": "DataIntegrityProof"}}],
)
def test_report_never_raises_for_malformed_documents(document, key):
    report = verify_credential_document(
        document, public_key=key.public_key(), is_revoked=lambda i: False, now=NOW
    )
    assert not report.verified
    assert report.signature.outcome is Outcome.FAILED
    assert report.schema.outcome is Outcome.FAILED
    assert all(report.messages)


@pytest.mark.parametrize(
    "status",
    [
        None,
        {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"},
        {"type": "BitstringStatusListEntry", "statusPurpose": "suspension",
         "statusListIndex": "1"},
        {"type": "BitstringStatusListEntry", "statusPurpose": "revocation",
         "statusListIndex": 7},
        {"type": "BitstringStatusListEntry", "statusPurpose": "revocation",
         "statusListIndex": "-7"},
        {"type": "BitstringStatusListEntry", "statusPurpose": "revocation",
         "statusListIndex": "9" * 5000},
    ],
)  # fmt: skip
def test_report_for_malformed_status_entries(signed, key, status):
    document = copy.deepcopy(signed)
    if status is None:
        del document["credentialStatus"]
    else:
        document["credentialStatus"] = status
    report = verify_credential_document(
        document, public_key=key.public_key(), is_revoked=lambda i: False, now=NOW
    )
    assert report.status.outcome is Outcome.FAILED


def test_report_refuses_a_naive_now(signed, key):
    with pytest.raises(ValueError, match="aware"):
        verify_credential_document(
            signed,
            public_key=key.public_key(),
            is_revoked=None,
            now=datetime(2027, 1, 1),
        )


# --- Status list credential ---


def test_status_list_credential_shape():
    credential = build_status_list_credential(
        url=f"{SITE}/status/1",
        issuer_did=DID,
        revoked_indexes=[],
        valid_from=ISSUED,
    )
    encoded = credential["credentialSubject"].pop("encodedList")
    assert credential == {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "https://circles.example/status/1",
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": "did:web:circles.example",
        "validFrom": "2026-03-01T09:00:00Z",
        "credentialSubject": {
            "id": "https://circles.example/status/1#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
        },
    }
    assert decode_status_list(encoded) == bytes(16_384)


def test_status_list_bit_flips_when_a_certificate_is_revoked(key):
    def status_list(revoked):
        return sign(
            build_status_list_credential(
                url=f"{SITE}/status/1",
                issuer_did=DID,
                revoked_indexes=revoked,
                valid_from=ISSUED,
            ),
            key,
        )

    before = status_list([7])
    after = status_list([7, 94567])
    for document in (before, after):
        assert verify_proof(document, public_key=key.public_key())
    assert not is_set(before["credentialSubject"]["encodedList"], 94567)
    assert is_set(after["credentialSubject"]["encodedList"], 94567)
    assert is_set(after["credentialSubject"]["encodedList"], 7)

    forged = copy.deepcopy(after)
    forged["credentialSubject"]["encodedList"] = before["credentialSubject"][
        "encodedList"
    ]
    assert not verify_proof(forged, public_key=key.public_key())


def test_status_list_credential_refuses_bad_input():
    with pytest.raises(ValueError):
        build_status_list_credential(
            url="/status/1", issuer_did=DID, revoked_indexes=[], valid_from=ISSUED
        )
    with pytest.raises(ValueError, match="outside"):
        build_status_list_credential(
            url=f"{SITE}/status/1",
            issuer_did=DID,
            revoked_indexes=[131_072],
            valid_from=ISSUED,
        )


# --- DID ---


def test_did_document(key):
    document = build_did_document(did=DID, public_key=key.public_key())
    multibase = document["verificationMethod"][0]["publicKeyMultibase"]
    assert document == {
        "@context": [
            "https://www.w3.org/ns/did/v1",
            "https://w3id.org/security/multikey/v1",
        ],
        "id": "did:web:circles.example",
        "verificationMethod": [
            {
                "id": "did:web:circles.example#key-1",
                "type": "Multikey",
                "controller": "did:web:circles.example",
                "publicKeyMultibase": multibase,
            }
        ],
        "assertionMethod": ["did:web:circles.example#key-1"],
    }
    assert multibase.startswith("z6Mk")
    restored = public_key_from_multibase(multibase)
    assert restored.public_bytes_raw() == key.public_key().public_bytes_raw()
    canonicalize(document)  # strict: every term defined by the two contexts


def test_the_did_document_key_verifies_the_credential(signed, key):
    """What a verifier does: resolve the DID, take key-1, check the proof."""
    did_document = json.loads(
        json.dumps(build_did_document(did=DID, public_key=key.public_key()))
    )
    method_id = signed["proof"]["verificationMethod"]
    assert method_id in did_document["assertionMethod"]
    (method,) = [m for m in did_document["verificationMethod"] if m["id"] == method_id]
    public_key = public_key_from_multibase(method["publicKeyMultibase"])
    assert verify_proof(signed, public_key=public_key)


@pytest.mark.parametrize(
    ("site_url", "did"),
    [
        ("https://circles.example", "did:web:circles.example"),
        ("https://circles.example/", "did:web:circles.example"),
        ("https://Circles.Example/", "did:web:circles.example"),
        ("https://circles.example:8443/", "did:web:circles.example%3A8443"),
        ("https://circles.example:443/", "did:web:circles.example"),
        ("http://localhost:8000", "did:web:localhost%3A8000"),
        ("https://bücher.example", "did:web:xn--bcher-kva.example"),
    ],
)
def test_did_web_for(site_url, did):
    assert did_web_for(site_url) == did


@pytest.mark.parametrize(
    "site_url",
    [
        "circles.example",
        "ftp://circles.example",
        "https://circles.example/learn/",
        "https://circles.example/?x=1",
        "https://user:pass@circles.example/",
        "https://[::1]:8000/",
        "https://circles.example:port/",
    ],
)
def test_did_web_for_refuses_urls_it_cannot_represent(site_url):
    with pytest.raises(ValueError):
        did_web_for(site_url)
