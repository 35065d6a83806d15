"""The seed article's claims H1-H6 as declared comparisons, and the rules that turn statistics into verdicts.

Declaring the comparisons as data (before any log is read) keeps the analysis honest: no comparison is chosen
after seeing the numbers, and Holm's correction runs over exactly this family.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Literal

import pandas as pd

from scaleblind.results import stats

SESOI = 0.10                 # smallest effect of interest: 10 points of scale-correct rate
BLINDNESS_THRESHOLD = 0.25   # "much" scale-blind code: at least a quarter of demo-correct solutions
ALL_MODELS = "all models"

Kind = Literal["superiority", "inferiority", "non_superiority", "above_threshold"]
Verdict = Literal["supported", "refuted", "inconclusive", "ceiling", "floor", "not run"]
# Where the control arm leaves no room for the predicted change: a gain needs a control below 1 - SESOI,
# a drop a control above SESOI. At a bound the data cannot tell "no effect" from "no room for one".
BOUNDS: dict[str, tuple[Verdict, str]] = {"superiority": ("ceiling", "gain"), "non_superiority": ("ceiling", "gain"),
                                          "inferiority": ("floor", "drop")}


@dataclass(frozen=True)
class Arm:
    """Samples of one variant; `temperature` picks the coolest (default) or hottest temperature run."""

    variant: str
    temperature: Literal["coolest", "hottest"] = "coolest"

    def label(self) -> str:
        return self.variant if self.temperature == "coolest" else f"{self.variant}@hottest"


@dataclass(frozen=True)
class Comparison:
    """One pre-declared test. Superiority predicts treatment > control, inferiority treatment < control;
    non-superiority predicts no gain of SESOI or more; above-threshold predicts the treatment's rate exceeds
    `threshold`."""

    id: str
    claim: str
    question: str
    metric: str
    kind: Kind
    treatment: Arm
    control: Arm | None = None
    threshold: float = math.nan


@dataclass(frozen=True)
class Claim:
    id: str
    statement: str


CLAIMS = [
    Claim("H1", "Blueprint prompts raise the scale-correct rate over vague prompts (same model, same tasks)."),
    Claim("H2", "Under vague prompts, much code that is correct at demo size is not scale-correct."),
    Claim("H3", "Raising the temperature of a vague prompt does not fix it."),
    Claim("H4", "Each ingredient (role, numbers, boundaries, analysis-first) contributes; vague words for scale "
                "do less than exact numbers."),
    Claim("H5", "Analysis before code beats the same analysis asked for after the code."),
    Claim("H6", "Design-then-implement in one conversation still writes scale-blind code without the constraints."),
]

BLUE, VAGUE = Arm("blueprint"), Arm("vague")
COMPARISONS = [
    Comparison("H1", "H1", "blueprint > vague", "scale_correct", "superiority", BLUE, VAGUE),
    Comparison("H2", "H2", f"vague scale-blindness > {BLINDNESS_THRESHOLD:.0%}", "scale_blind", "above_threshold",
               VAGUE, threshold=BLINDNESS_THRESHOLD),
    Comparison("H3", "H3", f"vague at the hottest temperature gains < {SESOI:.0%} over the default", "scale_correct",
               "non_superiority", Arm("vague", "hottest"), VAGUE),
    Comparison("H4a", "H4", "blueprint > blueprint without role", "scale_correct", "superiority", BLUE,
               Arm("blueprint_no_role")),
    Comparison("H4b", "H4", "blueprint > blueprint without numbers", "scale_correct", "superiority", BLUE,
               Arm("blueprint_no_numbers")),
    Comparison("H4c", "H4", "blueprint > blueprint without boundaries", "scale_correct", "superiority", BLUE,
               Arm("blueprint_no_boundaries")),
    Comparison("H4d", "H4", "blueprint > blueprint without analysis", "scale_correct", "superiority", BLUE,
               Arm("blueprint_no_analysis")),
    Comparison("H4e", "H4", "exact numbers > vague words for scale", "scale_correct", "superiority", BLUE,
               Arm("blueprint_vague_scale")),
    Comparison("H5", "H5", "analysis first > analysis after", "scale_correct", "superiority", BLUE,
               Arm("blueprint_analysis_after")),
    Comparison("H6a", "H6", "blueprint > design-then-implement", "scale_correct", "superiority", BLUE,
               Arm("design_then_implement")),
    Comparison("H6b", "H6", f"design-then-implement scale-blindness > {BLINDNESS_THRESHOLD:.0%}", "scale_blind",
               "above_threshold", Arm("design_then_implement"), threshold=BLINDNESS_THRESHOLD),
]


def select_arm(samples: pd.DataFrame, arm: Arm) -> pd.DataFrame:
    """Rows of the arm's variant at its temperature; untagged runs (NaN) count as the coolest."""
    rows = samples[samples["variant"] == arm.variant]
    temps = rows["temperature"]
    if rows.empty:
        return rows
    if arm.temperature == "hottest":
        return rows[temps == temps.max()] if temps.notna().any() else rows.iloc[0:0]
    return rows[temps.isna()] if temps.isna().any() else rows[temps == temps.min()]


