"""The package is layered: no sub-package imports, directly or through others, one that imports it back.

Following the configuration through a scan once climbed back up the import graph four times; this keeps the
layers (text -> sketch -> index / verify -> stages -> api, compare -> cli) one way. Imports needed only for
annotations (under ``TYPE_CHECKING``) and imports inside functions do not count.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "dedup"


def layer(module: str) -> str:
    """The part of the package a module belongs to: its sub-package, or itself for a top-level module."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "dedup"


def import_graph() -> dict[str, set[str]]:
    """Layer -> the other layers its modules import at module level."""
    graph: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # module level only: not in functions, not under TYPE_CHECKING
            if not isinstance(node, ast.ImportFrom) or not node.module:
                continue
            if node.module.startswith("dedup."):
                targets = [layer(node.module)]
            elif node.module == "dedup":  # from dedup import kernels: the module named is the layer
                targets = [alias.name for alias in node.names]
            else:
                continue
            for target in targets:
                if target != layer(module) and module != "dedup":
                    graph[layer(module)].add(target)
    return graph


def test_the_layers_import_one_way() -> None:
    graph = import_graph()
    # The bottom layer leans on nothing above it: only the errors and the choice of compiled kernels.
    assert graph["text"] <= {"errors", "kernels"}, graph["text"]
    assert graph["kernels"] <= {"errors"}, graph["kernels"]
    cycles = []
    for start in graph:
        seen, todo = set(), list(graph[start])
        while todo:
            node = todo.pop()
            if node == start:
                cycles.append(start)
                break
            if node not in seen:
                seen.add(node)
                todo.extend(graph.get(node, ()))
    assert cycles == [], f"layers that import themselves back: {sorted(cycles)}"


def test_the_graph_is_read() -> None:
    graph = import_graph()
    assert "verify" in graph["stages"] and "text" in graph["sketch"]  # the check above has something to check
    assert "kernels" in graph["text"]  # and reads "from dedup import kernels" too
