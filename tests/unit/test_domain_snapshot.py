"""ListSnapshot: the imports of one list's snapshots, taken in date order."""

from __future__ import annotations

from datetime import date

import pytest

from regledger.domain import ImportedSnapshot, ListSnapshot
from regledger.domain.errors import SnapshotOrderError
from regledger.domain.snapshot import snapshot_id


def _imported(day: str, digest: str = "a" * 64, listed: int = 1) -> ImportedSnapshot:
    return ImportedSnapshot(date.fromisoformat(day), digest, entries=listed, listed=listed, amended=0, delisted=0)


def test_a_list_has_one_snapshot_stream_with_a_deterministic_id() -> None:
    stream = ListSnapshot.register("us-bis-entity-list")

    assert stream.id == snapshot_id("us-bis-entity-list")
    assert stream.newest is None


def test_an_import_is_remembered_with_its_date_digest_and_counts() -> None:
    stream = ListSnapshot.register("us-bis-entity-list")

    stream.take(_imported("2019-06-03", listed=3))

    assert stream.newest == date(2019, 6, 3)
    assert stream.find(date(2019, 6, 3), "a" * 64) == _imported("2019-06-03", listed=3)
    assert stream.find(date(2019, 6, 3), "b" * 64) is None
    assert stream.find(date(2019, 6, 3), "a" * 64).recorded == 3  # type: ignore[union-attr]


def test_an_older_snapshot_is_refused_naming_both_dates() -> None:
    stream = ListSnapshot.register("us-bis-entity-list")
    stream.take(_imported("2019-09-02"))

    with pytest.raises(SnapshotOrderError, match=r"as published 2019-06-03 is older than .* 2019-09-02") as refused:
        stream.take(_imported("2019-06-03"))

    assert refused.value.field == "as_published"
    assert len(stream.imports) == 1


def test_several_snapshots_of_one_day_are_counted() -> None:
    stream = ListSnapshot.register("us-bis-entity-list")

    stream.take(_imported("2019-06-03"))
    stream.take(_imported("2019-06-03", digest="b" * 64))

    assert stream.imports_on(date(2019, 6, 3)) == 2
    assert stream.imports_on(date(2019, 6, 4)) == 0


def test_a_snapshot_superseded_on_its_day_is_no_longer_the_one_imported() -> None:
    stream = ListSnapshot.register("us-bis-entity-list")
    stream.take(_imported("2019-06-03"))
    stream.take(_imported("2019-06-03", digest="b" * 64))
    stream.take(_imported("2019-09-02"))

    assert stream.find(date(2019, 6, 3), "a" * 64) is None
    assert stream.find(date(2019, 6, 3), "b" * 64) is not None
