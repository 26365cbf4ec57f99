#!/usr/bin/env python3
"""Validates BoAmps reports against the schemas shipped in schema/boamps/ (Boavizta, CC BY
4.0), offline: the published URIs the root schema refers to are mapped to those files.
Usage: boamps_validate.py SCHEMA_DIR REPORT.json...  Prints each failure; exits 1 on any."""
import json
import os
import sys
import warnings

import jsonschema

warnings.simplefilter("ignore", DeprecationWarning)  # RefResolver: deprecated in 4.18+


def main():
    sdir, reports = sys.argv[1], sys.argv[2:]
    store = {}
    for name in os.listdir(sdir):
        if name.endswith("_schema.json"):
            with open(os.path.join(sdir, name), encoding="utf-8") as f:
                s = json.load(f)
            store[s["id"]] = s
    root = store["https://raw.githubusercontent.com/Boavizta/BoAmps/main/model/report_schema.json"]
    resolver = jsonschema.RefResolver.from_schema(root, store=store)
    validator = jsonschema.Draft4Validator(root, resolver=resolver)
    bad = 0
    for path in reports:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        for err in validator.iter_errors(doc):
            bad += 1
            where = "/".join(str(p) for p in err.absolute_path)
            print(f"{path}: {where}: {err.message}")
    if not reports:
        print("no reports given")
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
