"""Backend details: CUDA out-of-memory retry (simulated on the CPU), parallel tokenization."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from stance.errors import StanceError
from stance.infer.backends import TorchBackend
from stance.infer.synthetic import generate_threads
from stance.infer.tokenize import PairEncoder


def test_out_of_memory_halves_the_batch_and_retries(tiny_model_dir: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import torch

    from stance.model.io import load_model

    model, tokenizer = load_model(tiny_model_dir)
    encoder = PairEncoder(tokenizer, 64)
    batch = encoder.pad(encoder.encode(["topic"] * 10, [f"comment {i} " * i for i in range(10)]))
    reference = TorchBackend(model, "cpu").submit(batch)()

    real = TorchBackend(model, "cpu")._forward
    backend = TorchBackend(model, "cpu")
    backend.cuda = True  # take the CUDA retry path on the CPU
    sizes: list[int] = []

    def forward(part):  # type: ignore[no-untyped-def]
        sizes.append(len(part))
        if len(part) > 3:
            raise torch.cuda.OutOfMemoryError("CUDA out of memory (simulated)")
        return real(part)

    monkeypatch.setattr(backend, "_forward", forward)
    monkeypatch.setattr(torch.cuda, "empty_cache", lambda: None)
    out = backend.submit(batch)()
    np.testing.assert_allclose(out.pooled, reference.pooled, atol=1e-5)
    for task in reference.logits:
        np.testing.assert_allclose(out.logits[task], reference.logits[task], atol=1e-5)
    assert backend.max_rows is not None and backend.max_rows <= 3
    assert sizes[:2] == [10, 5] and sum(s for s in sizes if s <= 3) == 10

    monkeypatch.setattr(backend, "_forward", lambda part: (_ for _ in ()).throw(
        torch.cuda.OutOfMemoryError("always")))
    backend.max_rows = 1
    with pytest.raises(StanceError, match="out of GPU memory even for a single comment"):
        backend.submit(batch)


def test_parallel_tokenization_gives_the_same_rows() -> None:
    from stance.model.io import default_base_path

    pairs = [(t.effective_target, c.text) for t in generate_threads(2500, seed=4)
             for c in t.comments]
    one = PairEncoder.from_dir(default_base_path(), 128)
    many = PairEncoder.from_dir(default_base_path(), 128, workers=3)
    a = one.encode([p[0] for p in pairs], [p[1] for p in pairs])
    b = many.encode([p[0] for p in pairs], [p[1] for p in pairs])
    assert [r.ids for r in a] == [r.ids for r in b]
    assert [r.type_ids for r in a] == [r.type_ids for r in b]
    # a shorter reading (the claim heads' re-read) cuts the same pairs shorter, on any path
    short = [one.encode([p[0] for p in pairs], [p[1] for p in pairs], 48),
             many.encode([p[0] for p in pairs], [p[1] for p in pairs], 48)]
    assert [r.ids for r in short[0]] == [r.ids for r in short[1]]
    assert max(len(r.ids) for r in short[0]) == 48 < max(len(r.ids) for r in a)
    for cut, full in zip(short[0], a, strict=True):
        assert cut.ids[:len(cut.ids) - 1] == full.ids[:len(cut.ids) - 1]  # a prefix, then SEP


def test_onnx_int8_encodes_each_comment_alone_and_unpadded(tiny_model_dir: Path,
                                                           infer_cache: str,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    """Dynamic int8 scales by the whole input: alone, a comment cannot depend on others."""
    from stance.infer.ort import OrtBackend
    from stance.infer.select import ensure_export

    export = ensure_export(str(tiny_model_dir), infer_cache)
    int8, fp32 = OrtBackend(export, int8=True), OrtBackend(export, int8=False)
    encoder = PairEncoder.from_dir(export, 64)
    texts = ["short", "a much longer comment " * 6, "mid length one here"]
    batch = encoder.pad(encoder.encode(["t"] * 3, texts))
    shapes: list[tuple[int, int]] = []
    real = int8._encode
    monkeypatch.setattr(int8, "_encode", lambda b: shapes.append(b.input_ids.shape) or real(b))
    together = int8.run(batch)
    lengths = [len(r.ids) for r in encoder.encode(["t"] * 3, texts)]
    assert shapes == [(1, n) for n in lengths]
    for i, text in enumerate(texts):
        alone = int8.run(encoder.pad(encoder.encode(["t"], [text]), multiple_of=1))
        np.testing.assert_array_equal(alone.pooled[0], together.pooled[i])
    shapes.clear()
    real32 = fp32._encode
    monkeypatch.setattr(fp32, "_encode", lambda b: shapes.append(b.input_ids.shape) or real32(b))
    fp32.run(batch)
    assert shapes == [(1, n) for n in lengths]
