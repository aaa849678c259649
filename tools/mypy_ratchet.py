"""Type checks that only ever get stricter: mypy over the whole project (config in pyproject.toml).

Modules under the strict overrides (services, selectors, permissions, the extension points)
must have no error at all. Everywhere else the number of errors may not rise above the one in
tools/mypy-baseline.txt; when it falls, the run says so and the baseline is to be lowered in the
same commit, so that the gain cannot be spent again. Run it with ``make lint``; CI runs it too.
"""

import argparse
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "tools" / "mypy-baseline.txt"
ERROR = re.compile(r"^(?P<path>[^:\s]+\.py):\d+(?::\d+)?: error: ")


def strict_patterns(pyproject: Path = ROOT / "pyproject.toml") -> list[re.Pattern[str]]:
    """The module patterns of the overrides that require annotations, as mypy matches them."""
    config = tomllib.loads(pyproject.read_text())["tool"]["mypy"]
    patterns = []
    for override in config.get("overrides", []):
        if override.get("disallow_untyped_defs"):
            modules = override["module"]
            patterns += [modules] if isinstance(modules, str) else modules
    return [_glob(pattern) for pattern in patterns]


def _glob(pattern: str) -> re.Pattern[str]:
    # mypy's own reading of a pattern: a '*' component matches zero or more components.
    parts = pattern.split(".")
    expression = ".*" if parts[0] == "*" else re.escape(parts[0])
    for part in parts[1:]:
        expression += r"(\..*)?" if part == "*" else re.escape("." + part)
    return re.compile(expression + r"\Z")


def module_of(path: str) -> str:
    dotted = path.removesuffix(".py").replace("/", ".")
    return dotted.removesuffix(".__init__")


def errors_by_file(output: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in output:
        if match := ERROR.match(line):
            counts[match["path"]] = counts.get(match["path"], 0) + 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="write the current count")
    args = parser.parse_args(argv)

    result = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    lines = result.stdout.splitlines()
    counts = errors_by_file(lines)
    if result.returncode > 1 or (result.returncode == 1 and not counts):
        print(result.stdout, result.stderr, sep="\n")
        print("mypy itself failed (see above).")
        return 2
    strict = strict_patterns()
    strict_files = sorted(p for p in counts if any(s.match(module_of(p)) for s in strict))
    rest = sum(n for p, n in counts.items() if p not in strict_files)
    baseline = int(BASELINE.read_text().split()[0])

    if strict_files:
        print("\n".join(line for line in lines if line.split(":")[0] in strict_files))
        print(f"Strict modules must have no type errors: {', '.join(strict_files)}.")
        return 1
    if args.update:
        BASELINE.write_text(f"{rest}\n")
        print(f"Baseline set to {rest} errors outside the strict modules.")
        return 0
    if rest > baseline:
        print("\n".join(line for line in lines if ERROR.match(line)))
        print(f"{rest} type errors outside the strict modules, the baseline allows {baseline}.")
        print("Fix the new ones (listed above with the old ones).")
        return 1
    if rest < baseline:
        print(f"{rest} type errors, fewer than the baseline {baseline}: lower it in the same")
        print("commit with `.venv/bin/python -m tools.mypy_ratchet --update`.")
        return 1
    print(f"mypy: strict modules clean, {rest} errors elsewhere (baseline {baseline}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
