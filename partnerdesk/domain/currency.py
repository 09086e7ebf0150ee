"""ISO 4217 currencies and money in integer minor units (cents, pence, yen): never a float.

Amounts are stored and summed as integers in the currency's minor unit; text is read and shown
with the currency's own number of decimals (JPY 0, EUR 2, KWD 3). Sums never mix currencies.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from partnerdesk.domain.errors import InvalidInput

# Active ISO 4217 codes and their minor-unit exponent (2 unless listed otherwise).
_TWO = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD "
    "CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD "
    "GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD "
    "MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP "
    "PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS "
    "TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VES WST XCD XCG YER ZAR ZMW ZWG"
).split()
_ZERO = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split()
_THREE = "BHD IQD JOD KWD LYD OMR TND".split()
_FOUR = "CLF UYW".split()

EXPONENT: dict[str, int] = {
    **{c: 2 for c in _TWO}, **{c: 0 for c in _ZERO}, **{c: 3 for c in _THREE},
    **{c: 4 for c in _FOUR},
}

# Larger than any real commission, small enough that sums of a million of them stay exact in
# SQLite's 64-bit integers: 10^15 minor units (ten trillion dollars).
MAX_MINOR = 10**15

_AMOUNT_RE = re.compile(r"^(\d[\d.,]*|[.,]\d+)$", re.ASCII)


def _split_decimal(number: str) -> tuple[str, str]:
    """Whole and fraction digits. With both '.' and ',' the last one is the decimal mark; a mark
    used more than once groups thousands; a lone ',' before exactly three digits groups too
    ('1,000'), otherwise it is the decimal mark ('12,50')."""
    marks = [c for c in number if c in ".,"]
    if not marks:
        return number, ""
    if len(set(marks)) == 2:
        decimal = number[max(number.rfind("."), number.rfind(","))]
    elif len(marks) > 1:
        decimal = ""
    elif marks[0] == "," and len(number) - number.rfind(",") - 1 == 3:
        decimal = ""
    else:
        decimal = marks[0]
    if decimal:
        head, _, frac = number.rpartition(decimal)
    else:
        head, frac = number, ""
    groups = re.split(r"[.,]", head)
    if frac and not frac.isascii() or frac and not frac.isdigit() or len(groups) > 1 and (
            not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:])
            or len({c for c in head if c in ".,"}) > 1):
        raise InvalidInput(f"'{number}' is not an amount; give a number such as 1234.50.")
    return "".join(groups) or "0", frac


def _shown(text: object, limit: int) -> str:
    """What was typed, on one line and short, for a message."""
    from partnerdesk.domain.validation import clean_line

    return clean_line(str(text))[:limit]


def clean_currency(code: str) -> str:
    """'eur ' → 'EUR'; an unknown code is refused with one line."""
    c = (code or "").strip().upper()
    if c not in EXPONENT:
        shown = _shown(code or "", 12) or "(empty)"
        raise InvalidInput(f"'{shown}' is not a currency code; give an ISO 4217 code such as "
                           "USD, EUR, GBP or JPY.")
    return c


# Said when money the vendor owes is given as negative (not for a deal's value).
CLAWBACK_HINT = " (record a clawback as a dispute note)"


def parse_amount(text: str | int, currency: str, negative_hint: str = "") -> int:
    """'1,234.50' EUR → 123450 minor units. Refuses negatives, too many decimals and huge sums.
    negative_hint ends the negative amount's message (CLAWBACK_HINT for money owed).

    A comma followed by exactly three digits groups thousands; otherwise a single comma is the
    decimal mark (so '12,50' is twelve euros fifty).
    """
    currency = clean_currency(currency)
    exp = EXPONENT[currency]
    if isinstance(text, int) and not isinstance(text, bool):
        raw = str(text)
    else:
        raw = str(text).strip()
        for symbol in ("$", "€", "£", "¥", currency):
            raw = raw.replace(symbol, "").strip()
    shown = _shown(text, 30)
    if raw.startswith("-"):
        raise InvalidInput(f"The amount {shown} is negative; give it as a positive "
                           f"amount{negative_hint}.")
    number = re.sub(r"[ '\u00a0\u202f]", "", raw.lstrip("+"))
    if not number or not _AMOUNT_RE.match(number):
        raise InvalidInput(f"'{shown}' is not an amount; give a number such as 1234.50.")
    whole, frac = _split_decimal(number)
    if len(frac) > exp and frac[exp:].strip("0"):
        raise InvalidInput(f"The amount {shown} has more decimals than {currency} uses "
                           f"({exp}); round it to {exp} decimal{'s' if exp != 1 else ''}.")
    try:
        value = int(Decimal(f"{whole}.{frac or '0'}").scaleb(exp))
    except InvalidOperation:
        raise InvalidInput(f"'{shown}' is not an amount; give a number such as 1234.50.") from None
    return check_minor(value, currency)


def check_minor(value: int, currency: str) -> int:
    """An amount already in minor units (from a file or the journal), checked."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"The amount {value!r} is not a whole number of minor units.")
    if value < 0:
        raise InvalidInput(f"The amount {format_amount(value, currency)} is negative; give what "
                           "the vendor owes as a positive amount.")
    if value > MAX_MINOR:
        raise InvalidInput(f"The amount {format_amount(value, currency)} is too large to be real; "
                           "check for a typing slip (extra digits).")
    return value


def format_amount(minor: int, currency: str, *, code: bool = True) -> str:
    """123450, 'EUR' → 'EUR 1,234.50' (digits grouped by three, the currency's decimals)."""
    exp = EXPONENT.get(currency, 2)
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(minor), 10**exp)
    text = f"{sign}{whole:,}" + (f".{frac:0{exp}d}" if exp else "")
    return f"{currency} {text}" if code else text


def plain_amount(minor: int, currency: str) -> str:
    """123450, 'EUR' → '1234.50': what CSV files carry (no grouping, read back exactly)."""
    exp = EXPONENT.get(currency, 2)
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(minor), 10**exp)
    return f"{sign}{whole}" + (f".{frac:0{exp}d}" if exp else "")
