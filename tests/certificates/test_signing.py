"""eddsa-rdfc-2022 against the published test vectors, and the offline JSON-LD."""

import copy
import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import base58
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certificates.linked_data import (
    CONTEXT_FILES,
    CanonicalizationError,
    ContextNotAvailable,
    canonicalize,
    context_bytes,
    load_document,
)
from certificates.signing import (
    add_proof,
    embedded_proof,
    format_datetime,
    generate_private_key,
    load_private_key_pem,
    private_key_to_pem,
    public_key_from_multibase,
    public_key_multibase,
    signing_input,
    verify_proof,
)

pytestmark = pytest.mark.usefixtures("no_network")

VECTORS = Path(__file__).parent / "vectors"
W3C = VECTORS / "w3c-vc-di-eddsa"
OB = VECTORS / "1edtech-ob-v3p0"

# Published digests: VC Data Model 2.0 and VC Data Integrity 1.0 list the
# first three; the others are pinned so nobody reformats a signed-over file.
CONTEXT_SHA256 = {
    "https://www.w3.org/ns/credentials/v2": (
        "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734"
    ),
    "https://w3id.org/security/multikey/v1": (
        "ba2c182de2d92f7e47184bcca8fcf0beaee6d3986c527bf664c195bbc7c58597"
    ),
    "https://w3id.org/security/data-integrity/v2": (
        "67f21e6e33a6c14e5ccfd2fc7865f7474fb71a04af7e94136cb399dfac8ae8f4"
    ),
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": (
        "ef2fa9c7846dce233cc166b43639027278be4ee44f00bb1d45c75de2dd0cd761"
    ),
    "https://www.w3.org/ns/did/v1": (
        "adefa50311393eb1bd788a38ac9fe2696c65367928f6996812cd54577394f4da"
    ),
    "https://www.w3.org/ns/credentials/examples/v2": (
        "57393fbc69d6efb9b9b5dc9cb6b9880b0944360abfe2eaf459c9e58cf2279d7c"
    ),
    "https://w3id.org/citizenship/v4rc1": (
        "5038c7383afd7ab2158f1b997913a8f60978a0abcf96e0b0d08e29f146d2db1e"
    ),
}


def read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def w3c_private_key() -> Ed25519PrivateKey:
    """The vc-di-eddsa key pair: secretKeyMultibase is z + base58(0x8026 + seed)."""
    pair = read_json(W3C / "keyPair.json")
    raw = base58.b58decode(pair["privateKeyMultibase"][1:])
    assert raw[:2] == b"\x80\x26"  # multicodec ed25519-priv
    return Ed25519PrivateKey.from_private_bytes(raw[2:])


# --- Bundled contexts --------------------------------------------------------


def test_every_context_is_bundled_byte_for_byte():
    assert set(CONTEXT_FILES) == set(CONTEXT_SHA256)
    for url, digest in CONTEXT_SHA256.items():
        assert hashlib.sha256(context_bytes(url)).hexdigest() == digest, url


def test_the_ob_context_keeps_its_published_xml_schema_spelling():
    ob = context_bytes("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json")
    assert b'"https://www.w3.org/2001/XMLSchema#anyURI"' in ob


def test_loader_serves_bundled_documents():
    remote = load_document("https://www.w3.org/ns/did/v1", {})
    assert remote["documentUrl"] == "https://www.w3.org/ns/did/v1"
    assert remote["contentType"] == "application/ld+json"
    assert remote["document"]["@context"]["@protected"] is True
    # A fresh copy each time, so callers cannot corrupt the next load.
    remote["document"]["@context"].clear()
    assert load_document("https://www.w3.org/ns/did/v1", {})["document"]["@context"]


