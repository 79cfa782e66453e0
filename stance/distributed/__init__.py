"""Label a corpus too big for one machine on a Ray cluster (`stance label --engine ray`).

`shards` plans deterministic shards (byte ranges of thread JSONL, row groups of Parquet) and
reads them back as threads; `output` owns the sharded output directory (atomic parts, `.done`
markers, resume, merge); `ray_engine` runs the shards through a pool of labeler actors with
Ray Data. Only `ray_engine` imports ray, and only inside its functions, so `stance` stays
importable without the `ray` extra.
"""
