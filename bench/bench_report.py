"""Time and memory of the annual report (PDF) on a store, and the typesetters side by side.

    python bench/bench_report.py --db STORE.duckdb      # a store you built (bench/bench_import.py --keep)
    python bench/bench_report.py --size small --compare 2000   # builds a small store first

Each report is made as ``python -m twinmap report`` makes it, in a fresh process (so a cold
start, as a scheduled job has): reads, the document, Typst. Printed per version and language:
``report_<version>_<lang>_seconds``, ``..._pages``, ``..._bytes``, ``..._peak_mb``. With
``--compare N``, N table lines in Persian typeset by Typst and printed by Chromium (Debian's, the
tests' browser) from the same rows: the measurement behind the choice of typesetter.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SIZES = {"small": {"cities": 600, "partnerships": 1_000, "events": 5_000, "indicators": 20_000}}
RUNS = (("public", "en", 2026), ("internal", "en", 2026), ("internal", "fa", 1405), ("internal", "ru", 2026))

_CHILD = """
import resource, sys, time
t = time.perf_counter()
from twinmap.__main__ import main
code = main(sys.argv[1:])
print("seconds", time.perf_counter() - t, "peak_kb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
sys.exit(code)
"""


def one_report(store: str, version: str, lang: str, year: int, out: Path) -> dict[str, float]:
    """One report made in a fresh process: seconds (from the command's start), pages, bytes, peak memory."""
    args = [str(out), "--year", str(year), "--lang", lang] + (["--internal"] if version == "internal" else [])
    env = {**os.environ, "TWINMAP_DB": store, "TWINMAP_TODAY": "2026-11-23"}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _CHILD, "report", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, check=False)  # fmt: skip
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"report {version} {lang} failed: {done.stderr[-2000:]}")
    figures = dict(re.findall(r"(seconds|peak_kb) (\S+)", done.stdout))
    data = out.read_bytes()
    return {"seconds": wall, "command_seconds": float(figures["seconds"]), "pages": _pages(data),
            "bytes": len(data), "peak_mb": float(figures["peak_kb"]) / 1024}  # fmt: skip


def _pages(pdf: bytes) -> int:
    """The page count Typst writes in the page tree (/Type/Pages/Count N)."""
    found = re.search(rb"/Type\s*/Pages\s*/Count\s+(\d+)", pdf)
    return int(found.group(1)) if found else 0


def compare(lines: int, folder: Path) -> dict[str, str]:
    """The same Persian rows through Typst and through Chromium's print: seconds and bytes, or why not."""
    from twinmap.views import report_pdf as report

    rows = [[f"ساری – آستاراخان {i}", "فعال", f"آخرین رویداد ۱۴۰۴/۰۲/{i % 28 + 1:02d}"] for i in range(lines)]
    table = {"kind": "table", "columns": ["همکاری", "وضعیت", "دلیل"], "widths": [2, 1, 2], "rows": rows}
    data = {"lang": "fa", "rtl": True, "fonts": ["Vazirmatn", "Noto Sans"], "numbering": "۱", "title": "گزارش",
            "subtitle": "", "made": "", "footer": "", "publisher": "bench", "blocks": [table]}  # fmt: skip
    out: dict[str, str] = {}
    started = time.perf_counter()
    pdf = report.pdf(data, {})
    out["typst"] = f"{time.perf_counter() - started:.2f} s, {len(pdf) // 1024} KB, {_pages(pdf)} pages"
    body = "".join(f"<tr><td>{html.escape(a)}</td><td>{b}</td><td>{c}</td></tr>" for a, b, c in rows)
    font = (report.FONTS / "Vazirmatn-Regular.ttf").as_uri()
    (folder / "rows.html").write_text(
        f"<html lang=fa dir=rtl><head><style>@font-face{{font-family:V;src:url({font})}} body{{font-family:V;"
        f"font-size:9.5pt}}</style></head><body><table>{body}</table></body></html>", encoding="utf-8")  # fmt: skip
    try:
        from playwright.sync_api import Error, sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            started = time.perf_counter()
            page = browser.new_page()
            page.goto((folder / "rows.html").as_uri())
            pdf = page.pdf(format="A4")
            out["chromium"] = f"{time.perf_counter() - started:.2f} s, {len(pdf) // 1024} KB"
            browser.close()
    except Error as err:
        out["chromium"] = f"failed ({str(err).splitlines()[0][:60]})"
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing store (DuckDB file or PostgreSQL DSN)")
    parser.add_argument("--size", choices=sorted(SIZES), default="small", help="the store to build without --db")
    parser.add_argument("--compare", type=int, default=0, metavar="N", help="also typeset N lines with each tool")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = args.db
        if not store:
            import bench_pages

            started = time.perf_counter()
            store = str(bench_pages.build(folder, SIZES[args.size]))
            print(f"# {args.size} store built in {time.perf_counter() - started:.0f} s: {json.dumps(SIZES[args.size])}")
        for version, lang, year in RUNS:
            got = one_report(store, version, lang, year, folder / f"{version}-{lang}.pdf")
            name = f"report_{version}_{lang}"
            print(f"{name}_seconds: {got['seconds']:.2f} s")
            print(f"{name}_pages: {got['pages']} pages")
            print(f"{name}_bytes: {got['bytes']} B")
            print(f"{name}_peak_mb: {got['peak_mb']:.0f} MB")
        if args.compare:
            for tool, figure in compare(args.compare, folder).items():
                print(f"# {tool}, {args.compare} lines: {figure}")
    print(f"# bench process peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")


if __name__ == "__main__":
    main()
