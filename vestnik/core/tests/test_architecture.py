"""The house's shape: apps import only downwards and no module imports itself back.

Both checks read the import graph that `make lint` reads (grimp, the engine of
import-linter), imports inside functions included; `TYPE_CHECKING` imports are
left out because they never run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp
import networkx as nx

ROOT = Path(__file__).resolve().parents[3]


def _runtime_import_graph() -> nx.DiGraph:
    graph = grimp.build_graph("vestnik", exclude_type_checking_imports=True)
    edges = nx.DiGraph()
    for module in graph.modules:
        if ".tests" in module or ".migrations" in module:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            if ".tests" not in imported and imported != module:
                edges.add_edge(module, imported)
    return edges


def test_no_module_imports_itself_back_through_others() -> None:
    graph = _runtime_import_graph()
    cycles = [sorted(component) for component in nx.strongly_connected_components(graph)]
    assert [cycle for cycle in cycles if len(cycle) > 1] == []


def test_import_cycle_check_sees_imports_inside_functions(tmp_path: Path) -> None:
    """The check would catch a cycle closed only inside a function, as the old house had."""
    package = tmp_path / "house"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "floor.py").write_text("def read():\n    from house import roof\n")
    (package / "roof.py").write_text("from house import floor\n")
    sys.path.insert(0, str(tmp_path))
    try:
        graph = grimp.build_graph("house", exclude_type_checking_imports=True)
    finally:
        sys.path.remove(str(tmp_path))
    assert "house.roof" in graph.find_modules_directly_imported_by("house.floor")
    assert "house.floor" in graph.find_modules_directly_imported_by("house.roof")


def test_layer_contract_holds() -> None:
    """`lint-imports` with the contract in pyproject.toml: the layers of docs/architecture.md."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports"))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "1 kept, 0 broken" in result.stdout
