#!/usr/bin/env python3
"""schemathesis against one live node's API, signed in as one of its operators.

Signs in through POST /api/v1/session (the cluster's own CA verifies the node), then runs
`schemathesis run` over the node's OpenAPI document with every check, the session cookie and
the CSRF token on every request, a fixed seed and a bounded number of examples, and the
exceptions in schemathesis.toml beside this file. Prints schemathesis' output; exits with its
status, so any failure it finds fails the caller (SchemathesisTests in the Swift suite).

    python3 Tests/Schemathesis/run.py --base https://127.0.0.1:8443 --ca certs/ca.pem \\
        --username specialist.321281100201 --password ... [--seed 1] [--max-examples 20] \\
        [--operation get/api/v1/dashboard ...]

`--operation` (repeatable) limits the run to those operation ids, for a role that adds only a
few operations to what the other passes cover.
"""
import argparse
import json
import os
import ssl
import subprocess
import sys
import urllib.request


def sign_in(base, ca, username, password):
    context = ssl.create_default_context(cafile=ca)
    # The demo's certificates name the node's host; the suite serves on 127.0.0.1.
    context.check_hostname = False
    request = urllib.request.Request(
        base + "/api/v1/session",
        data=json.dumps({"username": username, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, context=context, timeout=30) as response:
        info = json.load(response)
        cookie = response.headers["Set-Cookie"].split(";", 1)[0]
    return cookie, info["csrfToken"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--seed", default="20261204")
    parser.add_argument("--max-examples", default="10")
    parser.add_argument("--max-time", default=None)
    parser.add_argument("--report", default=None)
    parser.add_argument("--operation", action="append", default=[])
    arguments = parser.parse_args()

    cookie, csrf = sign_in(arguments.base, arguments.ca, arguments.username, arguments.password)
    config = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemathesis.toml")
    command = [
        sys.executable, "-c", "import sys; from schemathesis.cli import schemathesis; sys.exit(schemathesis())",
        "--config-file", config, "--no-color",
        "run", arguments.base + "/api/v1/openapi.json",
        "--checks", "all",
        "--seed", arguments.seed,
        # No example database between runs: each run generates from the seed alone.
        "--generation-database", "none",
        "--max-examples", arguments.max_examples,
        *(["--max-time", arguments.max_time] if arguments.max_time else []),
        "--workers", "1",
        "--tls-verify", arguments.ca,
        # Signing out would end the session every later request uses.
        "--exclude-operation-id", "delete/api/v1/session",
    ]
    for operation in arguments.operation:
        command += ["--include-operation-id", operation]
    if arguments.report:
        command += ["--report", "junit", "--report-dir", arguments.report]
    # The session's two security schemes, named as the document names them, so schemathesis
    # also tries each operation without them (schemathesis.toml reads these variables).
    environment = dict(os.environ, JIUZHU_SESSION=cookie.split("=", 1)[1], JIUZHU_CSRF=csrf)
    sys.stdout.flush()
    return subprocess.call(command, env=environment)


if __name__ == "__main__":
    sys.exit(main())