@pytest.mark.parametrize(
    "url",
    [
        "https://www.w3.org/2018/credentials/v1",
        "http://www.w3.org/ns/credentials/v2",  # not the published URL
        "https://www.w3.org/ns/credentials/v2/",
        "https://evil.example/context.json",
    ],
)
def test_loader_refuses_everything_else_without_the_network(url):
    with pytest.raises(ContextNotAvailable, match="never fetched from the network"):
        load_document(url, {})
    with pytest.raises(ContextNotAvailable, match="not bundled"):
        canonicalize({"@context": [url], "@id": "urn:x", "urn:p": "v"})


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": ["VerifiableCredential"],
                "madeUp": "x",
            },
            "'madeUp' is not defined",
        ),
        (
            {
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": ["VerifiableCredential", "MadeUpCredential"],
            },
            "'MadeUpCredential' is neither an absolute IRI nor a term",
        ),
        (
            {
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": ["VerifiableCredential"],
                "id": "credentials/1",
            },
            "'credentials/1' is neither an absolute IRI",
        ),
        (
            {"@context": ["https://www.w3.org/ns/credentials/v2"], "name": "a\x0cb"},
            "control character",
        ),
        ("https://www.w3.org/ns/credentials/v2", "must be a JSON object"),
        ({"@context": 5}, "Invalid JSON-LD"),
    ],
)
def test_canonicalize_is_strict(document, message):
    with pytest.raises(CanonicalizationError, match=message):
        canonicalize(document)


def test_canonicalize_refuses_a_poisoned_dataset():
    # Eight blank nodes that all look alike, pointing at each other: each needs
    # the N-degree hash, and its cost grows factorially with the node count.
    nodes = [f"_:b{i}" for i in range(8)]
    graph = [
        {"@id": node, "urn:p": [{"@id": other} for other in nodes if other != node]}
        for node in nodes
    ]
    with pytest.raises(CanonicalizationError, match="dataset poisoning"):
        canonicalize({"@graph": graph})


def test_canonicalize_handles_alike_blank_nodes_that_are_not_poison():
    # Two interchangeable blank nodes: needs Hash N-Degree Quads once each.
    document = {
        "@id": "urn:root",
        "urn:p": [{"urn:q": {"@id": "urn:leaf"}}, {"urn:q": {"@id": "urn:leaf"}}],
    }
    assert canonicalize(document) == (
        "<urn:root> <urn:p> _:c14n0 .\n"
        "<urn:root> <urn:p> _:c14n1 .\n"
        "_:c14n0 <urn:q> <urn:leaf> .\n"
        "_:c14n1 <urn:q> <urn:leaf> .\n"
    )


def test_canonicalize_does_not_change_its_input():
    document = read_json(W3C / "employ" / "unsigned.json")
    before = copy.deepcopy(document)
    canonicalize(document)
    assert document == before


def test_canonicalize_is_not_confused_by_another_pyld_loader():
    """Contexts resolved by other code in the process cannot stand in for ours."""
    from pyld import jsonld

    fake = {"@context": {"alumniOf": "https://evil.example/alumniOf"}}
    try:
        jsonld.expand(
            {"@context": "https://www.w3.org/ns/credentials/examples/v2", "x": 1},
            {
                "documentLoader": lambda url, options: {
                    "contentType": "application/ld+json",
                    "contextUrl": None,
                    "documentUrl": url,
                    "document": fake,
                    "tag": "static",
                }
            },
        )
        document = read_json(W3C / "alumni" / "unsigned.json")
        expected = read_text(W3C / "alumni" / "canonDocDataInt.txt")
        assert canonicalize(document) == expected
    finally:
        jsonld._resolved_context_cache.clear()


def test_canonicalize_is_thread_safe():
    documents = [
        (read_json(W3C / name / "unsigned.json"), W3C / name / "canonDocDataInt.txt")
        for name in ("alumni", "employ")
    ] * 40
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda item: canonicalize(item[0]), documents))
    assert results == [read_text(path) for _, path in documents]


# --- W3C vc-di-eddsa test vectors (eddsa-rdfc-2022) -----------------------------


def test_w3c_key_pair():
    key = w3c_private_key()
    pair = read_json(W3C / "keyPair.json")
    assert public_key_multibase(key.public_key()) == pair["publicKeyMultibase"]
    restored = public_key_from_multibase(pair["publicKeyMultibase"])
    assert restored.public_bytes_raw() == key.public_key().public_bytes_raw()


