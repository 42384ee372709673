"""Backups and restores of the whole database (ciphertext, keys as stored, audit log)."""
