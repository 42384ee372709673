"""The organisation recovery key on paper: 24 BIP-39 words encoding its 32-byte scalar."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from mnemonic import Mnemonic

from outreach.crypto.errors import MalformedKeyError
from outreach.crypto.keys import PrivateKey, private_key_from_scalar, private_scalar


@cache
def _mnemonic() -> Mnemonic:
    return Mnemonic("english")


def recovery_key_to_words(private_key: PrivateKey) -> list[str]:
    return _mnemonic().to_mnemonic(private_scalar(private_key)).split()


def recovery_key_from_words(words: Sequence[str] | str) -> PrivateKey:
    phrase = words if isinstance(words, str) else " ".join(words)
    phrase = " ".join(phrase.lower().split())
    mnemonic = _mnemonic()
    # The checksum catches a mistyped or swapped word before it becomes a wrong key.
    if len(phrase.split()) != 24 or not mnemonic.check(phrase):
        raise MalformedKeyError("the words are not a valid recovery key (check each word)")
    return private_key_from_scalar(bytes(mnemonic.to_entropy(phrase)))


def random_words(count: int) -> list[str]:
    """Words from the BIP-39 list chosen with ``secrets``: 11 bits of entropy each."""
    import secrets

    wordlist = _mnemonic().wordlist
    return [secrets.choice(wordlist) for _ in range(count)]
