"""The browser's arc code (static/twinmap/twinlayer.js), run under Node as the browser runs it."""

import itertools
import json
import shutil
import subprocess

import pytest

from twinmap.core.config import STATIC_DIR

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")


def _arc(a: tuple[float, float], b: tuple[float, float]) -> list[list[list[float]]]:
    script = (
        "global.window = global; require(process.argv[1]);"
        f"process.stdout.write(JSON.stringify(TwinLayer.greatCircle({list(a)}, {list(b)})));"
    )
    out = subprocess.run([NODE, "-e", script, str(STATIC_DIR / "twinmap" / "twinlayer.js")],
                         capture_output=True, text=True, check=True, timeout=30)  # fmt: skip
    return json.loads(out.stdout)


def _steps(part):
    return [abs(q[1] - p[1]) for p, q in itertools.pairwise(part)]


def test_an_arc_across_the_antimeridian_is_cut_at_the_edge_never_drawn_across_the_map():
    parts = _arc((43.1, 131.9), (61.2, -149.9))  # Vladivostok to Anchorage, over the Bering Sea
    assert len(parts) == 2
    assert parts[0][0] == pytest.approx([43.1, 131.9]) and parts[0][-1][1] == 180
    assert parts[1][0][1] == -180 and parts[1][-1] == pytest.approx([61.2, -149.9])
    assert parts[0][-1][0] == pytest.approx(parts[1][0][0])  # they meet at the edge
    assert all(max(_steps(p)) < 10 for p in parts)


def test_an_arc_over_the_pole_leaves_the_map_and_comes_back_instead_of_running_along_its_top():
    parts = _arc((60.0, 10.0), (60.0, -170.0))  # Norway to the Bering Sea, straight over the North Pole
    assert len(parts) == 2
    assert all(abs(lat) <= 85 for p in parts for lat, _ in p)
    assert all(max(_steps(p)) < 10 for p in parts)  # no point-to-point run along the edge


def test_an_ordinary_arc_bends_north_as_a_great_circle_does():
    (part,) = _arc((36.56, 53.06), (42.51, 14.15))  # Sari to Montesilvano
    assert max(lat for lat, _ in part) > 42.51
    assert part[-1] == pytest.approx([42.51, 14.15])