@pytest.mark.parametrize("name", ["alumni", "employ"])
def test_w3c_vector_canonical_forms_hashes_and_signature(name):
    folder = W3C / name
    unsigned = read_json(folder / "unsigned.json")
    proof_config = read_json(folder / "proofConfigDataInt.json")
    # The published proof configuration is the proof options plus the
    # document's @context.
    assert proof_config["@context"] == unsigned["@context"]
    options = {k: v for k, v in proof_config.items() if k != "@context"}

    data = signing_input(unsigned, options)

    assert data.canonical_document == read_text(folder / "canonDocDataInt.txt")
    assert data.canonical_proof_config == read_text(folder / "proofCanonDataInt.txt")
    assert data.document_hash.hex() == read_text(folder / "docHashDataInt.txt").strip()
    assert data.proof_config_hash.hex() == (
        read_text(folder / "proofHashDataInt.txt").strip()
    )
    assert data.hash_data.hex() == read_text(folder / "combinedHashDataInt.txt").strip()

    signature = w3c_private_key().sign(data.hash_data)
    assert signature.hex() == read_text(folder / "sigHexDataInt.txt").strip()
    assert "z" + base58.b58encode(signature).decode() == (
        read_text(folder / "sigBTC58DataInt.txt").strip()
    )


@pytest.mark.parametrize("name", ["alumni", "employ"])
def test_w3c_vector_add_proof_gives_the_published_signed_document(name):
    folder = W3C / name
    unsigned = read_json(folder / "unsigned.json")
    proof_config = read_json(folder / "proofConfigDataInt.json")
    signed = add_proof(
        unsigned,
        private_key=w3c_private_key(),
        verification_method=proof_config["verificationMethod"],
        created=datetime.fromisoformat(proof_config["created"]),
    )
    assert signed == read_json(folder / "signedDataInt.json")
    # Same keys in the same order as published, too.
    assert json.dumps(signed) == json.dumps(read_json(folder / "signedDataInt.json"))


@pytest.mark.parametrize("name", ["alumni", "employ"])
def test_w3c_vector_signed_document_verifies(name):
    signed = read_json(W3C / name / "signedDataInt.json")
    public_key = w3c_private_key().public_key()
    assert verify_proof(signed, public_key=public_key)
    signed["name"] += "!"
    assert not verify_proof(signed, public_key=public_key)


# --- 1EdTech Open Badges 3.0 test vector -----------------------------------------


def test_1edtech_open_badges_vector():
    vector = read_json(OB / "vector.json")
    seed = bytes.fromhex(vector["privateKeyHex"])[:32]
    key = Ed25519PrivateKey.from_private_bytes(seed)
    assert key.public_key().public_bytes_raw().hex() == vector["publicKeyHex"]
    assert public_key_multibase(key.public_key()) == vector["publicKeyMultibase"]

    data = signing_input(vector["credential"], vector["proofOptions"])
    assert data.canonical_document == read_text(OB / "document-canon.txt")
    assert data.canonical_proof_config == read_text(OB / "proof-canon.txt")
    assert data.document_hash.hex() == vector["documentHashHex"]
    assert data.proof_config_hash.hex() == vector["proofHashHex"]
    assert data.hash_data.hex() == vector["dataToSignHex"]

    signed = add_proof(
        vector["credential"],
        private_key=key,
        verification_method=vector["proofOptions"]["verificationMethod"],
        created=datetime.fromisoformat(vector["proofOptions"]["created"]),
    )
    proof_value = signed["proof"]["proofValue"]
    assert base58.b58decode(proof_value[1:]).hex() == vector["signatureHex"]
    assert proof_value == vector["proofValue"]
    assert verify_proof(signed, public_key=key.public_key())


def test_1edtech_vector_depends_on_the_published_xml_schema_spelling():
    canonical = read_text(OB / "document-canon.txt")
    assert "^^<https://www.w3.org/2001/XMLSchema#anyURI>" in canonical


# --- Keys ----------------------------------------------------------------------


def test_pem_round_trip():
    key = generate_private_key()
    pem = private_key_to_pem(key)
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    loaded = load_private_key_pem(pem)
    assert loaded.private_bytes_raw() == key.private_bytes_raw()


