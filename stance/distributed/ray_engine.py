"""`stance label --engine ray`: label shards on a Ray cluster with a pool of labeler actors.

The driver plans the shards (`shards.plan_shards`), skips the finished ones on `--resume`, and
hands the rest to Ray Data as one row per shard. `map_batches` runs `ShardLabeler`, a stateful
actor that loads the model once and then, per shard, reads its threads, labels them with the
same `Labeler` as the local engine and writes `part-XXXXX.jsonl` plus its `.done` marker. A
thread never straddles two shards (agreement needs the parent's vector), so shards are
independent and the run scales with the number of actors.

The model is read on the driver and shipped to the actors through Ray's object store, so
`--model` only has to exist where the command runs. Ray is imported inside functions only.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from stance.distributed import output as out
from stance.distributed.shards import (
    DEFAULT_SHARD_BYTES,
    Shard,
    ShardNotes,
    is_uri,
    location_of,
    plan_shards,
    read_shard,
)
from stance.errors import InputError, StanceError
from stance.infer.config import InferenceConfig
from stance.io import STDIO, FileNotes
from stance.settings import checked_settings
from stance.thread.parse import ParseOptions

logger = logging.getLogger(__name__)

INSTALL_HINT = "the ray engine needs Ray: pip install 'stance[ray]'"
WORKER_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
              "TOKENIZERS_PARALLELISM": "false"}


@dataclass(frozen=True, slots=True)
class RayOptions:
    """Where and how wide to run. `address=None` starts a private local Ray instance
    (`local_num_cpus` and `object_store_bytes` size it); "auto" joins the cluster this machine
    belongs to; "ray://head:10001" connects through Ray Client."""

    address: str | None = None
    #: Labeler actors; None = one per GPU (or per CPU when no GPUs are asked for).
    num_workers: int | None = None
    num_gpus_per_worker: float = 0.0
    num_cpus_per_worker: float = 1.0
    shard_bytes: int = DEFAULT_SHARD_BYTES
    local_num_cpus: int | None = None
    object_store_bytes: int | None = None

    def __post_init__(self) -> None:
        if self.num_workers is not None and self.num_workers < 1:
            raise InputError(f"--num-workers must be at least 1, not {self.num_workers}")
        if self.num_gpus_per_worker < 0 or self.num_cpus_per_worker <= 0:
            raise InputError("GPUs per worker must be 0 or more and CPUs per worker above 0")
        if self.shard_bytes < 1:
            raise InputError(f"shard size must be at least one byte, not {self.shard_bytes}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RayOptions:
        return cls(**checked_settings(cls, data, "ray"))


def import_ray() -> Any:
    """Ray, or a one-sentence InputError saying how to install it."""
    try:
        import ray
        import ray.data  # noqa: F401 - the [data] extra, not just ray core
    except ImportError:
        raise InputError(INSTALL_HINT) from None
    return ray


def pack_model(model_dir: str | None) -> tuple[dict[str, bytes], str]:
    """The model directory's files (to ship to the actors) and a fingerprint of them."""
    from stance.model.io import default_model_dir, is_stance_model

    path = Path(model_dir) if model_dir else default_model_dir()
    if not is_stance_model(path):
        raise InputError(f"{path} is not a stance model directory (no stance_config.json); "
                         "train one with 'stance train' or pass --model")
    files = {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.is_file()}
    digest = hashlib.sha256()
    for name, data in files.items():
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return files, digest.hexdigest()[:16]


def worker_config(config: InferenceConfig, options: RayOptions) -> InferenceConfig:
    """The actors' settings: their device follows the GPUs they were given."""
    if options.num_gpus_per_worker > 0:
        device = "cuda" if config.device == "auto" else config.device
    elif config.device == "cuda":
        raise InputError("--device cuda needs GPU workers: add --num-gpus-per-worker 1")
    else:
        device = "cpu"
    threads = config.threads or max(1, int(options.num_cpus_per_worker))
    return config.with_options(device=device, threads=threads, progress=False)


