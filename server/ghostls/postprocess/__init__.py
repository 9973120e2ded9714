"""Post-processing: from a model's raw answer to the exact text to insert at the cursor.

Pure functions of the answer and the text around the cursor (no I/O, no LSP, no HTTP):
`postprocess` runs the ordered `STAGES`; `StreamStopper` tells a streaming caller
where the suggestion is complete so it can close the stream early.
"""

from ghostls.cursor import Cursor, Insertion
from ghostls.postprocess.pipeline import STAGES, Stage, postprocess
from ghostls.postprocess.stream import StreamStopper

__all__ = [
    "STAGES",
    "Cursor",
    "Insertion",
    "Stage",
    "StreamStopper",
    "postprocess",
]
