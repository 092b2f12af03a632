#!/usr/bin/env bash
# Regenerates the Go goldens of the template differential tests with the real Go text/template
# (Go 1.19+, sprig 3.2.3 in GOPATH mode). CI never runs this: the goldens are committed.
#   tools/gen-template-golden.sh                      core cases (builtins only)
#   tools/gen-template-golden.sh CASES GOLDEN -sprig  another cases file, with sprig.TxtFuncMap()
set -euo pipefail
cd "$(dirname "$0")/.."
export GO111MODULE=off GOPATH="${SPRIG_GOPATH:-/usr/share/gocode}" TZ=UTC
command -v go >/dev/null || { echo "go not found: goldens unchanged" >&2; exit 1; }
cases="${1:-test/template/cases/core-cases.json}"
golden="${2:-test/template/golden/core-cases.golden.json}"
flags=()
if [ "${3:-}" = "-sprig" ]; then flags=(-sprig); fi
tmp="$(mktemp)"
go run test/template/go/render.go "${flags[@]}" "$cases" > "$tmp"
mv "$tmp" "$golden"
echo "wrote $golden"
