"""At 1366x768 and at 2x on 1600x1000 the timeline's Summary gets the slack, no column runs off
the right edge, and the vendor list shows dates, acquirers and health evidence whole.

Each screen is its own process (the offscreen platform takes its screen size at start-up), opened
on a demo journal the way the app opens it; tests/ui/layout_probe.py reports what a rep would see.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnerdesk.services.demo import generate
from partnerdesk.store.journal import Journal

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("layout") / "demo.sqlite3"
    with Journal.open(path) as j:
        generate(j, interactions=300)
    return path


def _probe(demo: Path, tmp: Path, width: int, height: int, scale: int) -> dict:
    screen = tmp / f"screen-{width}.json"
    screen.write_text(json.dumps({"screens": [{"name": "s", "x": 0, "y": 0, "width": width,
                                               "height": height, "logicalDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={screen}",
               QT_SCALE_FACTOR=str(scale), PARTNERDESK_STATE_DIR=str(tmp / "state"))
    out = subprocess.run([sys.executable, str(ROOT / "tests/ui/layout_probe.py"), str(demo),
                          str(tmp / "settings")], capture_output=True, text=True, env=env, cwd=ROOT,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_1366x768_gives_summary_the_slack_and_cuts_nothing_in_the_vendor_list(demo, tmp_path):
    seen = _probe(demo, tmp_path, 1366, 768, 1)
    assert seen["window"][0] >= 1300  # a small screen is used whole
    assert seen["summary_chars"] >= 45, seen["columns"]
    assert seen["header_length"] <= seen["table_width"]  # no column off the right edge
    for col in ("When", "Vendor", "Channel", "Tag", "Summary", "Follow-up"):
        assert col in seen["columns"]
    assert seen["cut_vendor_lines"] == []
    lines = seen["vendor_lines"]
    assert "part of Meridian Telecom" in lines  # the acquirer whole, on its own line
    assert any(" · last 20" in line and len(line.split("last ")[1]) == 10 for line in lines)
    assert any(line.startswith("health ") and "interaction" in line and "promise" in line
               for line in lines)


def test_2x_on_1600x1000_keeps_the_search_box_and_a_readable_summary(demo, tmp_path):
    seen = _probe(demo, tmp_path, 1600, 1000, 2)
    assert seen["screen"] == [800, 500]
    assert seen["search_visible"]
    assert seen["summary_chars"] >= 25, seen["columns"]
    assert seen["header_length"] <= seen["table_width"]
    assert seen["cut_vendor_lines"] == []
    assert any(line.startswith("last 20") or " · last 20" in line for line in seen["vendor_lines"])


@given(st.lists(st.text(alphabet="ab 1", min_size=1, max_size=30).filter(str.strip), min_size=1,
                max_size=5),
       st.integers(min_value=1, max_value=40))
def test_wrapping_keeps_every_word_and_the_width(pieces, width):
    from partnerdesk.ui.vendor_list import wrap_pieces

    lines = wrap_pieces(pieces, width, len)
    words = [w for line in lines for w in line.split() if w != "·"]
    assert words == [w for piece in pieces for w in piece.split()]  # nothing cut or lost
    for line in lines:  # too wide only when one word alone is
        assert len(line) <= width or " " not in line.strip()
