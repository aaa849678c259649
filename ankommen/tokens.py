"""Secret link tokens: the link in an e-mail or on a card is the proof, like a password.

Only a hash is stored, so a copy of the database opens nothing. The tokens carry 192 bits
or more of randomness, so a plain SHA-256 (no salt, no slow hash) is enough.
"""

import hashlib
import secrets


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(length: int = 32) -> tuple[str, str]:
    """A fresh token and the hash to store; the token itself is shown once and forgotten."""
    token = secrets.token_urlsafe(length)
    return token, hash_token(token)
