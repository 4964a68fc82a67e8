"""The pure split: worked examples under both readings, rounding, and its properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carshare.domain.costs import (
    CostError,
    Item,
    ItemKind,
    Rider,
    Rounding,
    RoundingMode,
    SplitRule,
    apportion,
    counted_items,
    fuel_cost,
    split,
)

D = Decimal
NEAREST_10 = Rounding(10, RoundingMode.NEAREST)


def test_teshio_whole_trip_three_riders_nearest_ten_yen() -> None:
    # 70 km at ¥170/L in a 14 km/L car: 70 × 170 ÷ 14 = ¥850 of fuel, plus ¥300 parking.
    items = counted_items(SplitRule.WHOLE_TRIP, D(70), D(60), D(170), D(14),
                          [Item(ItemKind.PARKING, D(300), extra=False)])
    assert [(i.kind, i.amount) for i in items] == [(ItemKind.FUEL, D(850)),
                                                    (ItemKind.PARKING, D(300))]
    result = split(SplitRule.WHOLE_TRIP, items, [Rider(1), Rider(2), Rider(3)], NEAREST_10)
    # ¥1,150 = 115 tens; 115 / 3 = 38.33 each: 38, 38, 38 and the one left over to the first.
    assert result.whole == 1150
    assert [p.total for p in result.parts] == [390, 380, 380]
    # Rider 1's ¥390: fuel 850/1150 × 390 = 288.26, parking 101.74 → 288 + 102.
    assert result.parts[0].items == {ItemKind.FUEL: 288, ItemKind.PARKING: 102}
    # Riders 2 and 3 (¥380): fuel 280.87, parking 99.13 → 281 + 99.
    assert result.parts[1].items == {ItemKind.FUEL: 281, ItemKind.PARKING: 99}
    assert sum(p.total for p in result.parts) == result.whole


def test_extra_only_counts_the_detour_and_items_caused_by_riders() -> None:
    # Driven 70 km, the driver's own trip 60 km: 10 km × 170 ÷ 14 = ¥121.43 of fuel. Parking
    # the driver pays anyway does not count; a ¥150 toll taken only for the riders does.
    entered = [Item(ItemKind.PARKING, D(300), extra=False), Item(ItemKind.TOLL, D(150))]
    items = counted_items(SplitRule.EXTRA_ONLY, D(70), D(60), D(170), D(14), entered)
    assert [i.kind for i in items] == [ItemKind.FUEL, ItemKind.TOLL]
    assert items[0].amount.quantize(D("0.01")) == D("121.43")
    result = split(SplitRule.EXTRA_ONLY, items, [Rider(7, weight=1), Rider(8, weight=2)],
                   Rounding(10, RoundingMode.UP))
    # ¥271.43 rounded up to ¥280 = 28 tens; by weight 1 : 2 → 9.33 and 18.67 → 9 and 19.
    assert result.whole == 280
    assert [p.total for p in result.parts] == [90, 190]
    assert result.parts[1].items == {ItemKind.FUEL: 85, ItemKind.TOLL: 105}


def test_extra_only_never_negative_when_the_route_is_shorter_than_the_own_trip() -> None:
    items = counted_items(SplitRule.EXTRA_ONLY, D(50), D(60), D(170), D(14), [])
    assert items[0].amount == 0
    result = split(SplitRule.EXTRA_ONLY, items, [Rider(1), Rider(2)], Rounding(100, "up"))
    assert result.whole == 0 and [p.total for p in result.parts] == [0, 0]


@pytest.mark.parametrize(("mode", "whole", "parts"), [
    (RoundingMode.DOWN, 1100, [400, 400, 300]),
    (RoundingMode.UP, 1200, [400, 400, 400]),
    (RoundingMode.NEAREST, 1200, [400, 400, 400]),  # ¥1,150 is a half: it rounds up
])
def test_rounding_to_hundred_yen(mode: RoundingMode, whole: int, parts: list[int]) -> None:
    items = [Item(ItemKind.FUEL, D(850)), Item(ItemKind.PARKING, D(300))]
    result = split(SplitRule.WHOLE_TRIP, items, [Rider(1), Rider(2), Rider(3)],
                   Rounding(100, mode))
    assert result.whole == whole
    assert [p.total for p in result.parts] == parts


def test_one_yen_rounding_keeps_every_yen() -> None:
    items = [Item(ItemKind.FUEL, D("1000.4"))]
    result = split(SplitRule.WHOLE_TRIP, items, [Rider(1), Rider(2), Rider(3)],
                   Rounding(1, RoundingMode.NEAREST))
    assert result.whole == 1000 and [p.total for p in result.parts] == [334, 333, 333]


def test_apportion_largest_remainder_and_ties() -> None:
    assert apportion(10, [D(1), D(1), D(1)]) == [4, 3, 3]
    assert apportion(7, [D(5), D(3), D(2)]) == [4, 2, 1]  # quotas 3.5, 2.1, 1.4
    assert apportion(5, [D(0), D(0)]) == [3, 2]
    assert apportion(0, [D(3)]) == [0]


@pytest.mark.parametrize(("call", "code"), [
    (lambda: fuel_cost(D(-1), D(170), D(14)), "bad_distance"),
    (lambda: fuel_cost(D(2000), D(170), D(14)), "bad_distance"),
    (lambda: fuel_cost(D(10), D(0), D(14)), "bad_fuel_price"),
    (lambda: fuel_cost(D(10), D(170), D(0)), "bad_fuel_economy"),
    (lambda: counted_items(SplitRule.WHOLE_TRIP, D(1), D(0), D(170), D(14),
                           [Item(ItemKind.TOLL, D(500_000))]), "amount_too_large"),
    (lambda: counted_items(SplitRule.WHOLE_TRIP, D(1), D(0), D(170), D(14),
                           [Item(ItemKind.PARKING, D(-1))]), "negative_amount"),
    (lambda: counted_items(SplitRule.WHOLE_TRIP, D(1), D(0), D(170), D(14),
                           [Item(ItemKind.FUEL, D(100))]), "fuel_is_computed"),
    (lambda: split(SplitRule.WHOLE_TRIP, [Item(ItemKind.FUEL, D(1))], [], NEAREST_10),
     "no_riders"),
    (lambda: split(SplitRule.WHOLE_TRIP, [Item(ItemKind.FUEL, D(1))], [Rider(1, 0)],
                   NEAREST_10), "bad_weight"),
    (lambda: Rounding(5, RoundingMode.UP), "bad_rounding_unit"),
])
def test_bad_input_is_refused_with_a_code(call, code: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CostError) as error:
        call()
    assert error.value.code == code


amounts = st.decimals(min_value=0, max_value=30_000, places=2, allow_nan=False,
                      allow_infinity=False)
kinds = st.sampled_from(list(ItemKind))


@settings(max_examples=300, deadline=None)
@given(items=st.lists(st.builds(Item, kinds, amounts), min_size=1, max_size=6),
       weights=st.lists(st.integers(1, 8), min_size=1, max_size=9),
       unit=st.sampled_from([1, 10, 100]), mode=st.sampled_from(list(RoundingMode)),
       rule=st.sampled_from(list(SplitRule)))
def test_parts_add_up_to_the_whole_and_are_never_negative(items, weights, unit, mode, rule) -> None:  # type: ignore[no-untyped-def]
    rounding = Rounding(unit, mode)
    result = split(rule, items, [Rider(i, w) for i, w in enumerate(weights)], rounding)
    assert sum(p.total for p in result.parts) == result.whole
    assert abs(result.whole - result.exact) < unit
    for part in result.parts:
        assert part.total >= 0 and part.total % unit == 0
        assert all(v >= 0 for v in part.items.values())
        assert sum(part.items.values()) == part.total
    # Parts follow the weights: a heavier rider never pays less than a lighter one.
    by_weight = sorted(zip(weights, (p.total for p in result.parts), strict=True))
    assert all(a[1] <= b[1] for a, b in zip(by_weight, by_weight[1:], strict=False)
               if a[0] < b[0])
