"""The walkthrough notebook runs top to bottom, offline, with the kernel of this interpreter."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "walkthrough.ipynb"


def _ready() -> str | None:
    """Why the notebook cannot run yet, or None."""
    try:
        from stance.infer import Labeler  # noqa: F401
    except ImportError:
        return "stance.infer.Labeler is not available yet"
    from stance.model.io import default_model_dir

    if not (default_model_dir() / "stance_config.json").is_file():
        return "no shipped default model in models/default"
    return None


def test_notebook_is_valid_and_uses_only_the_public_api() -> None:
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    source = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "code")
    assert "from stance.infer import InferenceConfig, Labeler" in source
    assert "from stance.thread.parse import ParseOptions, parse_paths" in source
    assert "from stance.report import" in source
    for private in ("stance.report.scope", "stance.report.records", "stance.model",
                    "import torch", "import transformers"):
        assert private not in source
    assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code"), \
        "commit the notebook without outputs"


@pytest.mark.model
def test_notebook_runs_top_to_bottom(tmp_path: Path) -> None:
    import nbformat
    from nbclient import NotebookClient

    reason = _ready()
    if reason:
        pytest.skip(reason)
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # kernel "python3" is ipykernel's own spec: jupyter_client starts it with sys.executable,
    # so the notebook runs in this virtual environment.
    client = NotebookClient(nb, kernel_name="python3", timeout=900,
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    errors = [o for cell in nb.cells for o in cell.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors, errors
    out = REPO / "out" / "walkthrough.report.json"
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["records"] > 0 and data["corpus"]["labels"]["stance"]["total"] > 0
    images = [o for cell in nb.cells for o in cell.get("outputs", [])
              if "image/png" in o.get("data", {})]
    assert len(images) >= 1
    nbformat.write(nb, tmp_path / "executed.ipynb")
