"""hera.shared.yaml: Hera's YAML layout byte for byte, Kubernetes' reading of plain scalars, libyaml speed."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml as pyyaml

from hera.shared import yaml

REPO = Path(__file__).resolve().parents[2]
EXPECTED = sorted((REPO.parent / "shared" / "acceptance" / "expected").glob("*.yaml"))


@pytest.mark.parametrize("path", EXPECTED, ids=[p.stem for p in EXPECTED])
def test_hera_output_round_trips_byte_for_byte(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert yaml.dump(yaml.load(text)) == text


def test_there_are_expected_files() -> None:
    assert len(EXPECTED) == 40


def test_key_order_name_scalars_lists_mappings_alphabetical() -> None:
    data = {"z": {"b": [1], "a": [1], "c": 0}, "lst": [{"v": 1, "name": "m", "x": {}}], "b": 2, "name": "k", "a": "s"}
    assert yaml.dump(data) == (
        "name: k\na: s\nb: 2\nlst:\n- name: m\n  v: 1\n  x: {}\nz:\n  c: 0\n  a:\n  - 1\n  b:\n  - 1\n"
    )


def test_multi_line_strings_are_block_literals() -> None:
    assert yaml.dump({"s": "a\nb"}) == "s: |-\n  a\n  b\n"
    assert yaml.dump({"s": "a\nb\n"}) == "s: |\n  a\n  b\n"


@pytest.mark.parametrize("word", ["y", "Y", "n", "N"])
def test_yaml_1_1_booleans_are_quoted(word: str) -> None:
    assert yaml.dump({"v": word}) == f"v: '{word}'\n"
    assert yaml.dump({"v": "yes", "w": "x"}) == "v: 'yes'\nw: x\n"


def reference(data: object) -> str:
    """PyYAML's own pure-Python dump, the wrapping Hera's output inherits."""
    return pyyaml.dump(data, Dumper=pyyaml.SafeDumper, default_flow_style=False, sort_keys=False)


def test_long_lines_wrap_at_80_unless_cut_inside_a_template_tag() -> None:
    words = " ".join(["word"] * 20)
    assert yaml.dump({"a": words}) == reference({"a": words})
    assert len(yaml.dump({"a": words}).splitlines()) == 2
    tagged = "{{= " + " || ".join(f'inputs.parameters.p{i} == "x"' for i in range(5)) + " }}"
    assert len(reference({"when": tagged}).splitlines()) > 1
    assert yaml.dump({"when": tagged}) == f"when: '{tagged}'\n"
    # a tag closed before the cut: the line wraps as usual
    mixed = ["{{a}} " + words]
    assert yaml.dump({"m": mixed}) == reference({"m": mixed})
    # block literals are never joined
    script = "echo {{\n" + words + "\n}}"
    assert yaml.dump({"source": script}) == "source: |-\n  echo {{\n  " + words + "\n  }}\n"


def test_rejoin_keeps_sibling_keys_apart() -> None:
    data = [{"name": "x{{" + " word" * 20, "template": "t"}]
    out = yaml.dump(data)
    assert yaml.load(out) == data
    assert out.splitlines()[0] == "- name: x{{" + " word" * 20
    assert out.splitlines()[1] == "  template: t"


def test_loads_plain_scalars_as_kubernetes_does() -> None:
    text = "a: 2024-01-01\nb: 12:30\nc: 10\nd: 1.5\ne: true\nf: 0x1F\ng: ~\nh: 2024-01-01T00:00:00Z\ni: y\n"
    assert yaml.load(text) == {
        "a": "2024-01-01",
        "b": "12:30",
        "c": 10,
        "d": 1.5,
        "e": True,
        "f": 31,
        "g": None,
        "h": "2024-01-01T00:00:00Z",
        "i": "y",
    }
    # and dumps such strings quoted, so they read back as strings anywhere
    assert yaml.dump({"a": "2024-01-01", "b": "12:30"}) == "a: '2024-01-01'\nb: '12:30'\n"


def test_load_all_keeps_empty_documents_in_place() -> None:
    assert yaml.load_all("a: 1\n---\n---\nb: 2\n") == [{"a": 1}, None, {"b": 2}]
    with pytest.raises(yaml.YAMLError):
        yaml.load("a: [1")


def test_uses_libyaml_when_present() -> None:
    if pyyaml.__with_libyaml__:
        assert issubclass(yaml._Dumper, pyyaml.CSafeDumper)
        assert issubclass(yaml._Loader, pyyaml.CSafeLoader)


def test_imports_nothing_of_hera() -> None:
    tree = ast.parse((REPO / "src" / "hera" / "shared" / "yaml.py").read_text())
    modules = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    modules += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [name for name in modules if name.startswith("hera")]
