"""The dependency audit fails on a known vulnerability, and says it did not run, rather than
printing a clean result, when the vulnerability database answered for no package."""

import importlib.util

from django.conf import settings

spec = importlib.util.spec_from_file_location(
    "dependency_audit", settings.BASE_DIR / ".ci" / "dependency_audit.py"
)
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

DJANGO = {"name": "django", "version": "5.2.1", "vulns": []}
SKIPPED = {"name": "amqp", "skip_reason": "Dependency not found on PyPI and could not be audited"}


def test_a_known_vulnerability_fails_naming_the_package_and_the_fix():
    vulnerable = {
        **DJANGO,
        "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.2"], "description": "..."}],
    }
    code, message = audit.summarise({"dependencies": [vulnerable, SKIPPED]}, "pypi")
    assert code == 1
    assert "django 5.2.1: PYSEC-2025-1 (fixed in 5.2.2)" in message


def test_a_clean_audit_passes_and_lists_what_it_could_not_check():
    code, message = audit.summarise({"dependencies": [DJANGO, SKIPPED]}, "pypi")
    assert code == 0
    assert "1 packages audited, no known vulnerabilities" in message
    assert "Not audited (1, no answer for them): amqp" in message


def test_no_answer_for_any_package_is_not_a_clean_result():
    code, message = audit.summarise({"dependencies": [SKIPPED, {**SKIPPED, "name": "x"}]}, "pypi")
    assert code is None
    assert message == "pypi: no answer for any of the 2 packages"