class ShardLabeler:
    """The Ray Data actor: loads the model once, then labels and writes whole shards."""

    def __init__(self, model_files: dict[str, bytes], config: dict[str, Any],
                 target: str | None, shard_dir: str, settings: dict[str, Any]) -> None:
        for key, value in WORKER_ENV.items():  # before transformers is imported
            os.environ.setdefault(key, value)
        from stance.infer.labeler import Labeler

        # The Labeler reads everything it needs while it is built, so the copy of the model
        # goes away at once (actors are killed at the end, so nothing is left in /tmp).
        with tempfile.TemporaryDirectory(prefix="stance-model-") as model_dir:
            for name, data in model_files.items():
                (Path(model_dir) / name).write_bytes(data)
            self.labeler = Labeler(model_dir, InferenceConfig.from_dict(config))
        self.target = target
        self.shard_dir = shard_dir
        self.settings = settings

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[str]]:
        """One row per shard in, one JSON marker (or error) per shard out."""
        result: dict[str, list[str]] = {"marker": [], "error": []}
        for spec in batch["shard"]:
            try:
                marker = self.label_shard(Shard.from_dict(json.loads(str(spec))))
            except StanceError as exc:  # reported by the driver as one sentence
                result["marker"].append("")
                result["error"].append(json.dumps({"message": str(exc),
                                                   "exit_code": exc.exit_code}))
                continue
            result["marker"].append(json.dumps(marker))
            result["error"].append("")
        return result

    def label_shard(self, shard: Shard) -> dict[str, Any]:
        started = time.perf_counter()
        notes = ShardNotes(shard.source)
        threads = _Counted(read_shard(shard, ParseOptions(), notes))
        comments, nbytes = out.write_part(self.shard_dir, shard.index,
                                          self.labeler.label(threads, target=self.target))
        summary = {"threads": threads.count, "comments": comments, "bytes": nbytes,
                   "settings": self.settings, "backend": self.labeler.backend_name,
                   "seconds": round(time.perf_counter() - started, 3), **notes.to_dict()}
        out.write_marker(self.shard_dir, shard, summary)
        return {"shard": shard.to_dict(), **summary}


class _Counted(Iterator[Any]):
    """An iterator that counts what passes through it."""

    def __init__(self, items: Iterator[Any]) -> None:
        self._items = items
        self.count = 0

    def __next__(self) -> Any:
        item = next(self._items)
        self.count += 1
        return item


@contextlib.contextmanager
def ray_session(options: RayOptions) -> Iterator[Any]:
    """Ray, initialised for this run (and shut down after) unless the caller already did."""
    ray = import_ray()
    if ray.is_initialized():
        yield ray
        return
    kwargs: dict[str, Any] = {"address": options.address, "configure_logging": False,
                              "log_to_driver": logger.isEnabledFor(logging.INFO),
                              "runtime_env": {"env_vars": WORKER_ENV}}
    if options.address is None:
        kwargs.update(num_cpus=options.local_num_cpus, include_dashboard=False,
                      object_store_memory=options.object_store_bytes)
    try:
        ray.init(**kwargs)
    except (ConnectionError, ValueError, RuntimeError) as exc:
        where = options.address or "a local Ray instance"
        raise StanceError(f"cannot start or reach Ray at {where} ({exc})") from exc
    try:
        yield ray
    finally:
        ray.shutdown()


