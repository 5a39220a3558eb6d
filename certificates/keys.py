"""The site's Ed25519 signing key and the did:web identity that publishes it.

Production reads the key from SIGNING_KEY_PEM (the PEM text) or
SIGNING_KEY_FILE (a path) and refuses to sign without one. Development
(DEBUG, or SIGNING_KEY_CREATE) creates a key on first use at
SIGNING_KEY_DEV_FILE, readable by its owner only (0600), so `make demo`
needs no set-up. The key never leaves this module except as its public half.
"""

import functools
import os
import threading
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .credentials import did_web_for, verification_method_for
from .signing import generate_private_key, load_private_key_pem, private_key_to_pem

__all__ = [
    "SigningKeyMissing",
    "signing_key_problem",
    "site_did",
    "site_private_key",
    "site_public_key",
    "site_verification_method",
]

_CREATE_LOCK = threading.Lock()


class SigningKeyMissing(ImproperlyConfigured):
    """No usable signing key: certificates cannot be issued or published."""


def site_private_key() -> Ed25519PrivateKey:
    """Return the site's signing key; raise SigningKeyMissing with what to do."""
    return _load_key(
        settings.SIGNING_KEY_PEM,
        str(settings.SIGNING_KEY_FILE or ""),
        str(settings.SIGNING_KEY_DEV_FILE) if _may_create() else "",
    )


def site_public_key() -> Ed25519PublicKey:
    """Return the public half of the site's signing key."""
    return site_private_key().public_key()


def site_did() -> str:
    """Return the site's did:web, derived from SITE_URL ("did:web:<host>")."""
    return did_web_for(settings.SITE_URL)


def site_verification_method() -> str:
    """Return the id of the signing key in the DID document ("<did>#key-1")."""
    return verification_method_for(site_did())


def signing_key_problem() -> str:
    """Return why no key can be loaded, or "" when one can (for system checks)."""
    try:
        site_private_key()
    except SigningKeyMissing as error:
        return str(error)
    return ""


def _may_create() -> bool:
    return bool(settings.DEBUG or settings.SIGNING_KEY_CREATE)


@functools.cache
def _load_key(pem: str, path: str, dev_path: str) -> Ed25519PrivateKey:
    if pem:
        return _parse(pem.encode("utf-8"), "SIGNING_KEY_PEM")
    if path:
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise SigningKeyMissing(
                f"SIGNING_KEY_FILE is set to {path}, but that file cannot be read "
                f"({error.strerror}). Certificates cannot be signed."
            ) from error
        return _parse(data, "SIGNING_KEY_FILE")
    if dev_path:
        return _dev_key(Path(dev_path))
    raise SigningKeyMissing(
        "No certificate signing key is configured. Set SIGNING_KEY_FILE to the path "
        "of an Ed25519 private key in PEM form, or SIGNING_KEY_PEM to the PEM text "
        "(see .env.example). Create one with: openssl genpkey -algorithm ed25519"
    )


def _parse(data: bytes, source: str) -> Ed25519PrivateKey:
    try:
        return load_private_key_pem(data)
    except ValueError as error:
        raise SigningKeyMissing(
            f"{source} does not hold an unencrypted Ed25519 private key in PEM form: "
            f"{error}"
        ) from error


def _dev_key(path: Path) -> Ed25519PrivateKey:
    with _CREATE_LOCK:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written whole to a private temporary file, then linked into place:
            # of two processes starting at once, one key wins and neither reads
            # a half-written file.
            temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            descriptor = os.open(
                temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600
            )
            with os.fdopen(descriptor, "wb") as file:
                file.write(private_key_to_pem(generate_private_key()))
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass
            finally:
                temporary.unlink()
        return _parse(path.read_bytes(), str(path))
