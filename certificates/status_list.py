"""W3C Bitstring Status List (revocation bits) encoding.

The list is a bitstring in which bit ``i`` is 1 when the credential with
``statusListIndex`` ``i`` is revoked. Index 0 is the left-most (most
significant) bit of the first byte. ``encodedList`` is the Multibase form of
the GZIP of the bitstring: ``u`` followed by base64url without padding.
Lists are at least 131,072 entries (16 KiB) long, as the specification
requires, so that a list reveals little about any single holder.

The one list grows before it fills: it doubles whenever more than half its
slots are in use, so a random free slot is always quick to draw and issuing
never runs out of room unnoticed. Slots keep their positions as it grows.
"""

import base64
import gzip
import re
import zlib
from collections.abc import Iterable

__all__ = [
    "CAPACITY",
    "MAX_SIZE",
    "MIN_SIZE",
    "WARN_AT",
    "StatusListFull",
    "decode_status_list",
    "encode_status_list",
    "is_set",
    "list_size",
]

#: Smallest list the specification allows: 131,072 entries (16,384 bytes).
MIN_SIZE = 131_072
#: Largest list handled: 16 MiB of bits, so a GZIP bomb cannot exhaust memory.
MAX_SIZE = 16 * 1024 * 1024 * 8

#: At most this share of a list's slots is in use; past it, the list doubles.
GROW_AT = 0.5
#: Slots that can ever be used: half the largest list.
CAPACITY = int(MAX_SIZE * GROW_AT)
#: Share of CAPACITY in use at which trainers are warned.
WARN_AT = 0.8

_MULTIBASE_BASE64URL = "u"


class StatusListFull(Exception):
    """Every slot the revocation list can offer is in use."""


def list_size(*, used: int, highest_index: int = -1) -> int:
    """Return the size of a list with `used` slots taken, the highest at highest_index.

    MIN_SIZE, doubled until at most GROW_AT of it is in use and highest_index
    is inside. It only grows as `used` does. Raises StatusListFull past
    CAPACITY.
    """
    if used > CAPACITY or highest_index >= MAX_SIZE:
        raise StatusListFull(
            f"{used} slots in use; a status list holds at most {CAPACITY}."
        )
    size = MIN_SIZE
    while used > size * GROW_AT or highest_index >= size:
        size *= 2
    return size


_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


def encode_status_list(revoked_indexes: Iterable[int], *, size: int = MIN_SIZE) -> str:
    """Return the encodedList with the bits of revoked_indexes set, all others 0.

    The output depends only on the set of indexes and size (GZIP without a
    timestamp), so an unchanged list encodes to the same string. Raises
    ValueError for a size under MIN_SIZE or not a whole number of bytes, and
    for an index outside the list.
    """
    if size < MIN_SIZE or size > MAX_SIZE or size % 8:
        raise ValueError(
            f"A status list has a multiple of 8 entries between {MIN_SIZE} "
            f"and {MAX_SIZE}, not {size}."
        )
    bits = bytearray(size // 8)
    for index in revoked_indexes:
        _check_index(index, size)
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), compresslevel=9, mtime=0)
    return _MULTIBASE_BASE64URL + base64.urlsafe_b64encode(compressed).rstrip(
        b"="
    ).decode("ascii")


def decode_status_list(encoded: str) -> bytes:
    """Return the bitstring of an encodedList.

    Raises ValueError unless encoded is "u" + base64url (no padding) of a GZIP
    member that inflates to between MIN_SIZE and MAX_SIZE bits.
    """
    if not isinstance(encoded, str) or not encoded.startswith(_MULTIBASE_BASE64URL):
        raise ValueError("An encodedList starts with 'u' (Multibase base64url).")
    body = encoded[len(_MULTIBASE_BASE64URL) :]
    if "=" in body:
        raise ValueError("An encodedList is base64url without padding.")
    if not _BASE64URL.fullmatch(body):
        raise ValueError("An encodedList is not valid base64url.")
    try:
        compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except ValueError as error:  # a length no base64 text can have
        raise ValueError("An encodedList is not valid base64url.") from error
    bits = _gunzip(compressed, max_length=MAX_SIZE // 8)
    if len(bits) * 8 < MIN_SIZE:
        raise ValueError(
            f"A status list has at least {MIN_SIZE} entries; this has {len(bits) * 8}."
        )
    return bits


def is_set(encoded_or_bytes: str | bytes, index: int) -> bool:
    """Return whether bit index is 1 (revoked) in an encodedList or bitstring.

    Raises ValueError for an invalid encodedList and IndexError for an index
    outside the list.
    """
    bits = (
        decode_status_list(encoded_or_bytes)
        if isinstance(encoded_or_bytes, str)
        else bytes(encoded_or_bytes)
    )
    size = len(bits) * 8
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < size:
        raise IndexError(f"Status list index {index!r} is outside 0..{size - 1}.")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def _check_index(index: int, size: int) -> None:
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < size:
        raise ValueError(f"Status list index {index!r} is outside 0..{size - 1}.")


def _gunzip(data: bytes, *, max_length: int) -> bytes:
    """Inflate one GZIP member, refusing output longer than max_length."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        bits = inflater.decompress(data, max_length)
    except zlib.error as error:
        raise ValueError("An encodedList is not valid GZIP data.") from error
    if inflater.unconsumed_tail:
        raise ValueError("The status list is larger than this verifier accepts.")
    if not inflater.eof or inflater.unused_data:
        raise ValueError("An encodedList holds exactly one complete GZIP member.")
    return bits
