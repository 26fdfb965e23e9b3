"""The gazetteer on its own: names -> divisions or cities, its guards, and reasons for what it cannot place."""

from __future__ import annotations

import pytest

from corridormap.gazetteer import CITY, DISTRICT, Gazetteer, normalise


@pytest.fixture(scope="module")
def g(corridor):
    return Gazetteer(corridor.divisions, corridor.cities, corridor.division_aliases)


def _name(g, place):
    if place.level == DISTRICT:
        return g.divisions["name_zh"].iloc[place.index]
    if place.level == CITY:
        return g.cities["id"].iloc[place.index]
    return None


@pytest.mark.parametrize(
    ("text", "level", "name"),
    [
        ("浙江省杭州市余杭区文一西路969号", DISTRICT, "余杭区"),
        ("湖州吴兴区织里镇", DISTRICT, "吴兴区"),
        ("杭州市临平区南苑街道", DISTRICT, "临平区"),
        ("浙江省杭州市钱塘区白杨街道", DISTRICT, "钱塘区"),
        ("上海市松江区九亭镇", DISTRICT, "松江区"),
        ("Songjiang District, Shanghai", DISTRICT, "松江区"),
        ("安徽省宣城市泾县", DISTRICT, "泾县"),
        ("余杭", DISTRICT, "余杭区"),  # without 区
        ("杭州", CITY, "hangzhou"),
        ("嘉兴市", CITY, "jiaxing"),
        ("Hangzhou", CITY, "hangzhou"),
        ("hangzhou", CITY, "hangzhou"),
        ("ＨＡＮＧＺＨＯＵ", CITY, "hangzhou"),  # full-width letters
        ("ｈｅｆｅｉ", CITY, "hefei"),
        # former names and development zones, each as its source places it
        ("杭州市下城区", DISTRICT, "拱墅区"),
        ("杭州市江干区", CITY, "hangzhou"),  # split in 2021: only the city
        ("芜湖市三山区", DISTRICT, "弋江区"),
        ("无为县", DISTRICT, "无为市"),
        ("广德县", DISTRICT, "广德市"),
        ("临安市锦城街道", DISTRICT, "临安区"),
        ("芜湖县湾沚镇", DISTRICT, "湾沚区"),  # not the city of Wuhu
        ("苏州工业园区星湖街328号", CITY, "suzhou"),
        ("合肥高新区望江西路", CITY, "hefei"),
        ("杭州钱塘新区", DISTRICT, "钱塘区"),
        ("嘉兴经济技术开发区", CITY, "jiaxing"),  # its own name names the city
        # streets that carry a county's name
        ("合肥市宁国路", CITY, "hefei"),
        ("杭州市安吉路", CITY, "hangzhou"),
        ("嘉兴市长兴路8号", CITY, "jiaxing"),
        ("湖州市安吉县递铺街道", DISTRICT, "安吉县"),
    ],
)
def test_places(g, text, level, name):
    place = g.place(text)
    assert (place.level, _name(g, place)) == (level, name), place


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("上海市长兴岛", "names Shanghai but not Songjiang"),  # not 长兴县 of Huzhou
        ("上海市浦东新区张江路", "names Shanghai but not Songjiang"),
        ("北京市海淀区", "names none of the corridor's cities or districts"),
        ("合计", "names none"),
        ("", "is blank"),
        ("杭州市 嘉兴市", "names two cities"),
        ("余杭区 吴兴区", "names two divisions"),
        ("西湖大道", "names none"),  # a street, not 西湖区
        ("宁国路100号", "names none"),
    ],
)
def test_not_placed_with_the_reason(g, text, reason):
    place = g.place(text)
    assert place.level is None and place.index == -1
    assert reason in place.reason


def test_a_division_must_belong_to_the_city_named(g):
    # 吴江 is a district of Suzhou: with Hangzhou named, it is not taken
    assert g.place("杭州市吴江路").level == CITY
    assert _name(g, g.place("苏州市吴江区")) == "吴江区"


def test_match_runs_once_per_distinct_text_and_keeps_order(g, monkeypatch):
    calls = []
    decide = g._decide
    monkeypatch.setattr(g, "_decide", lambda t: calls.append(t) or decide(t))
    texts = ["杭州市余杭区", None, "杭州市余杭区", "合肥", "杭州市余杭区", "上海市长兴岛"]
    m = g.match(texts)
    assert sorted(calls) == sorted({normalise(t) for t in texts if t})
    assert list(m.level) == [DISTRICT, None, DISTRICT, CITY, DISTRICT, None]
    assert list(m.reason[[1, 5]]) == ["is blank", "names Shanghai but not Songjiang, its only district in the corridor"]


def test_every_division_is_found_by_its_full_and_short_name(g):
    for i, zh in enumerate(g.divisions["name_zh"]):
        city = g.cities.set_index("id").loc[g.divisions["city_id"].iloc[i], "name_zh"]
        assert g.place(f"{city}{zh}").index == i, zh
        if len(zh) > 2:
            assert g.place(f"{city}{zh[:-1]}镇").index == i, zh
