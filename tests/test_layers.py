"""The layers point one way: every import in src/ (lazy ones inside functions included,
and those under ``TYPE_CHECKING``) goes to the same layer or a lower one, and no modules
import each other in a circle.

Layers, lowest first: the foundations (``defaults``, ``errors``, ``display``), ``chem``
(molecules only), ``data`` (the reference set: names), ``evidence`` (the call and its
columns), ``engine`` (files, limits, workers; ``assess`` and ``screen``), ``analysis``
(statistics, validation), ``view`` (words and pictures), and the entry points (``cli``,
``__main__``, the package's ``__init__``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "imidchem"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("defaults", "errors", "display"),
    ("chem",),
    ("data",),
    ("evidence",),
    ("engine",),
    ("analysis",),
    ("view",),
    ("cli", "__main__", ""),
)
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def _modules() -> dict[str, Path]:
    modules = {}
    for path in SRC.rglob("*.py"):
        parts = ("imidchem", *path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


MODULES = _modules()


def _package(module: str, path: Path) -> str:
    return module if path.name == "__init__.py" else module.rsplit(".", 1)[0]


def imports(module: str) -> list[tuple[int, str]]:
    """``(line, imported imidchem module)`` of every import statement of ``module``."""
    path = MODULES[module]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = _package(module, path).split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            targets = [
                f"{target}.{alias.name}" if f"{target}.{alias.name}" in MODULES else target
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target.startswith("imidchem") and target != module:
                found.append((node.lineno, target))
    return sorted(set(found))


def layer(module: str) -> str:
    """The layer name of a module: its first part below ``imidchem`` ("" for the package)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_every_module_has_a_layer():
    assert {layer(module) for module in MODULES} <= set(RANK)


def test_the_parser_sees_lazy_relative_and_type_checking_imports():
    found = dict((target, line) for line, target in imports("imidchem.engine.assess"))
    assert "imidchem.engine.screen" in found  # inside assess(), at call time
    assert "imidchem.data.reference" in found  # inside assess(), two levels up
    found = {target for _, target in imports("imidchem.cli")}
    assert {"imidchem.engine.screen", "imidchem.view.text", "imidchem.defaults"} <= found


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_upward_import(module):
    upward = [
        f"line {line}: {target} ({layer(target) or 'the package'})"
        for line, target in imports(module)
        if RANK[layer(target)] > RANK[layer(module)]
    ]
    assert upward == [], f"{module} ({layer(module)}) imports a higher layer"


def test_no_import_circle():
    graph = {module: {target for _, target in imports(module)} for module in MODULES}
    graph["imidchem"] = set()  # the package's lazy table points at everything, by design
    circles = []
    state: dict[str, int] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                circles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert circles == []
