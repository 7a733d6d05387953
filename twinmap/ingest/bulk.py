"""Column-at-a-time helpers of the import: group rows by values, fold names, find periods' ends.

A file of a million rows holds a few thousand distinct dates, codes and city names. The
importer works on whole columns (Arrow arrays) and runs Python only once per distinct value;
these helpers are the vectorised steps it is built from, each testable on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from twinmap.core import dates
from twinmap.core.text import fold


def nulls(n: int) -> pa.Array:
    """A column of ``n`` missing values."""
    return pa.nulls(n)


def per_distinct(column: pa.Array, convert: Callable[[Any], Any], kind: pa.DataType | None = None) -> pa.Array:
    """``convert`` applied once per distinct value of a column, spread back over its rows."""
    if len(column) == 0:
        return pa.array([], kind)
    if pa.types.is_null(column.type):
        return pa.array([convert(None)] * len(column), kind)
    encoded = pc.dictionary_encode(column, null_encoding="encode")
    values = pa.array([convert(v) for v in encoded.dictionary.to_pylist()], kind)
    return values.take(encoded.indices)


def folded(column: pa.Array) -> pa.Array:
    """Text compared without case or accents (:func:`~twinmap.core.text.fold`); other types unchanged.

    ASCII text, most of a large file, is folded in C by the same rule (lower case, every run of
    other characters than letters and digits one space, trimmed); the rest once per distinct value.
    """
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        return column
    column = column.cast(pa.string())
    quick = _fold_ascii(column)
    ascii_only = pc.string_is_ascii(column).fill_null(True)
    if pc.all(ascii_only).as_py() is not False:
        return quick
    other = pc.if_else(ascii_only, pa.scalar(None, pa.string()), column)
    slow = per_distinct(other, lambda v: fold(v) if v is not None else None, pa.string())
    return pc.if_else(ascii_only, quick, slow)


# Each ASCII byte as folding leaves it: letters lower case, digits kept, anything else a space.
_ASCII_FOLD = np.array(
    [b + 32 if 65 <= b <= 90 else b if (97 <= b <= 122 or 48 <= b <= 57) else 32 for b in range(256)], dtype=np.uint8
)


def _fold_ascii(column: pa.Array) -> pa.Array:
    """:func:`~twinmap.core.text.fold` of ASCII text: a byte table, then runs of spaces closed up, then trimmed.

    A regular expression over a million titles takes a second; the table and a few passes of
    a literal replace (each halves every run of spaces) a tenth of that.
    """
    validity, offsets, data = column.buffers()
    if data is None:
        return column
    mapped = pa.py_buffer(_ASCII_FOLD[np.frombuffer(data, dtype=np.uint8)].tobytes())
    spaced = pa.StringArray.from_buffers(len(column), offsets, mapped, validity, column.null_count, column.offset)
    while pc.any(pc.match_substring(spaced, "  ")).as_py():
        spaced = pc.replace_substring(spaced, "  ", " ")
    return pc.ascii_trim(spaced, " ")


def _common(columns: Sequence[pa.Array]) -> list[pa.Array]:
    """Columns cast to one type, so equal values from the file and the store get one code."""
    kinds = [c.type for c in columns if not pa.types.is_null(c.type)]
    if not kinds:
        return [c.cast(pa.int64()) for c in columns]
    kind = kinds[0]
    if pa.types.is_integer(kind):
        kind = pa.int64()
    elif pa.types.is_large_string(kind):
        kind = pa.string()
    return [c.cast(kind) for c in columns]


def codes(columns: Sequence[pa.Array]) -> np.ndarray:
    """One whole number per row for the values of a column, equal where the values are (None is a value)."""
    column = pa.concat_arrays(_common(columns)) if len(columns) > 1 else _common(columns)[0]
    if len(column) == 0:
        return np.zeros(0, dtype=np.int64)
    return pc.dictionary_encode(column, null_encoding="encode").indices.to_numpy().astype(np.int64)


def combined(parts: Sequence[np.ndarray]) -> np.ndarray:
    """One number per row for a combination of per-column codes (a composite key), without overflow."""
    if not parts:
        return np.zeros(0, dtype=np.int64)
    out = parts[0]
    for part in parts[1:]:
        out = pd.factorize(out * (int(part.max(initial=0)) + 1) + part)[0].astype(np.int64)
    return out


def first_of(group: np.ndarray, size: int, among: np.ndarray | None = None) -> np.ndarray:
    """For each group number below ``size``, the first position (of those ``among``) holding it, else -1."""
    out = np.full(size, -1, dtype=np.int64)
    where = np.arange(len(group)) if among is None else np.flatnonzero(among)
    found, first = np.unique(group[where], return_index=True)
    out[found] = where[first]
    return out


def groups_in_order(group: np.ndarray, rows: np.ndarray) -> list[np.ndarray]:
    """The ``rows`` split by their group, each group's rows in file order, groups by their first row."""
    if rows.size == 0:
        return []
    order = rows[np.argsort(group[rows], kind="stable")]
    split = np.split(order, np.flatnonzero(np.diff(group[order])) + 1)
    split.sort(key=lambda g: g[0])
    return split


def ints(column: pa.Array | None, n: int) -> np.ndarray:
    """Whole numbers of a column with 0 for a missing value (ids are never 0)."""
    if column is None or pa.types.is_null(column.type):
        return np.zeros(n, dtype=np.int64)
    return column.cast(pa.int64()).fill_null(0).to_numpy()


def numbers(column: pa.Array | None, n: int) -> np.ndarray:
    """Numbers of a column with NaN for a missing value."""
    if column is None or pa.types.is_null(column.type):
        return np.full(n, np.nan)
    return column.cast(pa.float64()).to_numpy(zero_copy_only=False)


def starts(column: pa.Array | None, n: int) -> np.ndarray:
    """A date column as days (NaT where missing)."""
    if column is None or pa.types.is_null(column.type):
        return np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    return column.cast(pa.date32()).to_numpy(zero_copy_only=False).astype("datetime64[D]")


def ends(start: pa.Array | None, precision: pa.Array | None, n: int) -> np.ndarray:
    """The last day of each row's period (a month's last day for "2014-05"), NaT where missing."""
    first = starts(start, n)
    if precision is None or pa.types.is_null(precision.type):
        return first
    return dates.period_ends(first, np.asarray(precision.to_pylist(), dtype=object))
