"""Exports of envelopes (still encrypted) and offline recovery with the paper recovery key."""
