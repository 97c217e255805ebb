"""HanTa's German morphology model, loaded once per process.

It takes about 40 MB of memory and a second to load. The language lexicon, the name
finder and the name tagger's features all read it; each once held a copy of its own.
Its word table (``.cache``) is only read while tagging, so sharing it changes nothing.
"""

from __future__ import annotations

import threading
from typing import Any

#: HanTa's tag numbers in its word table (``german().cache``: a word's readings as (tag,
#: log-probability) pairs, best first) of a common noun (NN) and a proper noun (NE)
NN = 20
NE = 12

_lock = threading.Lock()
_model: Any = None


def german() -> Any:
    """The HanoverTagger for German (the first caller loads it; threads wait for it)."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                from HanTa import HanoverTagger

                _model = HanoverTagger.HanoverTagger("morphmodel_ger.pgz")
    return _model
