"""Paper serials: `<PREFIX>-<NUMBER>-<CHECK>`, e.g. `VIS-000123-7`.

The check digit is Luhn (mod 10) over the prefix and number, letters counted as A=10 … Z=35, so
a single mistyped character or a swap of neighbours in a hand-typed serial is caught.
"""

from __future__ import annotations

import re

SERIAL_PATTERN = r"^[A-Z0-9]{2,8}-[0-9]{4,10}-[0-9]$"
_SERIAL = re.compile(SERIAL_PATTERN)


def _digits(body: str) -> str:
    return "".join(str(int(c, 36)) for c in body if c != "-")


def paper_serial_check_digit(body: str) -> str:
    total = 0
    for position, char in enumerate(reversed(_digits(body))):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def make_paper_serial(prefix: str, number: int) -> str:
    body = f"{prefix}-{number:06d}"
    return f"{body}-{paper_serial_check_digit(body)}"


def is_valid_paper_serial(serial: str) -> bool:
    if not isinstance(serial, str) or not _SERIAL.fullmatch(serial):
        return False
    body, check = serial.rsplit("-", 1)
    return paper_serial_check_digit(body) == check
