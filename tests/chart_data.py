"""Reading a chart's datasets back as the tests see them."""

from __future__ import annotations

import pyarrow as pa


def arrow_rows(data: bytes) -> list[dict]:
    """A dataset as Streamlit sends it (Arrow IPC bytes), read back as rows."""
    return pa.ipc.open_stream(data).read_all().to_pylist()
