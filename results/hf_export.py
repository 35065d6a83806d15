"""Per-sample results as a Hugging Face dataset folder: parquet files plus a README dataset card.

The card's YAML declares the configs, so `datasets.load_dataset(folder)` (or the Hub, after an upload) finds
the samples and the provenance without guessing. Per-tier measurements stay nested in each sample row.
"""

from __future__ import annotations

from pathlib import Path
from string import Template

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from scaleblind.results.load import KEY, Results

CARD_TEMPLATE = Path(__file__).parent / "templates" / "dataset_card.md"
SAMPLES_FILE = "data/samples-00000-of-00001.parquet"
PROVENANCE_FILE = "data/provenance-00000-of-00001.parquet"
DROP = ["log_path", "log_created"]   # machine-local paths mean nothing to a reader of the Hub dataset
TIER_FIELDS = ["tier", "size", "passed", "failure", "p95_latency_ms", "peak_memory_mb", "api_calls", "queries",
               "efficiency"]


def nest_tiers(samples: pd.DataFrame, tiers: pd.DataFrame) -> pd.Series:
    """Per sample, the list of its tier measurements (in tier order) as dicts."""
    if tiers.empty:
        return pd.Series([[] for _ in range(len(samples))], index=samples.index)
    ordered = tiers.sort_values([*KEY, "tier_index"])
    grouped = {k: g[TIER_FIELDS].astype(object).where(g[TIER_FIELDS].notna(), None).to_dict("records")
               for k, g in ordered.groupby(KEY, sort=False)}
    return pd.Series([grouped.get(tuple(k), []) for k in samples[KEY].itertuples(index=False)], index=samples.index)


def samples_table(res: Results) -> pa.Table:
    """The sample rows with nested tiers, typed explicitly so empty or all-null columns stay well-formed."""
    frame = res.samples.drop(columns=DROP).copy()
    frame["tiers"] = nest_tiers(res.samples, res.tiers)
    tier_type = pa.list_(pa.struct([("tier", pa.string()), ("size", pa.int64()), ("passed", pa.float64()),
                                    ("failure", pa.string()), ("p95_latency_ms", pa.float64()),
                                    ("peak_memory_mb", pa.float64()), ("api_calls", pa.int64()),
                                    ("queries", pa.int64()), ("efficiency", pa.float64())]))
    fields = [pa.field(c, tier_type if c == "tiers" else arrow_type(frame[c])) for c in frame.columns]
    return pa.Table.from_pandas(frame, schema=pa.schema(fields), preserve_index=False)


def arrow_type(column: pd.Series) -> pa.DataType:
    """Arrow type of a tidy column; object columns are strings (None stays null)."""
    if pd.api.types.is_bool_dtype(column):
        return pa.bool_()
    if pd.api.types.is_integer_dtype(column):
        return pa.int64()
    if pd.api.types.is_float_dtype(column):
        return pa.float64()
    return pa.string()


def provenance_table(res: Results) -> pa.Table:
    """One row per log read: task set, image digest, packages (JSON), seed."""
    frame = res.provenance.drop(columns=["log_path"]).copy()
    frame["seed"] = frame["seed"].map(lambda s: None if s is None or s != s else str(s))
    fields = [pa.field(c, arrow_type(frame[c])) for c in frame.columns]
    return pa.Table.from_pandas(frame, schema=pa.schema(fields), preserve_index=False)


def card_text(res: Results) -> str:
    """The README dataset card: what the rows are, how to load them, where they came from."""
    s = res.samples
    prov = res.provenance
    return Template(CARD_TEMPLATE.read_text(encoding="utf-8")).substitute(
        samples_file=SAMPLES_FILE, provenance_file=PROVENANCE_FILE, n_samples=len(s),
        n_models=s["model"].nunique(), n_tasks=s["task"].nunique(),
        size_category=size_category(len(s)), models=", ".join(sorted(s["model"].unique())),
        variants=", ".join(sorted(s["variant"].dropna().unique())),
        taskset_versions=", ".join(sorted(s["taskset_version"].fillna("unknown").astype(str).unique())),
        image_digests=", ".join(sorted(prov["image_digest"].dropna().astype(str).unique())) or "unknown",
        seeds=", ".join(sorted(prov["seed"].dropna().astype(str).unique())) or "unknown",
        n_runs=s["run_id"].nunique())


def size_category(n: int) -> str:
    """The Hub's size_categories bucket."""
    return "n<1K" if n < 1_000 else "1K<n<10K" if n < 10_000 else "10K<n<100K" if n < 100_000 else "100K<n<1M"


def export_dataset(res: Results, out: Path) -> Path:
    """Write the dataset folder (parquet + README.md) and return it."""
    (out / "data").mkdir(parents=True, exist_ok=True)
    pq.write_table(samples_table(res), out / SAMPLES_FILE)
    pq.write_table(provenance_table(res), out / PROVENANCE_FILE)
    (out / "README.md").write_text(card_text(res), encoding="utf-8")
    return out
