"""Entry script for the PyInstaller build (packaging/partnerdesk.spec).

The installed `partnerdesk` command is a console-script entry point; PyInstaller needs a real
file, and this is it: the same `partnerdesk.cli.main:main`, so the bundled app takes the same
arguments (no subcommand opens the window; `partnerdesk --help` lists the rest).
"""

import sys

from partnerdesk.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
