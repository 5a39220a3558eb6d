"""Offline JSON-LD for certificates: bundled contexts and RDF canonicalization.

Every JSON-LD context a Circles credential, its status list or its DID document
can name is committed under ``certificates/contexts/`` exactly as published, and
``load_document`` serves only those files: canonicalizing never touches the
network, so a signature cannot depend on what a remote server says today.

``canonicalize`` follows RDF Dataset Canonicalization (RDFC-1.0, the algorithm
previously published as URDNA2015) in the strict way independent verifiers use
it: a term the contexts do not define, or a relative IRI, is an error rather
than silently dropped (VC 2.0 has no ``@vocab`` catch-all), and a dataset built
to make canonicalization run for ever is refused.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from cachetools import LRUCache
from pyld.canon import URDNA2015
from pyld.context_resolver import ContextResolver
from pyld.jsonld import JsonLdError, JsonLdProcessor

__all__ = [
    "CONTEXT_FILES",
    "CONTEXTS_DIR",
    "CanonicalizationError",
    "ContextNotAvailable",
    "canonicalize",
    "context_bytes",
    "load_document",
]

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"

#: Context URL -> file in CONTEXTS_DIR. Sources and digests: contexts/SOURCES.md.
CONTEXT_FILES: Mapping[str, str] = MappingProxyType(
    {
        "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": (
            "ob-v3p0-context-3.0.3.json"
        ),
        "https://www.w3.org/ns/did/v1": "did-v1.jsonld",
        "https://w3id.org/security/multikey/v1": "multikey-v1.jsonld",
        "https://w3id.org/security/data-integrity/v2": "data-integrity-v2.jsonld",
        # Needed only by the published W3C eddsa-rdfc-2022 test vectors.
        "https://www.w3.org/ns/credentials/examples/v2": (
            "credentials-examples-v2.jsonld"
        ),
        "https://w3id.org/citizenship/v4rc1": "citizenship-v4rc1.jsonld",
    }
)

# PyLD writes these characters raw while RDFC-1.0's canonical N-Quads escapes
# them, so a string holding one would hash differently here and in other
# verifiers. Refusing them keeps every signature we produce portable.
UNPORTABLE_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Same rule as PyLD's own test for an absolute IRI (or a blank node label).
_ABSOLUTE_IRI = re.compile(r"^([A-Za-z][A-Za-z0-9+\-.]*|_):[^\s]*$")

# Resolved contexts, kept apart from PyLD's process-wide cache so that nothing
# loaded elsewhere with another loader can stand in for a bundled context.
# Bounded because inline contexts in untrusted documents are cached here too.
_RESOLVED_CONTEXTS: LRUCache = LRUCache(maxsize=64)
# PyLD's resolved contexts and their caches are shared, unlocked state; one
# canonicalization at a time keeps threaded servers from corrupting them.
_PYLD_LOCK = threading.Lock()


class CanonicalizationError(ValueError):
    """A document that cannot be canonicalized safely and portably."""


class ContextNotAvailable(CanonicalizationError):
    """A JSON-LD context that is not bundled with Circles."""


@functools.cache
def context_bytes(url: str) -> bytes:
    """Return the bundled context for url, byte for byte as published."""
    try:
        filename = CONTEXT_FILES[url]
    except KeyError:
        raise ContextNotAvailable(
            f"The JSON-LD context {url!r} is not bundled with Circles, and "
            "contexts are never fetched from the network. Bundled contexts: "
            + ", ".join(sorted(CONTEXT_FILES))
            + "."
        ) from None
    return (CONTEXTS_DIR / filename).read_bytes()


def load_document(url: str, options: Mapping[str, Any] | None = None) -> dict:
    """Return a bundled context as a PyLD remote document; never use the network.

    Raises ContextNotAvailable for any URL that is not in CONTEXT_FILES.
    """
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        # A fresh object each time: PyLD may keep or change what it is given.
        "document": json.loads(context_bytes(url)),
        # "static" lets PyLD cache the resolved context; the files never change.
        "tag": "static",
    }


def canonicalize(document: Mapping[str, Any]) -> str:
    """Return the RDFC-1.0 canonical N-Quads of a JSON-LD document.

    Guarantees: only bundled contexts are used; an undefined term, a relative
    IRI, a control character RDFC-1.0 escapes differently, or a poisoned
    dataset raises CanonicalizationError instead of changing what is signed.
    """
    if not isinstance(document, Mapping):
        # PyLD would try to dereference a string as a URL.
        raise CanonicalizationError("A JSON-LD document must be a JSON object.")
    _reject_unportable_characters(document)

    processor = JsonLdProcessor(on_property_dropped=_refuse_dropped_property)
    options = {
        "documentLoader": load_document,
        "contextResolver": ContextResolver(_RESOLVED_CONTEXTS, load_document),
        # No document base: PyLD would otherwise resolve a relative IRI against
        # http://example.org/base/, and signatures must not depend on that.
        "base": None,
    }
    try:
        with _PYLD_LOCK:
            expanded = processor.expand(dict(document), options)
            _require_absolute_iris(expanded)
            dataset = processor.to_rdf(expanded, options)
        return _BoundedURDNA2015().main(dataset, {"format": "application/n-quads"})
    except JsonLdError as error:
        raise _explain(error) from error


class _BoundedURDNA2015(URDNA2015):
    """URDNA2015 that gives up on a poisoned dataset instead of running for ever.

    Like rdf-canonize (jsonld.js) with its default work factor of 1: each blank
    node may be hashed by Hash N-Degree Quads at most once per blank node.
    """

    def __init__(self) -> None:
        super().__init__()
        self._deep_iterations: dict[str, int] = {}

    def hash_n_degree_quads(self, id_, issuer):
        limit = len(self.blank_node_info)
        count = self._deep_iterations.get(id_, 0) + 1
        if count > limit:
            raise CanonicalizationError(
                "The document's blank nodes are too interlinked to canonicalize "
                "safely (possible dataset poisoning)."
            )
        self._deep_iterations[id_] = count
        return super().hash_n_degree_quads(id_, issuer)


class _UndefinedTerm(JsonLdError):
    def __init__(self, term: str | None) -> None:
        super().__init__(
            f"The property {term!r} is not defined by the document's @context.",
            "circles.UndefinedTerm",
        )


def _refuse_dropped_property(expanded_property: str | None) -> None:
    raise _UndefinedTerm(expanded_property)


def _require_absolute_iris(node: Any) -> None:
    """Raise for an @id or @type that expansion left relative (it would vanish)."""
    if isinstance(node, list):
        for item in node:
            _require_absolute_iris(item)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key == "@id":
            _require_absolute_iri(value, "id")
        elif key == "@type":
            for type_ in value if isinstance(value, list) else [value]:
                if type_ not in ("@json", "@none"):
                    _require_absolute_iri(type_, "type")
        elif key != "@value":
            _require_absolute_iris(value)


def _require_absolute_iri(value: Any, what: str) -> None:
    if not isinstance(value, str) or not _ABSOLUTE_IRI.match(value):
        raise CanonicalizationError(
            f"The {what} {value!r} is neither an absolute IRI nor a term defined "
            "by the document's @context."
        )


def _reject_unportable_characters(value: Any) -> None:
    if isinstance(value, str):
        if UNPORTABLE_CHARACTERS.search(value):
            raise CanonicalizationError(
                "The document contains a control character (other than tab, "
                "line feed or carriage return) that cannot be signed portably."
            )
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _reject_unportable_characters(key)
            _reject_unportable_characters(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _reject_unportable_characters(item)


def _explain(error: BaseException) -> CanonicalizationError:
    """Turn PyLD's nested errors into the most specific message we have."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, CanonicalizationError):
            return cause
        if isinstance(cause, _UndefinedTerm):
            return CanonicalizationError(cause.args[0])
        cause = cause.__cause__
    return CanonicalizationError(f"Invalid JSON-LD: {error.args[0]}")
