#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check JSON Lines result files against the mrbench/1 JSON Schema.

usage: schema-check.py SCHEMA FILE...

Prints one line per bad record (file, line, key, what is wrong; the first
20) and a last line "N records, N invalid". Exits 0 when every record is
valid, 1 when one is not, 2 when a file cannot be read as JSON Lines.
"""
import json
import sys

import jsonschema


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    records = invalid = 0
    for path in argv[2:]:
        try:
            with open(path) as f:
                lines = f.readlines()
        except OSError as e:
            print(f"{path}: {e.strerror}")
            return 2
        for no, line in enumerate(lines, 1):
            records += 1
            try:
                rec = json.loads(line)
            except ValueError as e:
                print(f"{path}:{no}: not JSON: {e}")
                return 2
            errors = list(validator.iter_errors(rec))
            if errors:
                invalid += 1
            for e in errors:
                if invalid <= 20:
                    key = "/".join(str(p) for p in e.absolute_path) or "."
                    print(f"{path}:{no}: {key}: {e.message[:200]}")
    print(f"{records} records, {invalid} invalid")
    return 1 if invalid else 0


sys.exit(main(sys.argv))
