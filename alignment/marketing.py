"""Marketing: lead generation in demand, push content in selling productivity (MODEL.md §6)."""

from __future__ import annotations

import numpy as np


def content_reach(push_content: np.ndarray, scale: float) -> np.ndarray:
    """``ρ = 1 − exp(−B / B̄)``: share of deals push content touches, 0–1."""
    return -np.expm1(-push_content / scale)


def selling_productivity(reach: np.ndarray, productivity_gain: float) -> np.ndarray:
    """Effective hours per selling hour, ``1 + κ ρ``."""
    return 1.0 + productivity_gain * reach


def marketing_roi(earned: np.ndarray, earned_without: np.ndarray, spend: np.ndarray) -> np.ndarray:
    """``(earned with − earned without − spend) / spend``; 0 where nothing is spent.

    ``earned`` is gross margin less the variable sales pay on it, before marketing spend, so the
    commission paid on marketing-driven units counts against marketing.
    """
    safe_spend = np.where(spend > 0, spend, 1.0)
    return np.where(spend > 0, (earned - earned_without - spend) / safe_spend, 0.0)
