"""corridormap.MapWidget without a browser: what it sends the page (once, as bytes; the page's
libraries inline, no data in the HTML), and what it makes of a selection the page sends back."""

from __future__ import annotations

import json
import zlib

import pytest
import traitlets

import corridormap

pytest.importorskip("anywidget")

from corridormap.widget import _checked  # after the skip: it needs anywidget


@pytest.fixture(scope="module")
def widget(corridor):
    return corridormap.MapWidget(corridor, lang="en")


def test_the_page_carries_its_libraries_and_no_data(widget):
    page = widget._page
    assert "cdn.jsdelivr.net" not in page and "<script src=" not in page  # offline: every library inline
    assert 'id="corridor-data"' not in page and "frameElement.cmHost" in page
    assert "CM.select" in page and "CM.widget" in page


def test_the_data_is_bytes_the_page_inflates(widget, corridor):
    raw = zlib.decompress(widget._data)
    head, _, rest = raw.partition(b"\n")
    doc = json.loads(rest[: int(head)])
    assert [layer["key"] for layer in doc["layers"]] == ["enterprises"]
    assert doc["layers"][0]["n"] == len(corridor.enterprises)
    assert doc["ui"]["selectBox"].startswith("Select with a box")  # the tool's labels, in the page's language
    assert len(doc["enclaves"]) == len(corridor.enclaves) and len(doc["places"]) == len(corridor.places)


def test_selected_is_the_rows_of_every_layer(widget, corridor):
    widget._selection = {"places": [2, 0], "enterprises": [3, 1, 3]}
    sel = widget.selected
    assert list(sel.columns[:1]) == ["layer"] and sel.crs.to_epsg() == 4326
    assert list(sel["layer"]) == ["enterprises", "enterprises", "places", "places"]  # the map's order, rows sorted
    expect = [*corridor.enterprises["id"].iloc[[1, 3]], *corridor.places["id"].iloc[[0, 2]]]
    assert list(sel["id"]) == expect
    ent = corridor.enterprises.iloc[1]
    assert sel.geometry.iloc[0].x == pytest.approx(ent["lon"]) and sel.geometry.iloc[0].y == pytest.approx(ent["lat"])
    assert sel["sector"].iloc[0] == ent["sector"]  # the rows' own columns
    widget._selection = {}
    assert widget.selected.empty and list(widget.selected.columns) == ["layer", "geometry"]


@pytest.mark.parametrize(
    "bad",
    [
        {"enterprises": [True]},
        {"enterprises": [1.0]},
        {"enterprises": [-1]},
        {"enterprises": [10**6]},
        {"enterprises": ["1"]},
        {"enterprises": [None]},
        {"enterprises": 3},
        {"nowhere": [0]},
        {"__class__": [0]},
        [0, 1],
    ],
    ids=repr,
)
def test_a_bad_selection_from_the_page_is_refused_and_the_last_kept(widget, bad):
    widget._selection = {"enclaves": [0]}
    with pytest.raises(traitlets.TraitError, match="selection"):
        widget._selection = bad
    assert widget._selection == {"enclaves": [0]}


def test_checked_names_the_layer_and_value():
    with pytest.raises(traitlets.TraitError, match=r"selection of 'a': 5 is not a row number from 0 to 4"):
        _checked({"a": [0, 5]}, {"a": 5})
    assert _checked({"b": [2, 2, 1], "a": []}, {"a": 5, "b": 3}) == {"b": [1, 2]}


def test_python_state_is_plain_json(widget):
    widget.filters = {"enterprises": {"sector": ["semiconductors"]}}
    widget.view = {"center": [31.0, 121.0], "zoom": 9}
    widget.date = "2020-01-01"
    state = widget.get_state(["filters", "view", "date", "colouring"])
    assert json.loads(json.dumps(state)) == state
