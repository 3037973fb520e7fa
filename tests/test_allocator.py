"""Memory the app lets go of goes back to the system (glibc), in a fresh process each time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from workshop_ui import allocator

ROOT = Path(__file__).resolve().parents[1]
BLOCKS = 200  # of 1 MB, like a flood of uploads

# Prints the resident MB before, holding the blocks, after freeing them, and after give_back().
PROGRAM = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from workshop_ui import allocator

def resident_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024

if sys.argv[1] == "tuned":
    assert allocator.tune()
first = bytearray(1 << 20)  # freed once: plain glibc now keeps blocks of this size in its heap
del first
before = resident_mb()
blocks, pins = [], []
for _ in range({BLOCKS}):
    blocks.append(bytearray(1 << 20))
    pins.append(bytearray(600))  # a small block after each: the heap cannot shrink from its top
held = resident_mb()
del blocks
freed = resident_mb()
allocator.give_back()
print(before, held, freed, resident_mb())
"""

pytestmark = pytest.mark.skipif(allocator._glibc() is None, reason="glibc's allocator only")


def resident_mb_through(mode: str) -> tuple[int, int, int, int]:
    done = subprocess.run([sys.executable, "-c", PROGRAM, mode], capture_output=True, text=True,
                          timeout=60, check=True)  # fmt: skip
    before, held, freed, given_back = map(int, done.stdout.split())
    assert held - before >= BLOCKS * 0.9  # the blocks were really there
    return before, held, freed, given_back


def test_freed_megabyte_blocks_go_back_to_the_system_at_once_when_tuned():
    before, _, freed, _ = resident_mb_through("tuned")
    assert freed - before < 20


def test_untuned_glibc_keeps_them_until_given_back():
    before, _, freed, given_back = resident_mb_through("plain")
    assert freed - before > BLOCKS * 0.75  # the failure mode tuning exists for
    assert given_back - before < 20
