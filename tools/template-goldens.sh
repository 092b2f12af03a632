#!/usr/bin/env bash
# Regenerates the Go goldens of the event-facing template tests (event view over real events,
# sprig functions) with real Go text/template + sprig 3.2.3 (GOPATH mode). CI has no Go: the
# goldens are committed. TZ=UTC because the exporter's image runs in UTC.
#   tools/template-goldens.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export GO111MODULE=off GOPATH="${SPRIG_GOPATH:-/usr/share/gocode}" TZ=UTC
command -v go >/dev/null || { echo "go not found: goldens unchanged" >&2; exit 1; }
go run test/template/go/event-view.go test/template/cases/event-cases.json > test/template/golden/event-view.json.tmp
mv test/template/golden/event-view.json.tmp test/template/golden/event-view.json
echo "wrote test/template/golden/event-view.json"
tools/gen-template-golden.sh test/template/cases/sprig-cases.json test/template/golden/sprig-cases.golden.json -sprig
