"""`maxslope verify --json` output against the JSON Schema shipped in the package (maxslope/verify_schema.json),
validated by jsonschema; the controls are outputs that break the schema and must be rejected."""

from __future__ import annotations

import copy
import json
from importlib import resources

import pytest

jsonschema = pytest.importorskip("jsonschema")

from maxslope.cli import JSON_SCHEMA_VERSION, main  # noqa: E402


@pytest.fixture(scope="module")
def schema():
    doc = json.loads((resources.files("maxslope") / "verify_schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(doc)
    return doc


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    path = tmp_path_factory.mktemp("json") / "out.json"
    assert main(["verify", "--only", "C1,M8,W1", "--json", str(path)]) == 0
    return json.loads(path.read_text(encoding="utf-8"))


def test_output_matches_the_schema(schema, output) -> None:
    jsonschema.validate(output, schema, cls=jsonschema.Draft202012Validator)
    assert output["schema_version"] == JSON_SCHEMA_VERSION == schema["properties"]["schema_version"]["const"]
    assert [c["id"] for c in output["claims"]] == ["C1", "M8", "W1"]


@pytest.mark.parametrize("spoil", [
    lambda d: d["claims"][0].pop("verdict"),
    lambda d: d["claims"][0].__setitem__("verdict", "maybe"),
    lambda d: d["claims"][1]["check"].__setitem__("measured", "NaN"),
    lambda d: d["summary"].__setitem__("hold", -1),
    lambda d: d.__setitem__("schema_version", 2),
    lambda d: d["claims"][2]["negative_control"].__setitem__("extra", 1),
])
def test_spoiled_outputs_are_rejected(schema, output, spoil) -> None:
    bad = copy.deepcopy(output)
    spoil(bad)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema, cls=jsonschema.Draft202012Validator)


def test_nonfinite_numbers_are_strings(schema, output) -> None:
    ok = copy.deepcopy(output)
    ok["claims"][0]["negative_control"]["evidence"]["measured"] = "inf"
    jsonschema.validate(ok, schema, cls=jsonschema.Draft202012Validator)
