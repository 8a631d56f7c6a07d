"""BIN/IIN: format, check digit (both passes), IIN birth date and century, BIN month and kind."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from registry.validators import check_digit, validate_bin, validate_bin_or_iin, validate_iin


def complete(head: str) -> str:
    digit = check_digit(head)
    assert digit is not None, head
    return head + str(digit)


def test_check_digit_first_pass():
    # 1*1+5*2+0*3+1*4+4*5+0*6+0*7+0*8+0*9+0*10+1*11 = 46 → 46 mod 11 = 2
    assert check_digit("15014000001") == 2


def test_check_digit_second_pass_when_first_gives_ten():
    # Find a head whose first pass gives 10; the second pass (weights 3..11,1,2) decides.
    head = next(
        f"1501400{n:04d}"
        for n in range(10000)
        if sum(int(c) * w for c, w in zip(f"1501400{n:04d}", range(1, 12), strict=True)) % 11 == 10
    )
    second = sum(int(c) * w for c, w in zip(head, [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2], strict=True)) % 11
    assert check_digit(head) == (None if second == 10 else second)


VALID_BINS = [complete("15014000001"), complete("98054001234"), complete("21126000007")]
VALID_IINS = [
    complete("88020130001"),  # born 1 Feb 1988, male (3 = 20th century)
    complete("95123140002"),  # born 31 Dec 1995, female
    complete("03071550003"),  # born 15 Jul 2003, male (5 = 21st century)
]


@pytest.mark.parametrize("number", VALID_BINS)
def test_valid_bins(number):
    validate_bin(number)
    validate_bin_or_iin(number)


@pytest.mark.parametrize("number", VALID_IINS)
def test_valid_iins(number):
    validate_iin(number)
    validate_bin_or_iin(number)


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("15014000001", "format"),  # 11 digits
        ("1501400000012", "format"),  # 13 digits
        ("15014000000A", "format"),
        (VALID_BINS[0][:11] + str((int(VALID_BINS[0][11]) + 1) % 10), "checksum"),
        (complete("15134000001"), "month"),  # month 13
        (complete("15017000001"), "kind"),  # 5th digit 7
    ],
)
def test_invalid_bins(number, code):
    with pytest.raises(ValidationError) as error:
        validate_bin(number)
    assert error.value.code == code
    assert number in error.value.messages[0] or code == "format"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        (complete("88023030001"), "date"),  # 30 February
        (complete("88020170001"), "century"),  # 7th digit 7
        (VALID_IINS[0][:11] + str((int(VALID_IINS[0][11]) + 3) % 10), "checksum"),
    ],
)
def test_invalid_iins(number, code):
    with pytest.raises(ValidationError) as error:
        validate_iin(number)
    assert error.value.code == code


def test_checksum_message_is_clear():
    wrong = VALID_BINS[0][:11] + str((int(VALID_BINS[0][11]) + 1) % 10)
    with pytest.raises(ValidationError) as error:
        validate_bin(wrong)
    assert "fails its check digit" in error.value.messages[0]


@given(st.from_regex(r"\A[0-9]{11}\Z"))
def test_any_single_digit_typo_is_caught(head):
    """The check digit catches every change of the last digit of a valid number."""
    digit = check_digit(head)
    if digit is None:
        return
    for wrong in set(range(10)) - {digit}:
        with pytest.raises(ValidationError):
            validate_bin_or_iin(head + str(wrong))
