#!/usr/bin/env bash
# Regenerates Sources/BreakwaterServer/OpenAPIDocument.swift from docs/openapi.json (the source of truth).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - <<'PY'
import json
doc = json.load(open('docs/openapi.json'))
text = json.dumps(doc, separators=(',', ':'))
open('Sources/BreakwaterServer/OpenAPIDocument.swift', 'w').write(
    '/// The OpenAPI 3.1 document served at `GET /openapi.json`; docs/openapi.json holds the same\n'
    '/// document indented (scripts/openapi-sync.sh regenerates this file; a test keeps them equal).\n'
    'enum OpenAPIDocument {\n    static let text = #"""\n' + text + '\n"""#\n}\n')
PY
swift format format -i Sources/BreakwaterServer/OpenAPIDocument.swift  # as the lint in scripts/test.sh wants it
