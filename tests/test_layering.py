"""The PO codec sits below the pipeline: reading a PO file loads no stage of a run."""

from __future__ import annotations

import subprocess
import sys

_STAGES = ("article", "segment", "masking", "matcher", "rerun", "runner", "batch", "decoder")


def test_the_po_codec_imports_no_pipeline_stage() -> None:
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, workflow.pofile, workflow.output; "
            "print(' '.join(m for m in sys.modules if m.startswith('workflow.')))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert not [m for m in loaded if m.removeprefix("workflow.").split(".")[0] in _STAGES]
