"""The README's Node.js requirement is the one the web app's locked dependencies declare.

npm prints EBADENGINE for every locked package whose ``engines.node`` the running Node misses;
the README must name a version that satisfies all of them (optional platform binaries aside).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
SEMVER = FRONTEND / "node_modules" / "semver"

CHECK = """
const semver = require(process.argv[1]);
const [version, ranges] = [process.argv[2], JSON.parse(process.argv[3])];
const missed = Object.entries(ranges).filter(([, r]) => !semver.satisfies(version, r));
process.stdout.write(JSON.stringify(missed));
"""


def _stated_minimum() -> str:
    match = re.search(r"Node\.js (\d+\.\d+(?:\.\d+)?) or newer", (ROOT / "README.md").read_text())
    assert match, "the README must say 'Node.js X.Y or newer'"
    version = match.group(1)
    return version if version.count(".") == 2 else f"{version}.0"


def _engine_ranges() -> dict[str, str]:
    lock = json.loads((FRONTEND / "package-lock.json").read_text())
    ranges: dict[str, str] = {}
    for path, meta in lock["packages"].items():
        node = (meta.get("engines") or {}).get("node")
        if node and not meta.get("optional"):
            ranges[path or "package.json"] = node
    return ranges


def test_readme_node_version_satisfies_every_locked_package() -> None:
    if shutil.which("node") is None or not SEMVER.is_dir():
        pytest.skip("node and frontend/node_modules (make frontend) are needed to read ranges")
    version = _stated_minimum()
    out = subprocess.run(["node", "-e", CHECK, str(SEMVER), version, json.dumps(_engine_ranges())],
                         capture_output=True, text=True, timeout=60, check=True)
    missed = json.loads(out.stdout)
    assert missed == [], f"Node {version} misses these engines ranges: {missed[:10]}"


def test_dockerfile_builds_the_web_app_with_a_supported_node() -> None:
    match = re.search(r"^FROM node:(\d+)", (ROOT / "Dockerfile").read_text(), re.MULTILINE)
    assert match, "the Dockerfile builds the SPA in a node image"
    assert int(match.group(1)) >= int(_stated_minimum().split(".")[0])


def test_package_json_engines_states_the_readme_minimum() -> None:
    package = json.loads((FRONTEND / "package.json").read_text())
    stated = package.get("engines", {}).get("node", "")
    assert stated == f">={_stated_minimum()}", (
        f"frontend/package.json engines.node is {stated!r}; the README says "
        f"Node.js {_stated_minimum()} or newer")
