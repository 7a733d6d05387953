"""The import's column-at-a-time steps agree with the one-value rules they stand in for."""

import datetime as dt

import numpy as np
import pyarrow as pa

from twinmap.core import dates
from twinmap.core.text import fold
from twinmap.ingest import bulk

NAMES = ["Sari", "  SARI  ", "St. Charles", "a_b", "x--y__z", "", "Ярославль", "Montesilvano ", "São Paulo",
         "كرمان", "A1 b2", "!!", "tab\there", "Saint-Étienne", "ﬁre", None]  # fmt: skip


def test_folding_a_column_folds_each_name_as_one_name_is_folded() -> None:
    """ASCII names are folded in C, the rest in Python: both must match what a held city's name folds to."""
    got = bulk.folded(pa.array(NAMES, pa.string())).to_pylist()
    assert got == [fold(n) if n is not None else None for n in NAMES]
    assert bulk.folded(pa.array(["Sari", "SARI"])).to_pylist() == ["sari", "sari"]


def test_periods_end_where_the_calendar_says() -> None:
    texts = ["2014-05-21", "2014-02", "2016-02", "2014", "1393/02", "1393", "1403/12"]
    parsed = [dates.parse(t) for t in texts]
    starts = pa.array([p.start for p in parsed] + [None], pa.date32())
    kinds = pa.array([p.precision for p in parsed] + [None], pa.string())
    got = bulk.ends(starts, kinds, len(texts) + 1)
    assert [d.item() for d in got[:-1]] == [p.end for p in parsed]
    assert np.isnat(got[-1])
    assert got[1].item() == dt.date(2014, 2, 28) and got[2].item() == dt.date(2016, 2, 29)


def test_rows_alike_share_a_number_and_keys_combine_without_collisions() -> None:
    a = pa.array(["x", "y", "x", None, None])
    b = pa.array([1, 2, 1, None, 3], pa.int64())
    key = bulk.combined([bulk.codes([a]), bulk.codes([b])])
    assert key[0] == key[2] and len(set(key.tolist())) == 4  # None is a value, and (None, None) != (None, 3)
    groups = bulk.groups_in_order(key, np.arange(5))
    assert [g.tolist() for g in groups] == [[0, 2], [1], [3], [4]]
    assert bulk.first_of(key, int(key.max()) + 1, among=np.array([False, True, True, True, True]))[key[0]] == 2


def test_folding_agrees_on_every_arrangement_of_spaces_and_punctuation() -> None:
    """Runs of punctuation and spaces anywhere (the byte-table path closes them up in passes)."""
    import random

    rnd = random.Random(7)  # noqa: S311 - test data, not secrets
    names = ["".join(rnd.choice("aB1 ._-,'  é") for _ in range(rnd.randint(0, 14))) for _ in range(5000)]
    column = pa.array([*names, None])
    assert bulk.folded(column).to_pylist() == [*map(fold, names), None]
    assert bulk.folded(column.slice(100, 50)).to_pylist() == [fold(n) for n in names[100:150]]