def arm_rate(samples: pd.DataFrame, arm: Arm, metric: str) -> float:
    """Pooled rate of the arm's samples (for the reader; tests use per-task rates)."""
    values = select_arm(samples, arm)[metric].dropna()
    return float(values.mean()) if len(values) else math.nan


def run_comparison(samples: pd.DataFrame, comp: Comparison, n_boot: int, seed: int) -> stats.PairedTest | None:
    """Compute the comparison's statistics, or None when an arm was not run (or is the same samples)."""
    treatment = select_arm(samples, comp.treatment)
    if treatment.empty:
        return None
    if comp.kind == "above_threshold":
        return stats.one_sample_test(treatment, comp.metric, comp.threshold, n_boot, seed)
    control = select_arm(samples, comp.control)
    if control.empty or treatment.index.equals(control.index):
        return None
    return stats.paired_test(treatment, control, comp.metric, n_boot, seed)


def at_bound(kind: Kind, control_rate: float) -> Verdict | None:
    """`ceiling` when a gain is at stake and the control arm is already at or above 1 - SESOI; `floor` when a
    drop is predicted and the control arm is at or below SESOI; otherwise None (there is room to see it)."""
    if kind not in BOUNDS or math.isnan(control_rate):
        return None
    bound, _ = BOUNDS[kind]
    at = control_rate >= 1 - SESOI if bound == "ceiling" else control_rate <= SESOI
    return bound if at else None


def decide(kind: Kind, effect: float, ci_low: float, ci_high: float, p_holm: float,
           control_rate: float = math.nan, alpha: float = stats.ALPHA) -> Verdict:
    """Verdict rules, fixed in advance. Significance uses the Holm-adjusted p; a claim is refuted when the effect
    is significant the wrong way or the CI rules out an effect of the size the claim needs. A control arm at a
    bound gives `ceiling`/`floor` instead, unless the effect is significant the wrong way (harm is visible
    from any starting point)."""
    if math.isnan(effect):
        return "not run"
    significant = p_holm < alpha
    wrong_way = significant and (effect < 0 if kind == "superiority" else effect > 0 if kind == "inferiority"
                                 else False)
    bound = at_bound(kind, control_rate)
    if bound:
        return "refuted" if wrong_way else bound
    if kind == "non_superiority":
        if ci_high < SESOI:
            return "supported"
        return "refuted" if significant and effect >= SESOI else "inconclusive"
    if kind == "inferiority":
        if significant:
            return "supported" if effect < 0 else "refuted"
        return "refuted" if ci_low > -SESOI else "inconclusive"
    margin = SESOI if kind == "superiority" else 0.0
    if significant:
        return "supported" if effect > 0 else "refuted"
    return "refuted" if ci_high < margin else "inconclusive"


def bound_note(comp: Comparison, treatment_rate: float, control_rate: float) -> str:
    """Why a comparison sits at a bound, with both arms' rates."""
    bound, change = BOUNDS[comp.kind]
    limit = f">= {1 - SESOI:.2f}" if bound == "ceiling" else f"<= {SESOI:.2f}"
    return (f"{comp.control.label()} is already at {control_rate:.2f} ({limit}), {comp.treatment.label()} at "
            f"{treatment_rate:.2f}: no room to show a {change} of {SESOI:.2f}; harder tasks would be needed")


