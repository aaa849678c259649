"""The dependency audit decides from PyPI's answers; here PyPI is a dictionary."""

import io
import urllib.error

import pytest

from tools import audit_dependencies as audit_tool

PYPI = audit_tool.PYPI


def release(requires_python=">=3.10", yanked=False, reason=None):
    return [{"requires_python": requires_python, "yanked": yanked, "yanked_reason": reason}]


def advisory(advisory_id, fixed_in=("2.0.1",), withdrawn=None):
    return {"id": advisory_id, "fixed_in": list(fixed_in), "withdrawn": withdrawn}


def project(newest, releases, vulnerabilities=()):
    return {
        "info": {"version": newest},
        "releases": releases,
        "vulnerabilities": list(vulnerabilities),
    }


def index(answers):
    """A fetch that answers from `answers` and 404s everything else, recording each call."""
    calls = []

    def fetch(url):
        calls.append(url)
        return answers.get(url)

    fetch.calls = calls
    return fetch


def test_the_newest_release_is_checked_against_the_projects_advisories():
    fetch = index({f"{PYPI}/lib/json": project("2.0.0", {"1.0.0": release(), "2.0.0": release()})})
    finding = audit_tool.audit_package("lib", "2.0.0", fetch)
    assert finding.checked_against_advisories
    assert finding.problems == []
    assert fetch.calls == [f"{PYPI}/lib/json"]


def test_an_advisory_on_the_locked_newest_release_fails_and_a_withdrawn_one_does_not():
    fetch = index(
        {
            f"{PYPI}/lib/json": project(
                "2.0.0",
                {"2.0.0": release()},
                [advisory("PYSEC-1", fixed_in=()), advisory("GHSA-x", withdrawn="2026-01-01")],
            )
        }
    )
    finding = audit_tool.audit_package("lib", "2.0.0", fetch)
    assert finding.problems == ["PYSEC-1 (fixed in no release)"]


def test_an_older_release_is_checked_per_release_where_pypi_answers_as_pip_audit_would():
    fetch = index(
        {
            f"{PYPI}/lib/json": project("2.0.1", {"2.0.0": release(), "2.0.1": release()}),
            f"{PYPI}/lib/2.0.0/json": {"vulnerabilities": [advisory("PYSEC-2")]},
        }
    )
    finding = audit_tool.audit_package("lib", "2.0.0", fetch)
    assert finding.checked_against_advisories
    assert finding.problems == ["PYSEC-2 (fixed in 2.0.1)"]


def test_an_older_release_that_is_the_newest_of_its_line_passes_but_is_reported_unchecked():
    releases = {"5.2.18": release(), "5.2.19": release(), "6.0.0": release(), "6.1.0rc1": []}
    fetch = index({f"{PYPI}/django/json": project("6.0.0", releases)})
    finding = audit_tool.audit_package("django", "5.2.19", fetch)
    assert finding.problems == []
    assert not finding.checked_against_advisories
    assert "5.2.19 is the newest of its line" in finding.note


def test_a_newer_release_of_the_same_line_must_be_taken():
    releases = {"0.3.7": release(), "0.3.8": release(), "0.4.0": release()}
    fetch = index({f"{PYPI}/nh3/json": project("0.4.0", releases)})
    finding = audit_tool.audit_package("nh3", "0.3.7", fetch)
    assert finding.problems[0].startswith("0.3.8, a newer release of the same line, is out")


def test_newer_releases_that_are_yanked_pre_releases_or_need_a_newer_python_do_not_count():
    releases = {
        "2.4.6": release(),
        "2.4.7": release(yanked=True),
        "2.4.8rc1": release(),
        "2.4.9": release(requires_python=">=3.12"),
        "2.5.0": release(requires_python=">=3.12"),
    }
    fetch = index({f"{PYPI}/numpy/json": project("2.5.0", releases)})
    finding = audit_tool.audit_package("numpy", "2.4.6", fetch, python="3.11.7")
    assert finding.problems == []


def test_advisories_on_the_newest_release_fail_an_older_one_that_cannot_be_checked():
    releases = {"1.0.0": release(), "2.0.0": release()}
    fetch = index({f"{PYPI}/lib/json": project("2.0.0", releases, [advisory("PYSEC-3", ())])})
    finding = audit_tool.audit_package("lib", "1.0.0", fetch)
    assert "PYSEC-3" in finding.problems[0]


def test_a_yanked_release_fails():
    releases = {"1.0.0": release(yanked=True, reason="broken wheel")}
    fetch = index({f"{PYPI}/lib/json": project("1.0.0", releases)})
    finding = audit_tool.audit_package("lib", "1.0.0", fetch)
    assert finding.problems == ["release 1.0.0 is yanked (broken wheel)"]


@pytest.mark.parametrize(
    ("answers", "problem"),
    [
        ({}, "PyPI does not know this project"),
        ({f"{PYPI}/lib/json": project("2.0.0", {"2.0.0": release()})}, "is not on PyPI"),
    ],
)
def test_an_unknown_project_or_release_fails(answers, problem):
    finding = audit_tool.audit_package("lib", "1.5.0", index(answers))
    assert problem in finding.problems[0]


def test_the_lock_file_yields_registry_packages_only(tmp_path):
    lock = tmp_path / "uv.lock"
    lock.write_text(
        """
version = 1
[[package]]
name = "ankommen"
version = "0.1.0"
source = { virtual = "." }

[[package]]
name = "django"
version = "5.2.19"
source = { registry = "https://pypi.org/simple" }
"""
    )
    assert audit_tool.locked_packages(lock) == [("django", "5.2.19")]


def test_the_run_fails_with_a_problem_and_passes_without(capsys):
    clean = audit_tool.Finding("lib", "2.0.0", checked_against_advisories=True)
    unchecked = audit_tool.Finding("django", "5.2.19", note="newest is 6.0.0")
    assert audit_tool.report([clean, unchecked]) == 0
    assert "not checked: django 5.2.19" in capsys.readouterr().out
    broken = audit_tool.Finding("lib", "1.0.0", problems=["PYSEC-4 (fixed in 1.0.1)"])
    assert audit_tool.report([clean, broken]) == 1
    assert "FAIL lib 1.0.0" in capsys.readouterr().out


def test_an_unreachable_index_fails_the_run_instead_of_passing_it(tmp_path, monkeypatch, capsys):
    lock = tmp_path / "uv.lock"
    lock.write_text('[[package]]\nname = "lib"\nversion = "1.0.0"\nsource = { registry = "x" }\n')

    def unreachable(url):
        raise audit_tool.IndexUnreachableError(url)

    monkeypatch.setattr(audit_tool, "fetch_json", unreachable)
    assert audit_tool.main(["--lock", str(lock)]) == 2
    assert "nothing was checked" in capsys.readouterr().err


def test_fetch_reads_json_answers_none_for_404_and_raises_after_retries(monkeypatch):
    monkeypatch.setattr(audit_tool.time, "sleep", lambda seconds: None)
    answers = iter(
        [
            io.BytesIO(b'{"info": {}}'),
            urllib.error.HTTPError("u", 404, "Not Found", {}, None),
            urllib.error.HTTPError("u", 503, "Unavailable", {}, None),
            urllib.error.URLError("no route"),
            TimeoutError(),
        ]
    )

    def urlopen(url, timeout):
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(audit_tool.urllib.request, "urlopen", urlopen)
    assert audit_tool.fetch_json("u") == {"info": {}}
    assert audit_tool.fetch_json("u") is None
    with pytest.raises(audit_tool.IndexUnreachableError):
        audit_tool.fetch_json("u")