def test_encrypted_pem_round_trip():
    key = generate_private_key()
    pem = private_key_to_pem(key, password=b"correct horse")
    assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    loaded = load_private_key_pem(pem, password=b"correct horse")
    assert loaded.private_bytes_raw() == key.private_bytes_raw()
    with pytest.raises(ValueError):
        load_private_key_pem(pem, password=b"wrong")
    with pytest.raises(ValueError):
        load_private_key_pem(pem)


def test_load_pem_refuses_other_keys_and_garbage():
    other = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(ValueError, match="not an Ed25519"):
        load_private_key_pem(other)
    with pytest.raises(ValueError):
        load_private_key_pem(b"-----BEGIN PRIVATE KEY-----\nnope\n")


@given(st.binary(min_size=32, max_size=32))
def test_multikey_starts_z6mk_and_round_trips(seed):
    public_key = Ed25519PrivateKey.from_private_bytes(seed).public_key()
    multibase = public_key_multibase(public_key)
    assert multibase.startswith("z6Mk")
    raw = base58.b58decode(multibase[1:])
    assert raw[:2] == b"\xed\x01" and len(raw) == 34
    assert raw[2:] == public_key.public_bytes_raw()
    restored = public_key_from_multibase(multibase)
    assert restored.public_bytes_raw() == public_key.public_bytes_raw()


@pytest.mark.parametrize(
    "value",
    [
        "6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",  # no multibase prefix
        "uAAAA",  # another multibase
        "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ",  # one digit short
        "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ0",  # 0 is not base58
        "z" + base58.b58encode(b"\xec\x01" + bytes(32)).decode(),  # X25519
        "z" + base58.b58encode(b"\xed\x01" + bytes(33)).decode(),
        "z" + "1" * 200,
        "",
        None,
    ],
)
def test_public_key_from_multibase_refuses_anything_else(value):
    with pytest.raises(ValueError):
        public_key_from_multibase(value)


# --- add_proof / verify_proof -----------------------------------------------------

CREATED = datetime(2026, 3, 1, 12, 30, 15, 999_999, tzinfo=UTC)


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return generate_private_key()


@pytest.fixture
def signed(key):
    return add_proof(
        read_json(W3C / "employ" / "unsigned.json"),
        private_key=key,
        verification_method="did:web:circles.example#key-1",
        created=CREATED,
    )


def test_proof_shape(signed):
    assert signed["proof"] == {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2026-03-01T12:30:15Z",
        "verificationMethod": "did:web:circles.example#key-1",
        "proofPurpose": "assertionMethod",
        "proofValue": signed["proof"]["proofValue"],
    }
    assert signed["proof"]["proofValue"].startswith("z")
    assert len(base58.b58decode(signed["proof"]["proofValue"][1:])) == 64


def test_add_proof_does_not_change_its_input(key):
    unsigned = read_json(W3C / "employ" / "unsigned.json")
    before = copy.deepcopy(unsigned)
    signed = add_proof(
        unsigned, private_key=key, verification_method="urn:k", created=CREATED
    )
    assert unsigned == before
    signed["credentialSubject"]["givenName"] = "changed"
    assert unsigned == before


def test_add_proof_refuses_a_second_proof(signed, key):
    with pytest.raises(ValueError, match="already has a proof"):
        add_proof(signed, private_key=key, verification_method="urn:k", created=CREATED)


def test_add_proof_refuses_naive_times(key):
    with pytest.raises(ValueError, match="timezone"):
        add_proof(
            read_json(W3C / "alumni" / "unsigned.json"),
            private_key=key,
            verification_method="urn:k",
            created=datetime(2026, 1, 1),
        )


def test_format_datetime_is_utc_to_the_second():
    moment = datetime(2026, 1, 1, 1, 2, 3, 456, tzinfo=timezone(timedelta(hours=2)))
    assert format_datetime(moment) == "2025-12-31T23:02:03Z"


def test_add_proof_refuses_documents_that_are_not_strict_json_ld(key):
    # (The alumni vector's examples context has an @vocab that defines anything.)
    document = read_json(W3C / "employ" / "unsigned.json")
    document["credentialSubject"]["undefinedTerm"] = "x"
    with pytest.raises(CanonicalizationError, match="undefinedTerm"):
        add_proof(
            document, private_key=key, verification_method="urn:k", created=CREATED
        )


