#!/usr/bin/env python3
"""Validates SPDX 3.0.1 JSON-LD documents against SPDX's published JSON schema, shipped in
schema/spdx/ (Community-Spec-1.0), offline.
Usage: spdx_validate.py SCHEMA.json DOCUMENT.json...  Prints each failure; exits 1 on any."""
import json
import sys

import jsonschema


def leaves(err):
    if not err.context:
        yield err
    for sub in err.context:
        yield from leaves(sub)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    docs = sys.argv[2:]
    if not docs:
        print("no documents given")
        return 1
    validator = jsonschema.Draft202012Validator(schema)
    bad = 0
    for path in docs:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        for err in validator.iter_errors(doc):
            bad += 1
            # the graph's oneOf/anyOf hide the cause: print the deepest failures under it
            found = list(leaves(err))
            depth = max(len(e.absolute_path) for e in found)
            shown = set()
            for e in found:
                where = "/".join(str(p) for p in e.absolute_path)
                if len(e.absolute_path) == depth and (where, e.message) not in shown:
                    shown.add((where, e.message))
                    print(f"{path}: {where}: {e.message[:300]}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