def pool_size(ray: Any, options: RayOptions, shards: int) -> int:
    """How many actors: as asked, else what the cluster can hold; never more than shards."""
    resources = ray.cluster_resources()
    gpus = options.num_gpus_per_worker
    if gpus > 0 and resources.get("GPU", 0) < gpus:
        if options.address is None:
            raise InputError(f"the local Ray instance has no GPU to give {gpus:g} per worker; "
                             "drop --num-gpus-per-worker or run on a GPU machine")
        logger.warning("the cluster has no free GPUs yet; waiting for the autoscaler")
    fits = int(resources.get("GPU", 0) // gpus if gpus > 0
               else resources.get("CPU", 1) // options.num_cpus_per_worker)
    wanted = options.num_workers or fits
    if wanted > fits and options.address is None:
        logger.warning("the local Ray instance holds only %d worker(s); using %d", fits, fits)
        wanted = fits
    return max(1, min(wanted, shards))


def _warn_if_not_shared(ray: Any, paths: list[str]) -> None:
    nodes = [node for node in ray.nodes() if node.get("Alive")]
    local = [p for p in paths if not is_uri(p)]
    if len(nodes) > 1 and local:
        logger.warning("this cluster has %d nodes: local paths (%s) must be on storage that "
                       "every node mounts, or use s3:// / gs:// URIs", len(nodes), local[0])


def label_with_ray(inputs: list[str], output: str, *, model: str | None = None,
                   config: InferenceConfig | None = None, target: str | None = None,
                   resume: bool = False, options: RayOptions | None = None) -> dict[str, Any]:
    """Label every comment of `inputs` on Ray and return the run's manifest.

    `output` is a directory or URI prefix (shards stay there), a `.jsonl` file (shards go to
    `FILE.parts/` and are merged into it) or `-` (merged to stdout). The records are those the
    local engine writes, in input order once merged.
    """
    options = options or RayOptions()
    actor_config = worker_config(config or InferenceConfig(), options)
    import_ray()
    shards = plan_shards(inputs, options.shard_bytes)
    plan = out.plan_output(output, resume=resume)
    shard_dir = location_of(plan.shard_dir)
    model_files, fingerprint = pack_model(model)
    settings = {"model": fingerprint, "target": target}
    job = _Job(shard_dir, model_files, actor_config, target, settings, options)
    try:
        markers = job.label_missing(shards, resume=resume)
        report_notes([markers[s.index] for s in shards])
        manifest = out.write_manifest(shard_dir, [markers[s.index] for s in shards])
        if plan.merged is not None:
            out.merge(shard_dir, len(shards), plan.merged)
            if plan.owned:
                out.remove_dir(shard_dir)
    finally:
        if plan.merged == STDIO:
            out.remove_dir(shard_dir)
    logger.info("labelled %d comment(s) in %d thread(s) from %d shard(s)",
                manifest["comments"], manifest["threads"], len(shards))
    return manifest


def report_notes(markers: list[dict[str, Any]]) -> None:
    """Say what the workers skipped and repaired as `stance label` does: each file's first
    notes as warnings naming file and line, counted for the exit code (3 when any record was
    skipped). A file none of whose lines holds a thread stops the run (InputError, exit 2)."""
    files: dict[str, list[dict[str, Any]]] = {}
    for marker in markers:
        files.setdefault(marker["shard"]["source"], []).append(marker)
    for source, parts in files.items():
        first = next((note for m in parts for note in m.get("notes", []) if note[0]), None)
        if first is not None and not sum(m["threads"] for m in parts):
            raise InputError(f"{first[1]} (and no other line holds a thread)", path=source,
                             line=first[2])
    for source, parts in files.items():
        notes = FileNotes(source)
        for marker in parts:
            for skipped, message, line, comment in marker.get("notes", []):
                (notes.skip if skipped else notes.repair)(message, line, comment)
        notes.tally(sum(m.get("skipped", 0) for m in parts) - notes.skipped,
                    sum(m.get("repaired", 0) for m in parts) - notes.repaired)
        notes.close()


@dataclass(frozen=True)
class _Job:
    shard_dir: str
    model_files: dict[str, bytes]
    config: InferenceConfig
    target: str | None
    settings: dict[str, Any]
    options: RayOptions

    def label_missing(self, shards: list[Shard], *, resume: bool) -> dict[int, dict[str, Any]]:
        """Markers of every shard: finished ones from disk, the others labelled now."""
        if resume:
            markers = out.finished_shards(self.shard_dir, shards, self.settings)
        else:
            if removed := out.clear(self.shard_dir):
                logger.info("removed %d file(s) of an earlier run from %s", removed,
                            self.shard_dir)
            markers = {}
        todo = [shard for shard in shards if shard.index not in markers]
        logger.info("%d shard(s): %d done before, %d to label", len(shards),
                    len(shards) - len(todo), len(todo))
        if not todo:
            return markers
        started, comments = time.perf_counter(), 0
        with ray_session(self.options) as ray, _quiet_ray_logs():
            _warn_if_not_shared(ray, [self.shard_dir, todo[0].location])
            size = pool_size(ray, self.options, len(todo))
            logger.info("labelling with %d Ray actor(s)", size)
            for marker in self._run(ray, todo, size):
                markers[marker["shard"]["index"]] = marker
                comments += marker["comments"]
                logger.info("shard %d done (%d/%d): %d comment(s), %.0f comment(s)/s overall",
                            marker["shard"]["index"], len(markers), len(shards),
                            marker["comments"], comments / (time.perf_counter() - started))
        return markers

    def _run(self, ray: Any, todo: list[Shard], size: int) -> Iterator[dict[str, Any]]:
        ray.data.DataContext.get_current().enable_progress_bars = logger.isEnabledFor(
            logging.DEBUG)
        rows = [{"shard": json.dumps(shard.to_dict())} for shard in todo]
        dataset = ray.data.from_items(rows, override_num_blocks=len(rows)).map_batches(
            ShardLabeler, batch_size=1, batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=size),
            num_cpus=self.options.num_cpus_per_worker,
            num_gpus=self.options.num_gpus_per_worker or None,
            fn_constructor_kwargs={"model_files": self.model_files,
                                   "config": self.config.to_dict(), "target": self.target,
                                   "shard_dir": self.shard_dir, "settings": self.settings})
        try:
            for row in dataset.iter_rows():
                if row["error"]:
                    error = json.loads(row["error"])
                    kind = InputError if error["exit_code"] == InputError.exit_code else StanceError
                    raise kind(error["message"])
                yield json.loads(row["marker"])
        except ray.exceptions.RayError as exc:
            raise StanceError(f"the Ray job failed ({_last_line(exc)})") from exc


def _last_line(exc: BaseException) -> str:
    """The innermost error of a remote traceback, e.g. "InputError: unknown setting"."""
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    last = lines[-1] if lines else type(exc).__name__
    name, sep, message = last.partition(": ")
    return f"{name.rsplit('.', 1)[-1]}{sep}{message}" if sep and " " not in name else last


@contextlib.contextmanager
def _quiet_ray_logs() -> Iterator[None]:
    """Ray Data reports progress at INFO every few seconds and logs a failure's full stack
    before we report it in one sentence: show its progress only at -vv (debug), its warnings
    and errors at -v, and nothing otherwise. Restored afterwards."""
    ray_logger = logging.getLogger("ray.data")
    before = ray_logger.level
    if not logger.isEnabledFor(logging.DEBUG):
        ray_logger.setLevel(logging.WARNING if logger.isEnabledFor(logging.INFO)
                            else logging.CRITICAL)
    try:
        yield
    finally:
        ray_logger.setLevel(before)