def exact_tasks_floor(alpha: float) -> int:
    """Fewest tasks with which the exact signed-rank test can reach `alpha` at all (2 / 2^n < alpha)."""
    return math.floor(math.log2(2 / alpha)) + 1


def next_step(kind: Kind, test: stats.PairedTest, m_tests: int, alpha: float = stats.ALPHA) -> str:
    """What more data would settle an inconclusive comparison, in one sentence."""
    if test.n_tasks < stats.MIN_CLUSTERS_FOR_CI:
        return f"run both arms on at least {stats.MIN_CLUSTERS_FOR_CI} tasks (have {test.n_tasks})"
    sd = test.sd_diff if test.sd_diff > 0 else stats.PLANNING_SD
    sd_note = f"{sd:.2f}" if test.sd_diff > 0 else f"{sd:.2f}, assumed"
    floor = SESOI if kind != "above_threshold" else 0.05
    target = max(abs(test.effect), floor)
    level = alpha / max(m_tests, 1)
    needed = max(stats.tasks_needed(target, sd, level), exact_tasks_floor(level))
    return (f"about {needed:.0f} tasks would detect a difference of {target:.2f} with {stats.POWER:.0%} power at "
            f"alpha {alpha}/{m_tests} (have {test.n_tasks}; SD of per-task differences {sd_note})")


def evaluate_scope(samples: pd.DataFrame, scope: str, n_boot: int = stats.N_BOOT,
                   seed: int = stats.SEED) -> pd.DataFrame:
    """All declared comparisons on one scope (one model or all models), Holm-corrected together."""
    tests = {c.id: run_comparison(samples, c, n_boot, seed) for c in COMPARISONS}
    rows = [comparison_row(scope, c, tests[c.id]) for c in COMPARISONS]
    frame = pd.DataFrame(rows)
    frame["treatment_rate"] = [arm_rate(samples, c.treatment, c.metric) for c in COMPARISONS]
    frame["control_rate"] = [arm_rate(samples, c.control, c.metric) if c.control else c.threshold
                             for c in COMPARISONS]
    frame["p_holm"] = stats.holm(frame["p_wilcoxon"].tolist())
    m_tests = int(frame["p_wilcoxon"].notna().sum())
    frame["verdict"] = [decide(c.kind, r.effect, r.ci_low, r.ci_high, r.p_holm, r.control_rate)
                        for c, r in zip(COMPARISONS, frame.itertuples())]
    frame["mde"] = [stats.minimum_detectable_effect(
        t.n_tasks, t.sd_diff if t.sd_diff > 0 else stats.PLANNING_SD, stats.ALPHA / max(m_tests, 1))
        if t else math.nan for t in tests.values()]
    frame["next_step"] = [step(c, r.verdict, tests[c.id], m_tests, r.treatment_rate, r.control_rate)
                          for c, r in zip(COMPARISONS, frame.itertuples())]
    return frame


def step(comp: Comparison, verdict: Verdict, test: stats.PairedTest | None, m_tests: int, treatment_rate: float,
         control_rate: float) -> str:
    """The report's "to settle" text: what data would settle the comparison, or why it cannot."""
    if verdict == "inconclusive":
        return next_step(comp.kind, test, m_tests)
    if verdict in ("ceiling", "floor"):
        return bound_note(comp, treatment_rate, control_rate)
    if verdict == "not run":
        return f"run variants {comp.treatment.label()}" + (f" and {comp.control.label()}" if comp.control else "")
    return ""


def comparison_row(scope: str, comp: Comparison, test: stats.PairedTest | None) -> dict:
    """One flat row: the declaration plus its statistics (NaN when not run)."""
    empty = {f: math.nan for f in stats.PairedTest.__dataclass_fields__}
    values = asdict(test) if test is not None else empty
    return {"scope": scope, "id": comp.id, "claim": comp.claim, "question": comp.question, "metric": comp.metric,
            "kind": comp.kind, "treatment": comp.treatment.label(),
            "control": comp.control.label() if comp.control else None, "threshold": comp.threshold, **values}


