"""List the imports placed inside functions in `vestnik/` (TYPE_CHECKING blocks excluded).

Each one should defer a heavy library or be an `AppConfig.ready()` import and say
so in a comment; `make lint` does not fail on them, the closing notes count them.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "vestnik"


def _type_checking_blocks(tree: ast.AST) -> set[int]:
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            inside.update(id(child) for child in ast.walk(node))
    return inside


def function_imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text())
    skip = _type_checking_blocks(tree)
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if id(node) in skip or not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            found.append((node.lineno, ast.unparse(node)))
    return found


def main() -> int:
    total = 0
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        for line, statement in function_imports(path):
            total += 1
            print(f"{path.relative_to(ROOT.parent)}:{line}: {statement}")
    print(f"{total} imports inside functions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
