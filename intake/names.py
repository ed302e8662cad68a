"""Names in any script reduced to one comparable Latin key."""

from anyascii import anyascii


def name_key(*parts: str) -> str:
    """'Дмитрий', 'Политов' -> 'dmitriy politov'; 'José García' -> 'jose garcia'."""
    text = " ".join(part for part in parts if part)
    return " ".join(anyascii(text).lower().split())
