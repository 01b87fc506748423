"""Following requests made elsewhere: their ids, picked out of pasted text or ``--follow``.

VESSL has no list endpoint, so a request made with curl, a script or by a
colleague can only be followed by its id.  Users paste whatever holds the ids
(a curl answer ``{"id": "98nlux8b0eu6"}``, a log line, a URL
``…/async/98nlux8b0eu6/output``, a list one a line or comma-separated) into
*History → Follow ids…*, or give them on the command line.

* :mod:`.ids`: the id rule explained (:func:`is_request_id`, :func:`id_problem`)
  and :func:`parse_follow_arg`, the strict reading of ``--follow ID[,ID…]``.
* :mod:`.picking`: :func:`pick_ids`, the lenient reading of any text, for a
  preview where the user unticks what is not an id.

Pure Python and light (no ``core.outputs``): the command line reads ``--follow``
before the window's first frame.
"""

from __future__ import annotations

from vessl_gui.core.follow.ids import (
    MAX_ID_LENGTH,
    WORD_PREVIEW,
    FollowArgError,
    cut_word,
    id_problem,
    is_request_id,
    lower_case_suggestion,
    parse_follow_arg,
)
from vessl_gui.core.follow.picking import PICK_LIMIT, Candidate, NotAnId, Picked, pick_ids

__all__ = [
    "MAX_ID_LENGTH",
    "PICK_LIMIT",
    "WORD_PREVIEW",
    "Candidate",
    "FollowArgError",
    "NotAnId",
    "Picked",
    "cut_word",
    "id_problem",
    "is_request_id",
    "lower_case_suggestion",
    "parse_follow_arg",
    "pick_ids",
]
