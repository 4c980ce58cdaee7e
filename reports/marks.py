"""The transcription markup the reports know on a witness's words (``Source.flags``).

Offers:
    MARKS   the marks, in the order the HTML page's legend explains them
"""

from __future__ import annotations

__all__ = ["MARKS"]

MARKS = ("add", "del", "supplied", "unclear", "damage", "surplus", "secl")
