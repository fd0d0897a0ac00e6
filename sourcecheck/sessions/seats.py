"""A student's seat in a class, found again: by the same browser, or from another device with a seat code.

Identity used to live only in the URL, so a closed tab lost the seat, and scanning the QR code again made a new
student ("Ana (2)") whom the projector's count waited for. Two keys find a seat now, and the database holds
only their sha256, never the values:

- the browser's device cookie (ui/browser.py): every tab of the same browser reads it, so a reopened link, a
  QR code scanned again or the code typed again returns to the seat. A cookie is cheap for a client to change,
  so it only ever finds a seat; nothing that limits guessing is keyed on it;
- the personal seat code, shown on the student's own screen (never on the projector): 6 characters from an
  alphabet without look-alikes. It is derived from the seat's token (a 128-bit secret of the student's), so the
  student's page can show it again after any reload without the database holding it. Typed with the class
  code on another device, it returns to the seat; a wrong one counts as a wrong code against the same limits
  as wrong class codes (sessions/guesses.py; docs/security.md has the arithmetic).
"""

from __future__ import annotations

import hashlib

__all__ = ["SEAT_ALPHABET", "SEAT_CODE_LENGTH", "device_hash", "normalise_seat_code", "seat_code", "seat_hash"]

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: 25 characters, which a student copies from one screen to another without a slip.
SEAT_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
SEAT_CODE_LENGTH = 6  # 25**6 = 244,140,625 codes


def seat_code(session_id: int, token: str) -> str:
    """The seat code of the seat with this token in this class: the same every time it is asked."""
    number = int.from_bytes(hashlib.sha256(f"seat-code:{session_id}:{token}".encode()).digest(), "big")
    chars = []
    for _ in range(SEAT_CODE_LENGTH):
        number, digit = divmod(number, len(SEAT_ALPHABET))
        chars.append(SEAT_ALPHABET[digit])
    return "".join(chars)


def normalise_seat_code(text: str) -> str:
    """What a student typed, as it is compared: upper case, without spaces, dashes or dots."""
    return "".join(ch for ch in text.upper() if not ch.isspace() and ch not in "-_.")[:16]


def seat_hash(session_id: int, code: str) -> str:
    """What the database keeps of a seat code (salted with the class: one code is not one hash everywhere)."""
    return hashlib.sha256(f"seat:{session_id}:{normalise_seat_code(code)}".encode()).hexdigest()


def device_hash(device: str) -> str:
    """What the database keeps of a browser's device id."""
    return hashlib.sha256(f"device:{device}".encode()).hexdigest()
