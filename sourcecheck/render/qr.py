"""The join QR code: big, high-contrast modules that a phone camera reads from the back of a room."""

from __future__ import annotations

import io

import segno

__all__ = ["qr_png"]


def qr_png(url: str, *, scale: int = 16) -> bytes:
    """PNG bytes; error correction 'M' survives glare on a projector, the quiet zone (border) is the standard 4."""
    buffer = io.BytesIO()
    segno.make_qr(url, error="m").save(buffer, kind="png", scale=scale, border=4, dark="#000000", light="#ffffff")
    return buffer.getvalue()
