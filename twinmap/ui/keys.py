"""Keys the read cache derives from what a view is made of: never written by hand at a call site.

A view's key is its function (file and qualified name, the bound values of a ``partial``) and
its arguments. A frame or object that came out of the cache stands in a key for the read that
made it (:func:`note` records that on its way out), so a view of "the partnerships of this
filter and reader" is keyed by that read, the reader's scope included, not by a label a page
chose. Anything that cannot be keyed by value (a frame a page filtered, a list, a lambda, a
function that reads a page's variables) is refused with a ``TypeError`` naming it: a wrong key
would show one reader's rows to another, a refused one only costs a test run.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import types
import weakref
from collections.abc import Callable, Hashable
from typing import Any

import numpy as np

_origins: dict[int, tuple[weakref.ref, Hashable, Hashable]] = {}
_PLAIN = (type(None), bool, int, float, complex, str, bytes, dt.date, dt.time, dt.timedelta, enum.Enum, np.generic)
# what a page-level view function may read from its page's globals: code, and constants named in capitals
_CODE = (types.ModuleType, types.FunctionType, types.BuiltinFunctionType, type, functools.partial)


def note(value: Any, key: Hashable) -> Any:
    """Record that ``value`` (leaving the cache) is what ``key`` made; ``value`` unchanged.

    Values that cannot be referred to weakly (numbers, strings, tuples) are keyed by themselves.
    """
    try:
        ref = weakref.ref(value, functools.partial(_forget, id(value)))
    except TypeError:
        return value
    _origins[id(value)] = (ref, key, _shape(value))  # one dict operation: atomic, no lock (see _forget)
    return value


def _shape(value: Any) -> Hashable:
    """A frame's length and columns: a frame a page changed (a column added) no longer stands for its read."""
    columns = getattr(value, "columns", None)
    return (len(value), tuple(columns)) if columns is not None else None


def _forget(ident: int, ref: weakref.ref) -> None:
    """Drop a dead value's entry (a weak reference's callback).

    No lock: the garbage collector may call this in any thread, in the middle of anything,
    :func:`note` included, and a lock held there would never be given back. A value's id is not
    reused before this runs.
    """
    found = _origins.get(ident)
    if found is not None and found[0] is ref:
        _origins.pop(ident, None)


def origin(value: Any) -> Hashable | None:
    """The key of the read or view ``value`` came out of the cache from, or None."""
    found = _origins.get(id(value))
    return found[1] if found is not None and found[0]() is value and found[2] == _shape(value) else None


def function(make: Callable) -> Hashable:
    """A function's key: where it is defined and its name, with a ``partial``'s bound values.

    A lambda or a nested function may hold values of the run in its closure, and a function
    defined in a page may read the page's variables: neither can be named by its code alone.
    """
    if isinstance(make, functools.partial):
        bound = tuple(argument(a) for a in make.args)
        named = tuple(sorted((k, argument(v)) for k, v in make.keywords.items()))
        return ("partial", function(make.func), bound, named)
    code = getattr(make, "__code__", None)
    name = getattr(make, "__qualname__", repr(make))
    if code is None:  # a builtin or a C function: its module names it
        return (getattr(make, "__module__", None), name)
    if "<lambda>" in name or "<locals>" in name or make.__closure__:
        raise TypeError(f"a cached view needs a named function of its arguments, not {name} (it may hold run values)")
    if make.__module__ == "__main__":  # a page's own function: it must not read the page's data
        _reads_only_code(make, code)
    return (code.co_filename, name)


def _reads_only_code(make: types.FunctionType, code: types.CodeType) -> None:
    """Refuse a page's function that reads one of the page's values (its result would depend on it, unkeyed)."""
    for name in code.co_names:
        value = make.__globals__.get(name, None)
        if name in make.__globals__ and not isinstance(value, _CODE) and not name.isupper():
            raise TypeError(f"{make.__qualname__} reads the page's {name!r}: pass it as an argument of the view")
    for inner in (c for c in code.co_consts if isinstance(c, types.CodeType)):
        _reads_only_code(make, inner)


def argument(value: Any) -> Hashable:
    """An argument's key: what the cache made it from, or its own value when that is plain and immutable."""
    made = origin(value)
    if made is not None:
        return ("from", made)
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, tuple | frozenset):
        return type(value)(argument(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type) and value.__dataclass_params__.frozen:
        hash(value)  # its fields must be hashable too
        return value
    if callable(value):
        return function(value)
    raise TypeError(
        f"a {type(value).__name__} that did not come out of the cache cannot key a view: "
        "pass the cached value it was made from, or plain values"
    )


def derived(make: Callable, args: tuple) -> Hashable:
    """The key of ``make(*args)``."""
    return (function(make), tuple(argument(a) for a in args))
