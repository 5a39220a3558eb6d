"""The fingerprint of the site's signing key: which key, never the key itself.

A backup records the public key's fingerprint so that a restore can say, out
loud, when the site it lands on signs with another key: certificates issued
before would then no longer verify against /.well-known/did.json. The private
key is never read into a backup; keep it safe by itself.
"""

import hashlib

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from certificates.keys import SigningKeyMissing, site_public_key
from certificates.signing import public_key_multibase


def signing_key_fingerprint() -> dict[str, str] | None:
    """Return the SHA-256 and Multikey form of the public key; None without a key."""
    try:
        public_key = site_public_key()
    except SigningKeyMissing:
        return None
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return {
        "sha256": hashlib.sha256(raw).hexdigest(),
        "multibase": public_key_multibase(public_key),
    }


def key_warnings(recorded: dict[str, str] | None) -> list[str]:
    """Return what an operator must know when this site's key differs from recorded."""
    if recorded is None:
        return []
    current = signing_key_fingerprint()
    if current is None:
        return [
            "No signing key is configured here. The backup's certificates were "
            f"signed with the key whose fingerprint is {recorded.get('sha256')} "
            f"({recorded.get('multibase')}). Configure that key (SIGNING_KEY_FILE "
            "or SIGNING_KEY_PEM) before the site runs, or those certificates "
            "will not verify."
        ]
    if current.get("sha256") != recorded.get("sha256"):
        return [
            "The signing key configured here is not the one the backup's "
            f"certificates were signed with. Backup: {recorded.get('sha256')} "
            f"({recorded.get('multibase')}); here: {current['sha256']} "
            f"({current['multibase']}). Until you configure the backup's key "
            "again, its certificates' credentials will not verify, and "
            "/.well-known/did.json will publish the other key."
        ]
    return []
