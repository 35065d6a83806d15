"""How much the efficiency score separates answers the verdict ties, per task, from inspect logs.

Prints, per task: the spread (min / median / max) of the efficiency score among scale-correct samples, and the
paired blueprint - vague difference (same model, same task, same epoch; all samples, passing or not), its
mean and range. A spread near zero means the task's passing answers all cost about what the reference costs.
Usage: python benchmarks/efficiency_spread.py LOGDIR [LOGDIR ...] [--allow-mixed]
"""
import argparse
import math
from pathlib import Path

import pandas as pd

from scaleblind.results.claims import Arm, select_arm
from scaleblind.results.load import load_results

PAIR_KEY = ["model", "task", "epoch"]


def spread(samples: pd.DataFrame) -> pd.DataFrame:
    """Per task: n, min, median, max of the score among scale-correct samples."""
    correct = samples[(samples["scale_correct"] == 1) & samples["efficiency"].notna()]
    return correct.groupby("task")["efficiency"].agg(n="count", min="min", median="median", max="max")


def paired(samples: pd.DataFrame, treatment: str = "blueprint", control: str = "vague") -> pd.DataFrame:
    """Per task: pairs and the mean, min and max of treatment - control, pairing by model, task and epoch."""
    arms = {name: select_arm(samples, Arm(name)).dropna(subset=["efficiency"]).groupby(PAIR_KEY)["efficiency"].mean()
            for name in (treatment, control)}
    both = pd.concat(arms, axis=1).dropna()
    diff = (both[treatment] - both[control]).groupby(level="task")
    return diff.agg(pairs="count", diff_mean="mean", diff_min="min", diff_max="max")


def fmt(value: float, digits: int = 2) -> str:
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("logs", nargs="+", type=Path)
    parser.add_argument("--allow-mixed", action="store_true")
    args = parser.parse_args()
    samples = load_results(args.logs, args.allow_mixed).samples
    if samples["efficiency"].isna().all():
        raise SystemExit("these logs carry no efficiency score (graded before it existed): regrade them")
    table = spread(samples).join(paired(samples), how="outer")
    print(f"{'task':<34} {'n ok':>5} {'min':>5} {'median':>6} {'max':>5}   {'pairs':>5} {'blue-vague':>10} "
          f"{'range':>13}")
    for task, r in table.sort_index().iterrows():
        print(f"{task:<34} {fmt(r.get('n'), 0):>5} {fmt(r.get('min')):>5} {fmt(r.get('median')):>6} "
              f"{fmt(r.get('max')):>5}   {fmt(r.get('pairs'), 0):>5} {fmt(r.get('diff_mean')):>10} "
              f"{'[' + fmt(r.get('diff_min')) + ', ' + fmt(r.get('diff_max')) + ']':>13}")
    correct = samples[(samples["scale_correct"] == 1)]["efficiency"].dropna()
    print(f"all tasks: {len(correct)} scale-correct samples, score min {fmt(correct.min())} "
          f"median {fmt(correct.median())} max {fmt(correct.max())}; "
          f"{int((correct < 1).sum())} below the reference's 1.00")


if __name__ == "__main__":
    main()
