"""One app process, ready before it takes its first visitor:
``python -m workshop_ui.serve [streamlit run's options]``.

``streamlit run app.py`` loads the app's code on the first visit: in a hosted workshop the
first people routed to each process waited for the imports and the solvers (3–4 s on a 2-core
machine), and a room joining at once did so on every process together. This loads them first
(:func:`workshop_ui.collector.tune`), then hands over to Streamlit's own command line, so the
process answers its health check, and the proxy sends it people, only once it is ready.
"""

from __future__ import annotations

import sys

from workshop_ui import collector


def main(options: list[str]) -> int:
    collector.tune()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", "app.py", *options]
    return int(cli.main(prog_name="streamlit") or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
