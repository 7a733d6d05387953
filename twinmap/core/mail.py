"""Sending a message over SMTP with the standard library (the digest), as the settings say."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from twinmap.core import config


def server() -> tuple[str, int]:
    """``TWINMAP_SMTP`` as host and port (port 25 when it gives none)."""
    host, _, port = config.get("TWINMAP_SMTP").rpartition(":") if ":" in config.get("TWINMAP_SMTP") else (
        config.get("TWINMAP_SMTP"), "", "25")  # fmt: skip
    return host, int(port)


def send(message: EmailMessage, host: str, port: int) -> None:
    """Deliver the message; STARTTLS and a login when the settings ask for them (``TWINMAP_SMTP_*``)."""
    with smtplib.SMTP(host, port, timeout=30) as smtp:
        if config.get("TWINMAP_SMTP_STARTTLS") == "1":
            smtp.starttls()
        user = config.get("TWINMAP_SMTP_USER")
        if user:
            smtp.login(user, config.get("TWINMAP_SMTP_PASSWORD"))
        smtp.send_message(message)
