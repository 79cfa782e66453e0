"""The annotation loop: sample comments worth labeling, export them for Label Studio or a
spreadsheet with the model's predictions prefilled, and import the corrected labels as
training rows (CONTRACT.md "Annotated data").

    stance label threads.jsonl -o labels.jsonl
    stance sample labels.jsonl --strategy uncertainty --n 200 -o batch1.json
        # batch1.json: Label Studio tasks (create a project with batch1.label_config.xml,
        # import batch1.json, correct the pre-annotations, export as JSON), or
        # batch1.csv: correct the head columns in a spreadsheet, mark `reviewed`
    stance import export.json -o mine.jsonl          # or: stance import batch1.csv
    stance train mine.jsonl --base models/default -o runs/mine
    stance evaluate held_out.jsonl --compare models/default runs/mine
    stance sample labels.jsonl --exclude mine.jsonl -o batch2.json   # next round

Outlets named in a media-bias claim are corrected in the `media_bias_outlets` field (Label
Studio TextArea or CSV column, separated by ";") and land in the rows as a list. `make
annotate-check` runs the loop against a real local Label Studio (`stance.annotate.lscheck`).
"""

from stance.annotate.annotated import ImportReport, normalize_label
from stance.annotate.labelstudio import label_config
from stance.annotate.loop import (
    SampleFiles,
    import_annotations,
    thresholds_from_model,
    write_sample,
)
from stance.annotate.sampling import (
    STRATEGIES,
    SampleItem,
    SampleOptions,
    SampleResult,
    read_exclude,
    sample_records,
)

__all__ = [
    "STRATEGIES",
    "ImportReport",
    "SampleFiles",
    "SampleItem",
    "SampleOptions",
    "SampleResult",
    "import_annotations",
    "label_config",
    "normalize_label",
    "read_exclude",
    "sample_records",
    "thresholds_from_model",
    "write_sample",
]
