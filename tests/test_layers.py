"""The package's layers: each imports only from layers below it, and no module imports itself back.

core < store < ingest, reads < views < ui. ``ingest`` and ``reads`` sit side by side and may not
import each other: an import pipeline and the dashboards' reads meet only in the store.
"""

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

LAYERS = {"core": 0, "store": 1, "ingest": 2, "reads": 2, "views": 3, "ui": 4}
PACKAGE = ROOT / "twinmap"


def _module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _imports(path: Path) -> set[str]:
    """Every twinmap module a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("twinmap"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if (ROOT / (candidate.replace(".", "/") + ".py")).exists() else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("twinmap")}
    return found


GRAPH = {_module(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py")) if p.name != "__main__.py"}


def _layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.get(parts[1]) if len(parts) > 2 else None


@pytest.mark.parametrize("module", sorted(m for m in GRAPH if _layer(m) is not None))
def test_a_module_imports_only_from_lower_layers_or_its_own(module):
    own = module.split(".")[1]
    for target in GRAPH[module]:
        if _layer(target) is None:
            continue
        other = target.split(".")[1]
        if other == own:
            continue
        assert _layer(target) < _layer(module), f"{module} imports {target}: {other} is not below {own}"


def test_no_module_sits_outside_a_layer():
    loose = [m for m in GRAPH if _layer(m) is None and m not in ("twinmap", "twinmap.__main__")]
    loose = [m for m in loose if not m.endswith(tuple(f".{layer}" for layer in LAYERS))]
    assert loose == []


def test_there_is_no_import_cycle():
    state: dict[str, str] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in GRAPH.get(module, ()):
            if target not in GRAPH:
                continue
            assert state.get(target) != "open", " -> ".join([*path, module, target])
            if target not in state:
                visit(target, [*path, module])
        state[module] = "done"

    for module in GRAPH:
        if module not in state:
            visit(module, [])


def test_the_contract_would_catch_an_upward_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from twinmap.ui import cache\n")
    assert "twinmap.ui.cache" in _imports(bad)
    assert _layer("twinmap.ui.cache") > _layer("twinmap.store.db")
