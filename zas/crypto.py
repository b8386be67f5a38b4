"""Encryption of device secrets at rest: Fernet keys from settings, MultiFernet for rotation.

Lives beside `extensions` (not in services) because the models' encrypted column type needs it.
"""
from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from zas.errors import ConfigError, CryptoError


class Secret:
    """A secret that does not print itself: `repr`, `str` and f-strings show a mask.

    Loaded from the database it holds the ciphertext and decrypts only when revealed, so
    listing profiles never needs the key and a rotated-out key fails only where it matters.
    """

    __slots__ = ("_value", "_token")

    def __init__(self, value: str | None = None, *, token: str | None = None):
        self._value = value
        self._token = token

    def reveal(self) -> str:
        """The clear text, for the one place that must hand it to a device."""
        if self._value is None:
            self._value = vault.decrypt(self._token)
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __eq__(self, other) -> bool:
        if isinstance(other, Secret):
            if self._token is not None and self._token == other._token:
                return True
            return self.reveal() == other.reveal()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.reveal())

    def __bool__(self) -> bool:
        return self._token is not None or bool(self._value)

    def __reduce__(self):
        # pickling would carry the clear text into Redis or logs
        raise TypeError("Secret values cannot be pickled")


def parse_keys(raw: str, setting: str = "ZAS_CREDENTIALS_KEY") -> list[Fernet]:
    """Comma-separated Fernet keys, newest first; raises ConfigError naming the setting."""
    keys = [k.strip() for k in (raw or "").split(",") if k.strip()]
    if not keys:
        raise ConfigError(f"{setting} is not set: generate one with `zas keys generate`")
    fernets = []
    for i, key in enumerate(keys, 1):
        try:
            fernets.append(Fernet(key.encode()))
        except (ValueError, TypeError):
            raise ConfigError(
                f"{setting}: key #{i} is not a valid Fernet key (32 url-safe base64-encoded bytes)"
            ) from None
    return fernets


class Vault:
    """Encrypts with the first configured key, decrypts with any of them."""

    def __init__(self):
        self._multi: MultiFernet | None = None

    def configure(self, raw_keys: str) -> None:
        self._multi = MultiFernet(parse_keys(raw_keys))

    @property
    def multi(self) -> MultiFernet:
        if self._multi is None:
            raise ConfigError("ZAS_CREDENTIALS_KEY is not configured (create_app was not called)")
        return self._multi

    def encrypt(self, plain: str) -> str:
        return self.multi.encrypt(plain.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self.multi.decrypt(token.encode()).decode()
        except InvalidToken:
            raise CryptoError(
                "a stored secret cannot be decrypted with any key in ZAS_CREDENTIALS_KEY"
            ) from None

    def rotate(self, token: str) -> str:
        """Re-encrypt a stored token under the primary key (idempotent)."""
        try:
            return self.multi.rotate(token.encode()).decode()
        except InvalidToken:
            raise CryptoError(
                "a stored secret cannot be decrypted with any key in ZAS_CREDENTIALS_KEY"
            ) from None


vault = Vault()


def generate_key() -> str:
    return Fernet.generate_key().decode()
