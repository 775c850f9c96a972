"""What a user installs matches what ganbook imports, and the two install routes pin the same PyTorch."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imports(optional_only=False):
    """Top-level modules ganbook imports: {name: imported at module level?}."""
    found = {}
    for f in (ROOT / "ganbook").rglob("*.py"):
        tree = ast.parse(f.read_text())
        top = {id(n) for n in tree.body}
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                root = name.split(".")[0]
                if root not in sys.stdlib_module_names and root != "ganbook":
                    found[root] = found.get(root, False) or id(node) in top
    return found


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    required = {norm(re.split(r"[<>=!~\[ ]", d)[0]) for d in project["dependencies"]}
    optional = {norm(re.split(r"[<>=!~\[ ]", d)[0]) for deps in project["optional-dependencies"].values() for d in deps}
    return required, optional


def test_every_import_is_declared():
    required, optional = declared()
    dists = {k: {norm(d) for d in v} for k, v in packages_distributions().items()}
    optional_imports = {"torchmetrics": "torchmetrics", "pytorch_fid": "pytorch-fid", "jupyter_cache": "jupyter-book", "yaml": "jupyter-book",
                        "ctgan": "ctgan"}
    for module, at_top in imports().items():
        if module in optional_imports:
            assert not at_top, f"{module} is optional: import it inside the function that needs it"
            assert optional_imports[module] in optional, f"{module}: name its package in an optional extra"
            continue
        providers = dists.get(module, set())
        assert providers & required, f"ganbook imports {module} (from {providers or '?'}): add it to pyproject's dependencies"


def test_environment_installs_the_pinned_requirements():
    pins = dict(re.findall(r"^(torch|torchvision)==(\S+)$", (ROOT / "requirements.txt").read_text(), re.M))
    assert set(pins) == {"torch", "torchvision"}
    env = (ROOT / "environment.yml").read_text()
    uses = [line.split("#")[0].strip() for line in env.splitlines()]
    assert "- -r requirements.txt" in uses and "- -e ." in uses  # the same pins, through pip
    channels = env.split("channels:")[1].split("dependencies:")[0]
    assert "pytorch" not in channels and "nvidia" not in channels  # the channel stopped at 2.5
    assert "pytorch=" not in env and "torchvision=" not in env  # no second pin that could drift