def evaluate_claims(samples: pd.DataFrame, n_boot: int = stats.N_BOOT, seed: int = stats.SEED) -> pd.DataFrame:
    """Comparisons for all models pooled (the headline) and for each model separately."""
    scopes = [(ALL_MODELS, samples)] + [(m, g) for m, g in samples.groupby("model", sort=True)]
    return pd.concat([evaluate_scope(g, s, n_boot, seed) for s, g in scopes], ignore_index=True)


def claim_verdict(verdicts: list[str]) -> Verdict:
    """A claim with several parts holds only if every part holds; one refuted part refutes it; when every part
    that ran sits at the same bound, so does the claim."""
    ran = [v for v in verdicts if v != "not run"]
    if not ran:
        return "not run"
    if "refuted" in ran:
        return "refuted"
    if len(set(ran)) == 1 and ran[0] in ("ceiling", "floor"):
        return ran[0]
    return "supported" if all(v == "supported" for v in verdicts) else "inconclusive"


def claim_table(comparisons: pd.DataFrame) -> pd.DataFrame:
    """One row per scope x claim with the combined verdict and, at a bound, the rates that put it there."""
    rows = []
    for claim in CLAIMS:
        for scope, group in comparisons[comparisons["claim"] == claim.id].groupby("scope", sort=False):
            verdict = claim_verdict(group["verdict"].tolist())
            parts = [(f"{r.id}: " if len(group) > 1 else "") + r.next_step for r in group.itertuples()
                     if r.verdict == verdict]
            note = "; ".join(parts) if verdict in ("ceiling", "floor") else ""
            rows.append({"scope": scope, "claim": claim.id, "statement": claim.statement, "verdict": verdict,
                         "note": note})
    return pd.DataFrame(rows, columns=["scope", "claim", "statement", "verdict", "note"])


EFFICIENCY = "efficiency"


def efficiency_scope(samples: pd.DataFrame, scope: str, n_boot: int = stats.N_BOOT,
                     seed: int = stats.SEED) -> pd.DataFrame:
    """Every declared comparison with a control arm, on the continuous efficiency score instead of the rate:
    the mean paired (within model and task) difference, its bootstrap CI and the signed-rank p-value, Holm-
    corrected within the scope. It is reported beside the claims, not as a verdict: the claims were declared on
    the scale-correct rate; efficiency shows what the rate hides when both arms pass (a ceiling)."""
    rows = []
    for comp in COMPARISONS:
        if comp.control is None:
            continue
        treatment, control = select_arm(samples, comp.treatment), select_arm(samples, comp.control)
        ran = not treatment.empty and not control.empty and not treatment.index.equals(control.index) \
            and treatment[EFFICIENCY].notna().any() and control[EFFICIENCY].notna().any()
        test = stats.paired_test(treatment, control, EFFICIENCY, n_boot, seed) if ran else None
        rows.append({"scope": scope, "id": comp.id, "claim": comp.claim, "question": comp.question,
                     "treatment": comp.treatment.label(), "control": comp.control.label(),
                     "treatment_mean": arm_rate(samples, comp.treatment, EFFICIENCY),
                     "control_mean": arm_rate(samples, comp.control, EFFICIENCY),
                     **{k: getattr(test, k) if test else math.nan
                        for k in ("n_tasks", "n_pairs", "effect", "ci_low", "ci_high", "sd_diff", "p_wilcoxon",
                                  "rank_biserial")}})
    frame = pd.DataFrame(rows)
    frame["p_holm"] = stats.holm(frame["p_wilcoxon"].tolist())
    return frame


def evaluate_efficiency(samples: pd.DataFrame, n_boot: int = stats.N_BOOT, seed: int = stats.SEED) -> pd.DataFrame:
    """Efficiency comparisons for all models pooled and for each model; empty when no sample is scored on it."""
    if EFFICIENCY not in samples or samples[EFFICIENCY].isna().all():
        return pd.DataFrame()
    scopes = [(ALL_MODELS, samples)] + [(m, g) for m, g in samples.groupby("model", sort=True)]
    return pd.concat([efficiency_scope(g, s, n_boot, seed) for s, g in scopes], ignore_index=True)
