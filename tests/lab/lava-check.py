#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Validate LAVA files with LAVA's own schemas (Debian's lava-common).

usage: lava-check.py {job|testdef} FILE [{job|testdef} FILE ...]

One line per file, "FILE: valid KIND" or "FILE: invalid KIND: KEY: why";
exits 1 when one is invalid.
"""
import sys

import voluptuous
import yaml
from lava_common.schemas import validate as validate_job
from lava_common.schemas.test.testdef import validate as validate_testdef

CHECKS = {
    "job": lambda data: validate_job(data, strict=True),
    "testdef": validate_testdef,
}


def main(argv):
    pairs = list(zip(argv[1::2], argv[2::2]))
    if not pairs or len(argv) % 2 == 0 or any(k not in CHECKS for k, _ in pairs):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    rc = 0
    for kind, path in pairs:
        with open(path) as f:
            data = yaml.safe_load(f)
        try:
            CHECKS[kind](data)
            print(f"{path}: valid {kind}")
        except voluptuous.Invalid as e:
            print(f"{path}: invalid {kind}: {e.path}: {e.msg}")
            rc = 1
    return rc


sys.exit(main(sys.argv))
