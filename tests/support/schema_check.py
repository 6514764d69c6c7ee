"""Validates JSON documents against hybridctl.schema.json with the `jsonschema` package (pinned in
tests/lab/requirements.lock). argv[1]: the schema; stdin: a JSON list of documents; stdout: per
document, a list of {"path": "a.b.c", "message": ...} (empty when the document is valid)."""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
docs = json.load(sys.stdin)
print(json.dumps([
    [{"path": ".".join(str(p) for p in e.absolute_path), "message": e.message}
     for e in validator.iter_errors(doc)]
    for doc in docs
]))
