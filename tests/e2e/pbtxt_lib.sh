# Sourced by the e2e scripts that write a SavedModel as text (saved_model.pbtxt): the common
# prologue (a fresh $WORK/model, die) and NodeDef printers.
set -u -o pipefail
CXX="${CXX:-c++}"
rm -rf "$WORK" && mkdir -p "$WORK/model" || exit 1
cd "$WORK" || exit 1
die() { echo "FAIL: $*" >&2; exit 1; }

node() {  # node NAME OP [INPUT...] -- ATTRS
  local name=$1 op=$2
  shift 2
  printf '    node { name: "%s" op: "%s"' "$name" "$op"
  while [[ $# -gt 0 && $1 != -- ]]; do printf ' input: "%s"' "$1"; shift; done
  [[ $# -gt 0 ]] && shift && printf ' %s' "$*"
  printf ' }\n'
}
dtype() { printf 'attr { key: "%s" value { type: %s } }' "$1" "$2"; }

compile_model() {  # compile_model NAME: model/ at batch sizes 1 and 2 -> pkg/
  cat >aot_config.yaml <<YAML
model:
  name: $1
  version: "1.0.0"
  saved_model: model
  serving_key: serving_default
compilation:
  batch_sizes: [1, 2]
YAML
  "$TFAOT_COMPILE" -q -c aot_config.yaml -o pkg || die "tfaot-compile failed"
}
run_main() {  # builds main.cc against pkg/ and runs it
  "$CXX" -std=c++17 -O1 -Wall -Wextra -Werror -I "$TFAOT_SOURCE_DIR/runtime/include" -I pkg/include main.cc \
    pkg/lib/*.o -o main || die "building main.cc failed"
  ./main || die "wrong results"
}
