"""The encrypted chunk stream: round trips, and every kind of damage refused (R2.4)."""

import io

import pytest
from cryptography.fernet import Fernet

from salesdesk.backups import stream
from salesdesk.backups.errors import BackupUnreadable

pytestmark = pytest.mark.req("R2.4")
KEY = Fernet.generate_key().decode()
CHUNK = 64


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(stream, "CHUNK_SIZE", CHUNK)


def seal(data: bytes, key: str = KEY) -> bytes:
    target = io.BytesIO()
    writer = stream.EncryptingWriter(target, key)
    for start in range(0, len(data), 10):
        writer.write(data[start : start + 10])
    writer.close()
    return target.getvalue()


def unseal(sealed: bytes, keys=(KEY,)) -> bytes:
    reader = stream.DecryptingReader(io.BytesIO(sealed), list(keys))
    data = reader.read()
    reader.drain()
    return data


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 5 * CHUNK + 7])
def test_round_trip_of_any_size(size):
    data = bytes(range(256)) * (size // 256 + 1)
    assert unseal(seal(data[:size])) == data[:size]


def test_reads_in_small_pieces_and_picks_the_key_that_wrote_it():
    data = b"x" * (3 * CHUNK + 5)
    reader = stream.DecryptingReader(io.BytesIO(seal(data)), [Fernet.generate_key().decode(), KEY])
    pieces = []
    while piece := reader.read(7):
        pieces.append(piece)
    assert b"".join(pieces) == data


def test_same_data_never_seals_the_same_way():
    assert seal(b"same") != seal(b"same")


def records(sealed: bytes) -> list[tuple[int, int]]:
    """(start, end) of each record after the header."""
    position, found = stream._HEADER.size, []
    while position < len(sealed):
        length = int.from_bytes(sealed[position : position + 4], "big")
        found.append((position, position + 4 + length))
        position += 4 + length
    return found


def damaged_versions(sealed: bytes) -> dict[str, bytes]:
    parts = records(sealed)
    first, second = parts[0], parts[1]
    flipped = bytearray(sealed)
    flipped[first[0] + 10] ^= 1
    swapped = (
        sealed[: first[0]]
        + sealed[second[0] : second[1]]
        + sealed[first[0] : first[1]]
        + sealed[second[1] :]
    )
    header = bytearray(sealed)
    header[20] ^= 1  # inside the salt
    return {
        "a flipped bit": bytes(flipped),
        "cut at a chunk boundary": sealed[: parts[-1][0]],
        "cut inside a chunk": sealed[:-5],
        "reordered chunks": swapped,
        "data after the end": sealed + sealed[parts[0][0] : parts[0][1]],
        "an altered header": bytes(header),
        "no final chunk, last one dropped and nothing after": sealed[: parts[1][0]],
    }


DAMAGES = (
    "a flipped bit",
    "cut at a chunk boundary",
    "cut inside a chunk",
    "reordered chunks",
    "data after the end",
    "an altered header",
    "no final chunk, last one dropped and nothing after",
)


@pytest.mark.parametrize("damage", DAMAGES)
def test_damage_is_refused(damage):
    damaged = damaged_versions(seal(b"y" * 4 * CHUNK))[damage]
    with pytest.raises(BackupUnreadable) as caught:
        unseal(damaged)
    assert caught.value.code == "backup_unreadable"


def test_wrong_key_is_refused_by_name():
    with pytest.raises(BackupUnreadable, match="None of the configured field-encryption keys"):
        unseal(seal(b"secret"), keys=[Fernet.generate_key().decode()])


def test_a_file_that_is_not_a_backup_is_refused():
    with pytest.raises(BackupUnreadable, match="not a salesdesk backup"):
        unseal(b"PK\x03\x04 a zip file, not a backup at all, long enough for a header")
