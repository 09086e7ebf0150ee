"""Render resources/icons/partnerdesk.svg to the PNG sizes the app, the wheel and the
Linux desktop files use.

    python packaging/render_icons.py            # from the repository root, in the venv

Only needs PySide6 (QtSvg is part of PySide6-Essentials) and no display.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

SIZES = (16, 32, 48, 64, 128, 256, 512)
ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"


def render(svg: Path, size: int, out: Path) -> None:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"render_icons: {svg} is not a valid SVG for Qt")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    if not image.save(str(out), "PNG"):
        raise SystemExit(f"render_icons: could not write {out}")


def main(argv: list[str]) -> int:
    svg = Path(argv[1]) if len(argv) > 1 else ICONS / "partnerdesk.svg"
    out_dir = Path(argv[2]) if len(argv) > 2 else ICONS
    _app = QGuiApplication.instance() or QGuiApplication(argv[:1])
    out_dir.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        out = out_dir / f"partnerdesk-{size}.png"
        render(svg, size, out)
        print(f"{out} ({size}x{size})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
