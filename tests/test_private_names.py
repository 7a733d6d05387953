"""Every private Streamlit or streamlit-folium name twinmap uses is listed here, with why; a new one fails.

A private name is a module outside the documented API (``streamlit.runtime``, ``streamlit.web``,
a component's inner module) or an attribute with a leading underscore. Each listed one is also
looked up in the installed library, so an upgrade that moves it fails here, naming what moved,
before a page loses its map or the server its start-up.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from .conftest import ROOT

LIBRARIES = ("streamlit", "streamlit_folium")
# Documented modules, and the documented names one may import from them.
PUBLIC = {
    "streamlit": None,  # `import streamlit as st`: its attributes are the documented API (underscores aside)
    "streamlit_folium": {"st_folium", "folium_static"},
    "streamlit.components.v1": {"html", "iframe", "declare_component"},
    "streamlit.components.v2": None,
    "streamlit.testing.v1": {"AppTest"},
}
# (file, name) -> why it is still used. Removing a use removes its line (a test says so).
KNOWN = {
    ("twinmap/ui/compat.py", "streamlit.auth_util"): "the sign-on provider of secrets.toml (issue 41: st.App)",
    ("twinmap/ui/compat.py", "streamlit.config"): "Streamlit's option table, to type `twinmap serve` flags",
    ("twinmap/ui/compat.py", "streamlit.config._config_options_template"): "the same option table",
    ("twinmap/ui/compat.py", "streamlit.web.bootstrap"): "read the options before pages open (issue 41: lifespan)",
    ("twinmap/ui/compat.py", "streamlit.runtime.Runtime"): "register the map component in a server made later",
    ("twinmap/ui/compat.py", "streamlit.runtime.pages_manager.PagesManager"): "a direct page URL keeps its frame",
    ("twinmap/ui/compat.py", "streamlit.runtime.scriptrunner_utils.script_run_context.ThreadState"): "the same",
    ("twinmap/ui/compat.py", "streamlit.runtime.scriptrunner_utils.script_run_context.get_script_run_ctx"): "same",
    ("twinmap/ui/compat.py", "streamlit.components.v1.custom_component"): "the map's script encoded to JSON once",
    ("twinmap/ui/compat.py", "streamlit_folium._component_func"): "the map sent as st_folium sends it, prepared once",
    ("twinmap/ui/compat.py", "streamlit_folium._get_header"): "the same",
    ("twinmap/ui/compat.py", "streamlit_folium._get_html"): "the same",
    ("twinmap/ui/compat.py", "streamlit_folium._get_map_string"): "the same",
}


def _private(module: str, name: str | None) -> bool:
    """Whether importing ``name`` from ``module`` (or the module itself) reaches past the documented API."""
    if module not in PUBLIC:
        return True
    if name is None:
        return False
    allowed = PUBLIC[module]
    return (
        name.startswith("_")
        or (allowed is not None and name not in allowed)
        or (allowed is None and module == "streamlit" and name in {"auth_util", "config", "runtime", "web", "elements"})
    )


def _imports(tree: ast.AST) -> tuple[dict[str, str], set[str]]:
    """Local names bound to the libraries (name -> the library path it stands for), and the private imports."""
    names: dict[str, str] = {}
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in (a for a in node.names if a.name.split(".")[0] in LIBRARIES):
                names[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
                found |= {a.name} if _private(a.name, None) else set()
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in LIBRARIES:
            for a in node.names:
                names[a.asname or a.name] = f"{node.module}.{a.name}"
                found |= {f"{node.module}.{a.name}"} if _private(node.module, a.name) else set()
    return names, found


def uses(source: str) -> set[str]:
    """The private names a file's source imports or reads (an underscore attribute of an imported library name)."""
    tree = ast.parse(source)
    names, found = _imports(tree)
    return found | {
        f"{names[node.value.id]}.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in names
        and node.attr.startswith("_")
    }  # fmt: skip


def _files() -> list[Path]:
    return [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "twinmap").rglob("*.py"))]


def _all_uses() -> set[tuple[str, str]]:
    return {(str(f.relative_to(ROOT)), name) for f in _files() for name in uses(f.read_text(encoding="utf-8"))}


def test_every_private_name_sits_in_the_compat_module():
    assert {f for f, _n in KNOWN} == {"twinmap/ui/compat.py"}


def test_no_new_private_name_is_used():
    new = sorted(_all_uses() - set(KNOWN))
    assert not new, (
        f"new private Streamlit or streamlit-folium names: {new}. Use a public API (st.App, components v2, "
        "st.html), or put the use in twinmap/ui/compat.py, list it in KNOWN with why, and add a check below."
    )


def test_every_listed_private_name_is_still_used():
    gone = sorted(set(KNOWN) - _all_uses())
    assert not gone, f"no longer used: {gone}; remove them from KNOWN"


@pytest.mark.parametrize("name", sorted({n for _f, n in KNOWN}))
def test_every_private_name_is_still_where_twinmap_expects_it(name):
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):  # the longest importable module, then attributes down from it
        try:
            found = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            assert hasattr(found, attr), f"{name}: the installed library has no {attr!r} there any more; see KNOWN"
            found = getattr(found, attr)
        return
    pytest.fail(f"{name}: no such module in the installed library; see KNOWN")


def test_the_scan_would_catch_a_new_private_name():
    source = (
        "import streamlit as st\nimport streamlit_folium as sf\nfrom streamlit.runtime import Runtime\n"
        "from streamlit.components.v1 import html\nx = sf._get_html\ny = st._main\nz = st.markdown\n"
    )
    assert uses(source) == {"streamlit.runtime.Runtime", "streamlit_folium._get_html", "streamlit._main"}
