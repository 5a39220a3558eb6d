import base64
import gzip
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from certificates.status_list import (
    MAX_SIZE,
    MIN_SIZE,
    decode_status_list,
    encode_status_list,
    is_set,
)

# From the W3C Bitstring Status List Recommendation, example
# "BitstringStatusListCredential" (w3c/vc-bitstring-status-list@74fcae1,
# index.html): an all-zero list of the minimum size.
W3C_EXAMPLE_ENCODED_LIST = (
    "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"
)

indexes = st.integers(min_value=0, max_value=MIN_SIZE - 1)


def test_minimum_size_is_16_kib():
    assert MIN_SIZE == 131_072 == 16_384 * 8


def test_empty_list_is_multibase_base64url_of_gzip_of_16384_zero_bytes():
    encoded = encode_status_list([])
    assert encoded.startswith("u")
    assert re.fullmatch(r"u[A-Za-z0-9_-]+", encoded)  # base64url, no padding
    body = encoded[1:]
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    assert gzip.decompress(raw) == bytes(16_384)
    assert decode_status_list(encoded) == bytes(16_384)


def test_decodes_the_w3c_example():
    assert decode_status_list(W3C_EXAMPLE_ENCODED_LIST) == bytes(16_384)
    assert not is_set(W3C_EXAMPLE_ENCODED_LIST, 94567)


@pytest.mark.parametrize(
    ("index", "byte", "value"),
    [(0, 0, 0x80), (1, 0, 0x40), (7, 0, 0x01), (8, 1, 0x80), (131_071, 16_383, 0x01)],
)
def test_index_zero_is_the_left_most_bit(index, byte, value):
    bits = decode_status_list(encode_status_list([index]))
    assert bits[byte] == value
    assert sum(bits) == value


def test_revoking_flips_exactly_that_bit():
    before = encode_status_list([3, 94567])
    after = encode_status_list([3, 94567, 42])
    assert not is_set(before, 42)
    assert is_set(after, 42)
    assert is_set(after, 3) and is_set(after, 94567)
    assert not is_set(after, 41) and not is_set(after, 43)
    changed = [
        i
        for i, (old, new) in enumerate(
            zip(decode_status_list(before), decode_status_list(after), strict=True)
        )
        if old != new
    ]
    assert changed == [42 // 8]


@settings(deadline=None)  # each example gzips a 16 KiB list
@given(st.sets(indexes, max_size=50), st.lists(indexes, max_size=20))
def test_round_trip(revoked, probes):
    encoded = encode_status_list(revoked)
    bits = decode_status_list(encoded)
    for index in set(probes) | revoked:
        assert is_set(encoded, index) is (index in revoked)
        assert is_set(bits, index) is (index in revoked)
    assert sum(bin(byte).count("1") for byte in bits) == len(revoked)


def test_encoding_is_deterministic_and_ignores_order_and_duplicates():
    assert encode_status_list([5, 1, 5]) == encode_status_list([1, 5])


def test_larger_lists():
    size = MIN_SIZE * 2
    encoded = encode_status_list([size - 1], size=size)
    assert len(decode_status_list(encoded)) == size // 8
    assert is_set(encoded, size - 1)


@pytest.mark.parametrize("size", [0, 8, MIN_SIZE - 8, MIN_SIZE + 1, MAX_SIZE + 8])
def test_refuses_sizes_the_specification_does_not_allow(size):
    with pytest.raises(ValueError, match="multiple of 8 entries"):
        encode_status_list([], size=size)


@pytest.mark.parametrize("index", [-1, MIN_SIZE, True, 1.0, "3"])
def test_refuses_indexes_outside_the_list(index):
    with pytest.raises(ValueError, match="outside"):
        encode_status_list([index])


@pytest.mark.parametrize("index", [-1, MIN_SIZE, True])
def test_is_set_refuses_indexes_outside_the_list(index):
    with pytest.raises(IndexError):
        is_set(encode_status_list([]), index)


def _u(data: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.mark.parametrize(
    ("encoded", "message"),
    [
        ("H4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA", "'u'"),
        ("zH4sI", "'u'"),
        ("u" + "A" * 7 + "=", "without padding"),
        ("uH4s+IAAA", "not valid base64url"),
        ("uH4s IAAA", "not valid base64url"),
        (_u(b"not gzip at all"), "not valid GZIP"),
        (_u(gzip.compress(bytes(100))), "at least 131072 entries"),
        (_u(gzip.compress(bytes(16_384))[:-4]), "one complete GZIP member"),
        (_u(gzip.compress(bytes(16_384)) * 2), "one complete GZIP member"),
        (_u(gzip.compress(bytes(MAX_SIZE // 8 + 1))), "larger than"),
    ],
)
def test_decode_refuses_malformed_lists(encoded, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        decode_status_list(encoded)
