"""Audit the installed environment's packages for known vulnerabilities with pip-audit.

Fails (exit 1) when a package has a known vulnerability. When no vulnerability database
answers, it says plainly that the audit did not run and exits 0: a machine without the
network must not fail CI, and must not print what looks like a clean result either.
pip-audit itself prints "No known vulnerabilities found" when every package was skipped
for want of an answer, so the counts are read from its JSON, not its last line.

Usage: python .ci/dependency_audit.py   (make test runs it; make audit alone)
"""

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# PyPI's own advisory data first, then OSV's; each is tried only if the one before gave
# no answers. Each pip-audit run is bounded, so a dead network costs seconds, not minutes.
SERVICES = ("pypi", "osv")
TIMEOUT_SECONDS = 10
RUN_LIMIT_SECONDS = 120
CACHE = Path(sys.prefix) / ".pip-audit-cache"


def run_pip_audit(service: str) -> tuple[dict | None, str]:
    """pip-audit's JSON report for this environment from `service`, or None and why not."""
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "report.json"
        command = [
            sys.executable,
            "-m",
            "pip_audit",
            "--skip-editable",  # the portal itself is not a published package
            "--progress-spinner",
            "off",
            "--vulnerability-service",
            service,
            "--timeout",
            str(TIMEOUT_SECONDS),
            "--cache-dir",
            str(CACHE),
            "--format",
            "json",
            "--output",
            str(output),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=RUN_LIMIT_SECONDS
            )
        except subprocess.TimeoutExpired:
            return None, f"no answer within {RUN_LIMIT_SECONDS} s"
        if not output.exists():
            lines = (done.stderr or done.stdout).strip().splitlines()
            return None, lines[-1] if lines else f"pip-audit exited {done.returncode}"
        try:
            return json.loads(output.read_text()), ""
        except ValueError:
            return None, "pip-audit wrote a report that is not JSON"


def summarise(report: dict, service: str) -> tuple[int | None, str]:
    """(exit code, message) for a report; exit code None when the service answered for no
    package at all (the audit did not run against it)."""
    packages = report.get("dependencies", [])
    skipped = [p for p in packages if "skip_reason" in p]
    audited = [p for p in packages if "skip_reason" not in p]
    vulnerable = [p for p in audited if p.get("vulns")]
    if not audited:
        return None, f"{service}: no answer for any of the {len(packages)} packages"
    lines = []
    if vulnerable:
        lines.append(f"Known vulnerabilities ({service}):")
        for package in vulnerable:
            for vuln in package["vulns"]:
                fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
                lines.append(
                    f"  {package['name']} {package['version']}: {vuln['id']} (fixed in {fixed})"
                )
    else:
        lines.append(
            f"Dependency audit ({service}): {len(audited)} packages audited, "
            "no known vulnerabilities."
        )
    if skipped:
        names = ", ".join(sorted(p["name"] for p in skipped))
        lines.append(f"  Not audited ({len(skipped)}, no answer for them): {names}")
    return (1 if vulnerable else 0), "\n".join(lines)


def main() -> int:
    started = time.monotonic()
    reasons = []
    for service in SERVICES:
        report, reason = run_pip_audit(service)
        if report is not None:
            code, message = summarise(report, service)
            if code is not None:
                print(message)
                print(f"  ({time.monotonic() - started:.0f} s)")
                return code
            reason = message
        reasons.append(f"{service}: {reason}" if not reason.startswith(service) else reason)
    print("DEPENDENCY AUDIT DID NOT RUN: no vulnerability database could be reached.")
    print("This is not a clean result: nothing was checked. " + "; ".join(reasons))
    print(f"  ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
