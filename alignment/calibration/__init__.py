"""Calibrating a scenario's price elasticities from the company's own deal history (MODEL.md §11).

Read a CRM export (:func:`read_deals`), map its product names to the scenario's
(:func:`suggested_mapping`), fit each product's price response (:func:`calibrate`), and write
the room's choice back into the scenario (:func:`calibrated_scenario`).
"""

from alignment.calibration.applying import (
    CHOICES,
    Choice,
    Chosen,
    PriceEvidence,
    available_choices,
    calibrated_scenario,
    chosen_value,
    price_evidence,
    suggested_choice,
)
from alignment.calibration.caveats import Caveat
from alignment.calibration.deals import Deals, deals_from_table, read_deals
from alignment.calibration.errors import DealFileError
from alignment.calibration.estimation import Calibration, ProductFit, calibrate
from alignment.calibration.products import (
    completed,
    mapping_problems,
    read_product_map,
    suggested_mapping,
)
from alignment.calibration.reading import MAX_BYTES, MAX_ROWS, read_deal_file

__all__ = [
    "CHOICES",
    "MAX_BYTES",
    "MAX_ROWS",
    "Calibration",
    "Caveat",
    "Choice",
    "Chosen",
    "DealFileError",
    "Deals",
    "PriceEvidence",
    "ProductFit",
    "available_choices",
    "calibrate",
    "calibrated_scenario",
    "chosen_value",
    "completed",
    "deals_from_table",
    "mapping_problems",
    "price_evidence",
    "read_deal_file",
    "read_deals",
    "read_product_map",
    "suggested_choice",
    "suggested_mapping",
]
