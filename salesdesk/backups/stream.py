"""The encrypted backup stream (R2.4, decision 0011): AES-256-GCM in 1 MiB chunks.

Fernet needs a whole message in memory, so a backup is cut into chunks, each sealed on its
own (the STREAM construction): memory stays at one chunk whatever the database size, and
a cut, reordered, altered or extended file is refused.

    header  = b"SDBACKUP" | version (1 byte) | key id (8) | salt (16) | nonce prefix (7)
    record  = ciphertext length (4 bytes, big-endian) | ciphertext with its 16-byte tag
    nonce   = nonce prefix (7) | chunk counter (4, big-endian) | 1 on the last chunk, else 0

Every chunk is authenticated together with the header (associated data). The file key is
HKDF-SHA256 of a field-encryption key (core/crypto.py) with the salt; the key id (an HMAC
of that key, never the key) lets a restore pick the right one of several configured keys.
"""

import base64
import hashlib
import hmac
import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.utils.translation import gettext_lazy as _

from salesdesk.backups.errors import BackupUnreadable

MAGIC = b"SDBACKUP"
VERSION = 1
CHUNK_SIZE = 1 << 20
TAG_SIZE = 16
_HEADER = struct.Struct(">8sB8s16s7s")
_LENGTH = struct.Struct(">I")


def _raw_key(field_key: str) -> bytes:
    return base64.urlsafe_b64decode(field_key.encode("ascii"))


def key_id(field_key: str) -> bytes:
    """Eight bytes naming a key without revealing it."""
    return hmac.new(_raw_key(field_key), b"salesdesk backup key id", hashlib.sha256).digest()[:8]


def _file_key(field_key: str, salt: bytes) -> AESGCM:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=salt, info=b"salesdesk backup v1"
    ).derive(_raw_key(field_key))
    return AESGCM(derived)


def _nonce(prefix: bytes, counter: int, final: bool) -> bytes:
    return prefix + struct.pack(">IB", counter, 1 if final else 0)


class EncryptingWriter:
    """A write-only file object: whatever is written lands sealed in `target`."""

    def __init__(self, target: BinaryIO, field_key: str) -> None:
        salt, self._prefix = os.urandom(16), os.urandom(7)
        self._header = _HEADER.pack(MAGIC, VERSION, key_id(field_key), salt, self._prefix)
        self._aead = _file_key(field_key, salt)
        self._target = target
        self._buffer = bytearray()
        self._counter = 0
        self.closed = False
        target.write(self._header)

    def write(self, data: bytes) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK_SIZE:
            self._seal(bytes(self._buffer[:CHUNK_SIZE]), final=False)
            del self._buffer[:CHUNK_SIZE]
        return len(data)

    def flush(self) -> None:
        """Chunks are written whole; a partial chunk waits for more data or close()."""

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._buffer), final=True)
            self._buffer.clear()
            self.closed = True

    def _seal(self, plain: bytes, *, final: bool) -> None:
        if self._counter >= 2**32 - 1:
            raise OverflowError("backup too large for one stream")
        sealed = self._aead.encrypt(_nonce(self._prefix, self._counter, final), plain, self._header)
        self._target.write(_LENGTH.pack(len(sealed)) + sealed)
        self._counter += 1


def _unreadable(reason) -> BackupUnreadable:
    return BackupUnreadable(reason, extra={"field": "file"})


class DecryptingReader:
    """A read-only file object over an encrypted backup; refuses any damage it meets."""

    def __init__(self, source: BinaryIO, field_keys: list[str]) -> None:
        header = source.read(_HEADER.size)
        if len(header) != _HEADER.size or not header.startswith(MAGIC):
            raise _unreadable(_("This file is not a salesdesk backup."))
        _magic, version, wanted, salt, prefix = _HEADER.unpack(header)
        if version != VERSION:
            raise _unreadable(
                _("This backup has format version %(version)s, which this salesdesk cannot read.")
                % {"version": version}
            )
        key = next((k for k in field_keys if hmac.compare_digest(key_id(k), wanted)), None)
        if key is None:
            raise _unreadable(
                _(
                    "None of the configured field-encryption keys made this backup: "
                    "configure the key that was in use when it was written."
                )
            )
        self._header, self._prefix = header, prefix
        self._aead = _file_key(key, salt)
        self._source = source
        self._buffer = bytearray()
        self._counter = 0
        self._finished = False

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while (size < 0 or len(self._buffer) < size) and not self._finished:
            self._open_next()
        if size < 0:
            size = len(self._buffer)
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def drain(self) -> None:
        """Read to the end, so damage after the last byte a reader needed is still found."""
        while not self._finished:
            self._open_next()
            self._buffer.clear()

    def _open_next(self) -> None:
        length_bytes = self._source.read(_LENGTH.size)
        if len(length_bytes) != _LENGTH.size:
            raise _unreadable(_("The backup is truncated: its last part is missing."))
        (length,) = _LENGTH.unpack(length_bytes)
        sealed = self._source.read(length) if TAG_SIZE <= length <= CHUNK_SIZE + TAG_SIZE else b""
        if len(sealed) != length or not sealed:
            raise _unreadable(_("The backup is truncated or damaged."))
        for final in (False, True):
            try:
                plain = self._aead.decrypt(
                    _nonce(self._prefix, self._counter, final), sealed, self._header
                )
            except InvalidTag:
                continue
            self._buffer += plain
            self._counter += 1
            if final:
                self._finished = True
                if self._source.read(1):
                    raise _unreadable(_("The backup has data after its end."))
            return
        raise _unreadable(_("The backup was altered or damaged: a part fails its check."))
