import re
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certificates.codes import (
    ALPHABET,
    CODE_LENGTH,
    InvalidCode,
    format_code,
    generate_code,
    normalize_code,
)

codes = st.text(alphabet=ALPHABET, min_size=CODE_LENGTH, max_size=CODE_LENGTH)
separators = st.sampled_from(["", "", "-", " ", "  ", "\u2013", "\t"])


def test_alphabet_is_crockford_base32():
    assert len(ALPHABET) == len(set(ALPHABET)) == 32
    assert set(ALPHABET) == set(string.digits + string.ascii_uppercase) - set("ILOU")


def test_generated_code_is_twelve_canonical_characters():
    code = generate_code()
    assert len(code) == CODE_LENGTH == 12
    assert set(code) <= set(ALPHABET)
    assert normalize_code(code) == code


def test_generated_codes_use_the_whole_alphabet_and_do_not_repeat():
    generated = [generate_code() for _ in range(2000)]
    assert len(set(generated)) == len(generated)
    assert set("".join(generated)) == set(ALPHABET)


def test_generated_codes_come_from_the_secrets_module(monkeypatch):
    calls = []

    def choice(sequence):
        calls.append(sequence)
        return sequence[0]

    monkeypatch.setattr("certificates.codes.secrets.choice", choice)
    assert generate_code() == "0" * CODE_LENGTH
    assert calls == [ALPHABET] * CODE_LENGTH


@given(codes)
def test_format_shows_three_groups_of_four(code):
    formatted = format_code(code)
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", formatted)
    assert formatted.replace("-", "") == code


@given(codes)
def test_normalize_undoes_format(code):
    assert normalize_code(format_code(code)) == code


@given(codes, st.data())
def test_normalize_ignores_case_and_separators(code, data):
    typed = "".join(
        data.draw(separators)
        + (character.lower() if data.draw(st.booleans()) else character)
        for character in code
    ) + data.draw(separators)
    assert normalize_code(typed) == code


@given(codes, st.data())
def test_normalize_reads_o_as_zero_and_i_or_l_as_one(code, data):
    lookalikes = {"0": "Oo", "1": "IiLl"}
    typed = "".join(
        data.draw(st.sampled_from(lookalikes[c])) if c in lookalikes else c
        for c in code
    )
    assert normalize_code(typed) == code


@given(codes)
def test_format_accepts_any_typed_form(code):
    assert format_code(code.lower()) == format_code(code)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("abcd-efgh-jkmn", "ABCDEFGHJKMN"),
        ("ABCD EFGH JKMN", "ABCDEFGHJKMN"),
        (" abcdefghjkmn\n", "ABCDEFGHJKMN"),
        ("OOOO-IIII-LLLL", "000011111111"),
        ("oooo—iiii—llll", "000011111111"),
    ],
)
def test_normalize_examples(typed, expected):
    assert normalize_code(typed) == expected


def test_invalid_code_is_a_value_error():
    assert issubclass(InvalidCode, ValueError)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "has 12 letters and numbers"),
        ("ABCD-EFGH-JKM", "Check that none are missing or extra"),
        ("ABCD-EFGH-JKMNP", "Check that none are missing or extra"),
        ("ABCD-EFGH-JKMU", "never contain the letter U"),
        ("abcd-efgh-jkmu", "never contain the letter U"),
        ("ABCD-EFGH-JKM#", "only letters and numbers"),
        ("ABCD_EFGH_JKMN", "only letters and numbers"),
        ("ABCD.EFGH.JKMN", "only letters and numbers"),
        # Non-ASCII look-alikes are refused, not upper-cased into ASCII.
        ("ABCD-EFGH-JKMı", "only letters and numbers"),
        ("ABCD-EFGH-JKﬁ", "only letters and numbers"),
        ("ABCD-EFGH-JKM\u0130", "only letters and numbers"),
        ("ＡBCD-EFGH-JKMN", "only letters and numbers"),
    ],
)
def test_normalize_refuses_other_text_with_a_clear_message(typed, message):
    with pytest.raises(InvalidCode, match=re.escape(message)):
        normalize_code(typed)


def test_format_refuses_what_normalize_refuses():
    with pytest.raises(InvalidCode):
        format_code("not a code")


@given(st.text())
def test_normalize_either_returns_a_canonical_code_or_raises_invalid_code(text):
    try:
        code = normalize_code(text)
    except InvalidCode:
        return
    assert len(code) == CODE_LENGTH
    assert set(code) <= set(ALPHABET)