def test_round_trip_through_json(signed, key):
    assert verify_proof(json.loads(json.dumps(signed)), public_key=key.public_key())


def test_a_proof_written_as_a_list_of_one_still_verifies(signed, key):
    listed = {**signed, "proof": [signed["proof"]]}
    assert embedded_proof(listed) == signed["proof"]
    assert verify_proof(listed, public_key=key.public_key())


def test_wrong_key_fails(signed):
    assert not verify_proof(signed, public_key=generate_private_key().public_key())


def mutate_proof(signed, **changes):
    document = copy.deepcopy(signed)
    for name, value in changes.items():
        if value is None:
            document["proof"].pop(name)
        else:
            document["proof"][name] = value
    return document


@pytest.mark.parametrize(
    "changes",
    [
        {"cryptosuite": "eddsa-jcs-2022"},
        {"cryptosuite": "ecdsa-rdfc-2019"},
        {"cryptosuite": None},
        {"type": "Ed25519Signature2020"},
        {"type": None},
        {"proofPurpose": "authentication"},
        {"proofPurpose": None},
        {"verificationMethod": "did:web:other.example#key-1"},
        {"verificationMethod": None},
        {"verificationMethod": 5},
        {"created": "2026-03-01T12:30:16Z"},
        {"created": "yesterday"},
        {"proofValue": None},
        {"proofValue": ""},
        {"proofValue": "z"},
        {"proofValue": 12},
        {"proofValue": ["z2YwC8z3"]},
        {"domain": "circles.example"},
        {"challenge": "abc"},
    ],
)
def test_changed_or_incomplete_proofs_fail(signed, key, changes):
    assert not verify_proof(
        mutate_proof(signed, **changes), public_key=key.public_key()
    )


def test_malformed_proof_values_fail(signed, key):
    good = signed["proof"]["proofValue"]
    signature = base58.b58decode(good[1:])
    for bad in [
        good[1:],  # no multibase prefix
        "u" + good[1:],
        good[:-1],
        good + "1",
        good[:-1] + ("2" if good[-1] != "2" else "3"),
        good.replace(good[5], "0"),  # 0 is not base58
        "z" + base58.b58encode(signature[:63]).decode(),
        "z" + base58.b58encode(signature + b"\0").decode(),
        "z" + base58.b58encode(bytes(64)).decode(),
        "z" + "2" * 10_000,
    ]:
        document = mutate_proof(signed, proofValue=bad)
        assert not verify_proof(document, public_key=key.public_key()), bad


@pytest.mark.parametrize(
    "document",
    [None, [], "text", 5, {}, {"proof": {}}, {"proof": "z"}, {"proof": None}],
)
def test_things_that_are_not_signed_documents_fail(document, key):
    assert not verify_proof(document, public_key=key.public_key())


def test_several_proofs_fail(signed, key):
    document = {**signed, "proof": [signed["proof"], signed["proof"]]}
    assert not verify_proof(document, public_key=key.public_key())


def test_strictness_applies_when_verifying(signed, key):
    document = copy.deepcopy(signed)
    document["undefinedTerm"] = "x"
    assert not verify_proof(document, public_key=key.public_key())
    document = copy.deepcopy(signed)
    document["@context"] = [*document["@context"], "https://evil.example/v1"]
    assert not verify_proof(document, public_key=key.public_key())


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(json_values)
def test_verify_never_raises_on_arbitrary_json(key, value):
    assert verify_proof(value, public_key=key.public_key()) is False


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.sampled_from(["@context", "type", "issuer", "credentialSubject", "proof"]),
    json_values,
)
def test_verify_never_raises_when_a_field_is_replaced(signed, key, field, value):
    if signed.get(field) == value:
        return
    document = {**signed, field: value}
    assert verify_proof(document, public_key=key.public_key()) is False


def test_public_key_type():
    assert isinstance(
        public_key_from_multibase(
            read_json(W3C / "keyPair.json")["publicKeyMultibase"]
        ),
        Ed25519PublicKey,
    )
