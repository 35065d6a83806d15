"""Each ablation is the blueprint minus (or with a swap of) exactly its ingredient; every variant carries the
same contract, runtime and deliverable text."""
import re

import pytest

from scaleblind.platforms.endpoints import client_methods
from scaleblind.prompts.render import (COMMON_SECTIONS, UnknownVariant, VariantRun, contract_text, get_variant,
                                       parse_variant_spec, render, render_sections, variant_names)
from scaleblind.tasks.registry import all_tasks

SPECS = list(all_tasks().values())
FOUR = ["role", "scale_numbers", "boundaries", "analysis_first"]
# ablation -> (sections removed from the blueprint, sections added)
ABLATIONS = {
    "blueprint_no_role": ({"role"}, set()),
    "blueprint_no_numbers": ({"scale_numbers"}, set()),
    "blueprint_no_boundaries": ({"boundaries"}, set()),
    "blueprint_no_analysis": ({"analysis_first"}, set()),
    "blueprint_vague_scale": ({"scale_numbers"}, {"scale_vague"}),
    "blueprint_analysis_after": ({"analysis_first"}, {"analysis_after"}),
}


def sections(spec, variant):
    return {s.name: s.text for turn in render_sections(spec, variant) for s in turn}


def order(spec, variant):
    return [s.name for turn in render_sections(spec, variant) for s in turn]


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
@pytest.mark.parametrize("ablation", list(ABLATIONS))
def test_ablation_differs_from_blueprint_only_in_its_ingredient(spec, ablation):
    removed, added = ABLATIONS[ablation]
    blueprint, variant = sections(spec, "blueprint"), sections(spec, ablation)
    assert set(blueprint) - set(variant) == removed
    assert set(variant) - set(blueprint) == added
    for name in set(blueprint) & set(variant):
        assert blueprint[name] == variant[name], name


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
@pytest.mark.parametrize("ablation", [a for a in ABLATIONS if not ABLATIONS[a][1]])
def test_an_ablation_is_the_blueprint_text_with_its_ingredient_cut_out(spec, ablation):
    """Word for word: the rendered ablation is the rendered blueprint without its ingredient's sections."""
    removed = ABLATIONS[ablation][0]
    kept = [["\n\n".join(s.text for s in turn if s.name not in removed)] for turn in render_sections(spec, "blueprint")]
    assert render(spec, ablation) == [turn[0] for turn in kept]


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_ablations_keep_the_blueprint_order(spec):
    blueprint = order(spec, "blueprint")
    for ablation, (removed, added) in ABLATIONS.items():
        if ablation == "blueprint_analysis_after":
            continue  # moving the analysis after the code is the point of this one
        kept = [n for n in order(spec, ablation) if n not in added]
        assert kept == [n for n in blueprint if n not in removed], ablation
    assert order(spec, "blueprint_analysis_after")[-1] == "analysis_after"
    assert order(spec, "blueprint").index("analysis_first") < order(spec, "blueprint").index("deliverable")


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_blueprint_without_its_four_ingredients_is_the_vague_prompt(spec):
    stripped = [n for n in order(spec, "blueprint") if n not in FOUR]
    assert stripped == order(spec, "vague")
    assert order(spec, "role_only") == ["role", *order(spec, "vague")]


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
@pytest.mark.parametrize("variant", variant_names())
def test_every_variant_carries_the_same_contract_and_runtime(spec, variant):
    reference = sections(spec, "vague")
    mine = sections(spec, variant)
    for name in COMMON_SECTIONS:
        assert mine[name] == reference[name]
    text = "\n".join(render(spec, variant))
    assert contract_text(spec) in text and "${" not in text
    assert "Python 3.11" in text and "platform_client" in text


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_every_clients_methods_come_from_its_declaration(spec):
    """The contract places each client's declared methods with `${client}` and writes none by hand, so the
    prompt cannot drift from what the platform serves."""
    rendered = contract_text(spec)
    prose = re.sub(r"```.*?```", "", spec.contract, flags=re.DOTALL)  # code shown as the existing codebase calls them
    for client in spec.clients:
        assert f"${{{client}}}" in spec.contract, client
        for method in client_methods(client, spec.platform.get(client, {}))[1]:
            assert f"{client}.{method.name}(" not in prose, f"{client}.{method.name} written by hand"
            assert rendered.count(f"- {client}.{method.call_text()}") == 1


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_vague_prompt_has_no_scale_and_blueprint_has_the_exact_numbers(spec):
    vague, blueprint = "\n".join(render(spec, "vague")), "\n".join(render(spec, "blueprint"))
    assert spec.scale not in vague and spec.boundaries not in vague and "Bottleneck" not in vague
    assert spec.scale in blueprint and spec.boundaries in blueprint and "Bottleneck Analysis" in blueprint


def test_design_then_implement_is_two_turns_with_the_code_asked_for_last():
    spec = SPECS[0]
    turns = render(spec, "design_then_implement")
    assert len(turns) == 2
    assert "```python" not in turns[0] and "```python" in turns[1]
    assert get_variant("design_then_implement").ingredients["two_turn"]


def test_ingredient_flags_follow_the_templates():
    assert not any(get_variant("vague").ingredients.values())
    blueprint = get_variant("blueprint").ingredients
    assert [k for k, v in blueprint.items() if v] == ["role", "numbers", "boundaries", "analysis_first"]
    vague_scale = get_variant("blueprint_vague_scale").ingredients
    assert vague_scale["vague_scale"] and not vague_scale["numbers"]
    after = get_variant("blueprint_analysis_after").ingredients
    assert after["analysis_after"] and not after["analysis_first"]


@pytest.mark.parametrize("text, expected", [
    ("vague", VariantRun("vague")), ("vague@t=1.0", VariantRun("vague", 1.0)),
    ("blueprint@t=0", VariantRun("blueprint", 0.0)),
])
def test_variant_run_specs(text, expected):
    assert parse_variant_spec(text) == expected


@pytest.mark.parametrize("text, error", [("vague@t=hot", ValueError), ("vague@1.0", ValueError),
                                         ("nosuch", UnknownVariant)])
def test_bad_variant_run_specs(text, error):
    with pytest.raises(error):
        parse_variant_spec(text)


def test_run_label_round_trips():
    assert VariantRun("vague", 1.0).label == "vague@t=1"
    assert parse_variant_spec(VariantRun("vague", 0.7).label) == VariantRun("vague", 0.7)
