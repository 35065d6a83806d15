"""Joins tasks: each naive fails where and why its task says (call count; compute at growth)."""
import pytest

pytestmark = pytest.mark.slow


def test_contact_dedup_naive_dies_on_call_count_at_launch(validated):
    result = validated("joins/contact_dedup")
    assert result["naive"]["failure_tier"] == "launch"
    naive, reference = result["naive"]["tiers"]["launch"], result["reference"]["tiers"]["launch"]
    # per request started: the naive tier is stopped as soon as it cannot pass (here within its first request)
    per_request = lambda t: t["api_calls"] / max(1, t["requests_done"])
    assert per_request(naive) > 5 * per_request(reference)


def test_inventory_merge_naive_passes_launch_and_dies_on_compute_at_growth(validated):
    result = validated("joins/inventory_merge")
    naive = result["naive"]
    assert naive["highest_tier_passed"] == "launch" and naive["failure_tier"] == "growth"
    assert naive["tiers"]["growth"]["queries"] == 1     # one query: the time went into the join, not I/O
