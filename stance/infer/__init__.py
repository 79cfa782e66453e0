"""Batch inference: threads in, label records out (see `Labeler`, `InferenceConfig`).

Importing this package loads neither torch nor transformers; they load when a model does.
"""

from stance.infer.config import InferenceConfig
from stance.infer.engine import Item
from stance.infer.labeler import Labeler, Prediction, Resume, thread_items

__all__ = ["InferenceConfig", "Item", "Labeler", "Prediction", "Resume", "thread_items"]
