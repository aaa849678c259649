"""Check every locked dependency against PyPI's vulnerability data, the data pip-audit reads.

pip-audit asks PyPI for each release (``/pypi/<name>/<version>/json``) or asks OSV. On networks
that reach only the package index, neither answers, but the project's own JSON
(``/pypi/<name>/json``) does: its ``vulnerabilities`` are those of the newest release. So:

- a package locked at its newest release is checked against those advisories;
- for an older release the per-release JSON is tried first, as pip-audit would;
- where that is not reachable, the package must at least be on the newest patch release of its
  line (security fixes land there), and the newest release must carry no advisory either. Such
  packages are listed as not checked against advisories, so nobody mistakes the run for more.

A yanked release, an unreachable index or an unknown release fails the run: it never passes
for want of an answer. Run it with ``make audit``; CI runs it too.
"""

import argparse
import json
import sys
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
PYPI = "https://pypi.org/pypi"
PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}.{sys.version_info.micro}"

Fetch = Callable[[str], dict[str, Any] | None]


class IndexUnreachableError(Exception):
    pass


@dataclass
class Finding:
    name: str
    version: str
    problems: list[str] = field(default_factory=list)
    checked_against_advisories: bool = False
    note: str = ""


def locked_packages(lock_path: Path) -> list[tuple[str, str]]:
    """Every package uv.lock takes from a registry (the project itself is not one of them)."""
    lock = tomllib.loads(lock_path.read_text())
    return sorted(
        (package["name"], package["version"])
        for package in lock["package"]
        if "registry" in package.get("source", {})
    )


def _live_advisories(vulnerabilities: Iterable[dict[str, Any]] | None) -> list[str]:
    return [
        f"{advisory['id']} (fixed in {', '.join(advisory.get('fixed_in') or []) or 'no release'})"
        for advisory in vulnerabilities or []
        if not advisory.get("withdrawn")
    ]


def _installable(files: list[dict[str, Any]], python: str) -> bool:
    """A release counts if one of its files is not yanked and admits our Python."""
    for release_file in files:
        if release_file.get("yanked"):
            continue
        try:
            if python in SpecifierSet(release_file.get("requires_python") or ""):
                return True
        except InvalidSpecifier:
            return True
    return False


def _newest_of_line(version: Version, releases: dict[str, list], python: str) -> Version:
    line = (version.major, version.minor)
    newest = version
    for label, files in releases.items():
        try:
            candidate = Version(label)
        except InvalidVersion:
            continue
        if (
            (candidate.major, candidate.minor) == line
            and not candidate.is_prerelease
            and candidate > newest
            and _installable(files, python)
        ):
            newest = candidate
    return newest


def audit_package(name: str, version: str, fetch: Fetch, python: str = PYTHON) -> Finding:
    finding = Finding(name, version)
    project = fetch(f"{PYPI}/{name}/json")
    if project is None:
        finding.problems.append("PyPI does not know this project")
        return finding
    files = project["releases"].get(version)
    if not files:
        finding.problems.append(f"release {version} is not on PyPI")
        return finding
    if all(release_file.get("yanked") for release_file in files):
        reasons = "; ".join({f["yanked_reason"] for f in files if f.get("yanked_reason")})
        finding.problems.append(f"release {version} is yanked ({reasons or 'no reason given'})")

    newest = project["info"]["version"]
    newest_advisories = _live_advisories(project.get("vulnerabilities"))
    if Version(version) == Version(newest):
        finding.checked_against_advisories = True
        finding.problems.extend(newest_advisories)
        return finding

    release = fetch(f"{PYPI}/{name}/{version}/json")
    if release is not None:
        finding.checked_against_advisories = True
        finding.problems.extend(_live_advisories(release.get("vulnerabilities")))
        return finding

    newest_of_line = _newest_of_line(Version(version), project["releases"], python)
    if newest_of_line != Version(version):
        finding.problems.append(
            f"{newest_of_line}, a newer release of the same line, is out: upgrade to it "
            "(this release's own advisories cannot be read here)"
        )
    if newest_advisories:
        finding.problems.append(
            f"the newest release, {newest}, has advisories that may reach back to this one: "
            f"{', '.join(newest_advisories)}"
        )
    finding.note = f"newest is {newest}; {version} is the newest of its line"
    return finding


def fetch_json(url: str, attempts: int = 3, timeout: float = 30) -> dict[str, Any] | None:
    """The JSON at url; None when the index answers 404; raises when it cannot be reached."""
    last_error: Exception | None = None
    for attempt in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (fixed https host)
                return json.load(response)
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            last_error = error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            last_error = error
        time.sleep(2**attempt)
    raise IndexUnreachableError(f"{url}: {last_error}")


def audit(packages: list[tuple[str, str]], fetch: Fetch) -> list[Finding]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda package: audit_package(*package, fetch=fetch), packages))


def report(findings: list[Finding]) -> int:
    checked = [f for f in findings if f.checked_against_advisories]
    unchecked = [f for f in findings if not f.checked_against_advisories and not f.problems]
    failed = [f for f in findings if f.problems]
    print(
        f"{len(findings)} locked packages: {len(checked)} checked against PyPI's advisories, "
        f"{len(unchecked)} on the newest release of their line but not checkable here, "
        f"{len(failed)} with problems."
    )
    for finding in unchecked:
        print(f"  not checked: {finding.name} {finding.version} ({finding.note})")
    for finding in failed:
        print(f"  FAIL {finding.name} {finding.version}:")
        for problem in finding.problems:
            print(f"    - {problem}")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lock", type=Path, default=ROOT / "uv.lock")
    args = parser.parse_args(argv)
    try:
        findings = audit(locked_packages(args.lock), fetch_json)
    except IndexUnreachableError as error:
        print(f"PyPI could not be reached, so nothing was checked: {error}", file=sys.stderr)
        return 2
    return report(findings)


if __name__ == "__main__":
    sys.exit(main())
