#!/usr/bin/env bash
# cmsml_check_aot_compatibility end to end (registered by cmsml_check.cmake): cmsml's command
# line and output, tfaot's op support.
# Usage: run_cmsml_check.sh MODE   with CMSML_CHECK, TFAOT_CHECK, TFAOT_SOURCE_DIR,
# TFAOT_SHARED_DIR, WORK. Modes:
#   example      the shipped example model: the exact table in grid/simple/github, the summary
#                last, exit 0; abbreviated options, ~ and $VAR in the path, colors on a terminal
#   unsupported  tests/e2e/fixtures/unsupported_op.pbtxt (frozen graph options): NO and the
#                summary naming the op, still exit 0; models that cannot be loaded: one line, 1
#   devices      -d cpu,gpu / gpu / tpu / a bad device
#   table        -t -f github; -t is tfaot-check --table's table
#   usage        no model and no --table: cmsml's message, exit 1; --help; argument errors
#   models       the CMS models of ../shared/models (exit 77 = skipped when absent)
set -u -o pipefail

MODE=$1
MLP="$TFAOT_SOURCE_DIR/examples/models/mlp"
FIXTURE="$TFAOT_SOURCE_DIR/tests/e2e/fixtures/unsupported_op.pbtxt"
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1
cd "$WORK" || exit 1
die() { echo "FAIL: $*" >&2; exit 1; }

# run ARGS...: runs the command; sets out (stdout), err (stderr) and rc.
run() {
  out=$("$CMSML_CHECK" "$@" 2>"$WORK/stderr")
  rc=$?
  err=$(<"$WORK/stderr")
}
# expect_rc N WHAT: the last run exited with N.
expect_rc() { [[ $rc -eq $1 ]] || die "$2: exit $rc, expected $1; stdout: $out; stderr: $err"; }
# expect_out WHAT EXPECTED: the last run printed exactly EXPECTED on stdout.
expect_out() {
  [[ "$out" == "$2" ]] || die "$1: unexpected output:
$out
--- expected:
$2
--- diff:
$(diff <(echo "$2") <(echo "$out"))"
}
# expect_error N WANT WHAT: exit N, nothing on stdout, one line on stderr containing WANT.
expect_error() {
  expect_rc "$1" "$3"
  [[ -z $out ]] || die "$3: stdout not empty: $out"
  [[ $(grep -c . <<<"$err") -eq 1 ]] || die "$3: expected one line on stderr, got: $err"
  [[ $err == *"$2"* ]] || die "$3: error does not mention '$2': $err"
  echo "ok: $3: $err"
}

# The example model (Dense(8, tanh) -> Dense(3) -> Softmax) laid out as cmsml does: the op table
# in alphabetical order, without Placeholder and NoOp; its variables are Const for tfaot (read
# from the checkpoint) and its function calls inlined.
GRID='+-------------+-------+
| Operation   | cpu   |
+=============+=======+
| BiasAdd     | yes   |
+-------------+-------+
| Const       | yes   |
+-------------+-------+
| Identity    | yes   |
+-------------+-------+
| MatMul      | yes   |
+-------------+-------+
| Softmax     | yes   |
+-------------+-------+
| Tanh        | yes   |
+-------------+-------+

cpu: all ops compatible'

case $MODE in
example)
  run "$MLP"
  expect_rc 0 "example model"
  expect_out "example model (grid)" "$GRID"
  [[ $(tail -n 1 <<<"$out") == "cpu: all ops compatible" ]] || die "summary is not the last line"
  [[ $out == *$'\e'* ]] && die "escape codes in output that is not a terminal: $out"
  run "$MLP" -f simple
  expect_rc 0 "-f simple"
  expect_out "example model (simple)" 'Operation    cpu
-----------  -----
BiasAdd      yes
Const        yes
Identity     yes
MatMul       yes
Softmax      yes
Tanh         yes

cpu: all ops compatible'
  run -f github "$MLP"
  expect_rc 0 "-f github"
  expect_out "example model (github)" '| Operation   | cpu   |
|-------------|-------|
| BiasAdd     | yes   |
| Const       | yes   |
| Identity    | yes   |
| MatMul      | yes   |
| Softmax     | yes   |
| Tanh        | yes   |

cpu: all ops compatible'
  github=$out
  # argparse's forms: abbreviations, --opt=value, the serving key given, the last of a repeated
  # option.
  run "$MLP" --table-f=github --serv serving_default
  expect_rc 0 "abbreviated options"
  expect_out "abbreviated options" "$github"
  run "$MLP" -f simple -f github -k nope -k serving_default
  expect_rc 0 "repeated options"
  expect_out "repeated options (the last counts)" "$github"
  # tabulate lays out a format it does not know as "simple"; html it knows but we do not.
  run "$MLP" -f no_such_format
  simple_out=$out
  run "$MLP" -f simple
  [[ $simple_out == "$out" ]] || die "an unknown format is not laid out as simple: $simple_out"
  run "$MLP" -f html
  expect_error 1 "'html'" "-f html"
  run "$MLP" -k no_such_key
  expect_error 1 "no_such_key" "wrong serving key"
  # The path as cmsml expands it: ~ and $VAR.
  cp -r "$MLP" "$WORK/mlp" || die "cannot copy the example model"
  out=$(HOME="$WORK" "$CMSML_CHECK" '~/mlp' 2>&1) || die "~/mlp: $out"
  expect_out "~/mlp" "$GRID"
  out=$(MODELS_HERE="$WORK" "$CMSML_CHECK" '${MODELS_HERE}/mlp' 2>&1) || die "\${MODELS_HERE}/mlp: $out"
  expect_out "\${MODELS_HERE}/mlp" "$GRID"
  # cmsml's colors, on a terminal only (script gives the command one).
  if command -v script >/dev/null; then
    tty_out=$(script -qec "'$CMSML_CHECK' '$MLP'" /dev/null | tr -d '\r')
    [[ $tty_out == *$'\e[35mcpu\e[0m: \e[32mall ops compatible\e[0m'* ]] ||
      die "no colored summary on a terminal: $(cat -v <<<"$tty_out")"
    tty_out=$(NO_COLOR=1 script -qec "'$CMSML_CHECK' '$MLP'" /dev/null | tr -d '\r')
    [[ $tty_out == *$'\e'* ]] && die "colors despite NO_COLOR: $(cat -v <<<"$tty_out")"
  else
    echo "SKIP (part): no 'script' to test colors on a terminal"
  fi
  ;;
unsupported)
  run "$FIXTURE" --input x --output det
  expect_rc 0 "unsupported op (cmsml reports, it does not fail)"
  expect_out "unsupported op" '+-------------------+-------+
| Operation         | cpu   |
+===================+=======+
| MatrixDeterminant | NO    |
+-------------------+-------+

cpu: not compatible, 1 incompatible ops: MatrixDeterminant'
  # Two unsupported ops: named in the order the model uses them (cmsml), not sorted; the
  # table is sorted.
  sed -e '/^versions/d' "$FIXTURE" >two.pbtxt
  cat >>two.pbtxt <<'EOF'
node {
  name: "inv"
  op: "MatrixInverse"
  input: "x"
  attr { key: "T" value { type: DT_FLOAT } }
  attr { key: "adjoint" value { b: false } }
}
node {
  name: "ab"
  op: "Abs"
  input: "inv"
  attr { key: "T" value { type: DT_FLOAT } }
}
versions { producer: 1205 }
EOF
  run two.pbtxt --input x --output ab --output det
  expect_rc 0 "two unsupported ops"
  rows=$(grep '^| [A-Z]' <<<"$out" | grep -v '^| Operation' | tr -s ' ')
  [[ $rows == $'| Abs | yes |\n| MatrixDeterminant | NO |\n| MatrixInverse | NO |' ]] ||
    die "two unsupported ops: unexpected table rows: $out"
  [[ $(tail -n 1 <<<"$out") == "cpu: not compatible, 2 incompatible ops: MatrixInverse, MatrixDeterminant" ]] ||
    die "two unsupported ops: unexpected summary (order of use: MatrixInverse, MatrixDeterminant): $out"
  # Models that cannot be loaded: one line naming the file, exit 1 (a Python exception's).
  run "$FIXTURE" --input x
  expect_error 1 "unsupported_op.pbtxt" "frozen graph without --output"
  run "$WORK/no_such_model"
  expect_error 1 "$WORK/no_such_model" "missing model"
  printf 'garbage' >broken.pb
  run broken.pb
  expect_error 1 "broken.pb" "unparsable graph"
  ;;
devices)
  run "$MLP" -d cpu,gpu
  expect_rc 0 "-d cpu,gpu"
  expect_out "-d cpu,gpu" "${GRID%$'\n\n'*}

gpu: not supported (tfaot compiles for CPU only)

cpu: all ops compatible"
  run "$MLP" --devices=gpu,cpu,tpu,cpu
  expect_rc 0 "--devices=gpu,cpu,tpu,cpu"
  [[ $(tail -n 5 <<<"$out") == "gpu: not supported (tfaot compiles for CPU only)

tpu: not supported (tfaot compiles for CPU only)

cpu: all ops compatible" ]] || die "--devices=gpu,cpu,tpu,cpu: unexpected end of output: $out"
  run "$MLP" -d gpu
  expect_rc 0 "-d gpu"
  expect_out "-d gpu" "
gpu: not supported (tfaot compiles for CPU only)"
  run "$MLP" -d cpu,fpga
  expect_error 1 "fpga" "-d cpu,fpga"
  ;;
table)
  run -t -f github
  expect_rc 0 "-t -f github"
  [[ $(sed -n 1p <<<"$out") =~ ^\|\ Operation\ +\|\ cpu\ \ \ \|$ ]] || die "-t -f github: bad header: $out"
  [[ $(sed -n 2p <<<"$out") =~ ^\|-+\|-------\|$ ]] || die "-t -f github: bad header rule: $out"
  body=$(sed 1,2d <<<"$out")
  bad=$(grep -Ev '^\| [A-Za-z_0-9]+ +\| yes   \|$' <<<"$body") && die "-t -f github: bad rows: $bad"
  names=$(cut -d' ' -f2 <<<"$body")
  LC_ALL=C sort -c <<<"$names" || die "-t: ops not in the op table's order"
  for op in MatMul Softmax Tanh BiasAdd; do
    grep -qx "$op" <<<"$names" || die "-t does not list $op"
  done
  # The same table tfaot-check --table prints (one implementation).
  run -t
  expect_rc 0 "-t"
  expect_out "-t against tfaot-check --table" "$("$TFAOT_CHECK" --table)"
  [[ $(grep -c '^| ' <<<"$out") -eq $(($(wc -l <<<"$names") + 1)) ]] || die "-t and -t -f github list different ops"
  # --table wins over a model path (cmsml): the path is not even opened.
  table=$out
  run --table "$WORK/no_such_model"
  expect_rc 0 "--table with a model path"
  expect_out "--table with a model path" "$table"
  run -t -d cpu,gpu
  expect_out "-t -d cpu,gpu" "$table

gpu: not supported (tfaot compiles for CPU only)"
  ;;
usage)
  run
  expect_error 1 "either '--model-path PATH' or '--table' must be set" "no arguments"
  [[ $err == "either '--model-path PATH' or '--table' must be set" ]] || die "not cmsml's message: $err"
  run -k serving_default -f simple
  expect_error 1 "either '--model-path PATH' or '--table' must be set" "options but no model"
  run --help
  expect_rc 0 "--help"
  for word in model_path --serving-key --table --table-format --devices; do
    [[ $out == *"$word"* ]] || die "--help does not mention $word: $out"
  done
  run "$MLP" --no-such-option
  expect_error 2 "no-such-option" "unknown option"
  run "$MLP" --t
  expect_error 2 "ambiguous option: --t could match" "ambiguous abbreviation"
  ;;
models)
  MODELS="$TFAOT_SHARED_DIR/models"
  if [[ ! -d "$MODELS/cms_tfaot_multi" ]]; then
    echo "SKIP: $MODELS not found (shared model corpus absent): CMS models not checked"
    exit 77
  fi
  for id in cms_tfaot_multi cms_tfaot_simple; do
    run "$MODELS/$id"
    expect_rc 0 "$id"
    [[ $(tail -n 1 <<<"$out") == "cpu: all ops compatible" ]] || die "$id: unexpected summary: $out"
    grep -q '^| MatMul  *| yes   |$' <<<"$out" || die "$id: no 'MatMul yes' row: $out"
    # The same rows as tfaot-check (one analysis).
    tfaot_rows=$("$TFAOT_CHECK" "$MODELS/$id" | grep '^| ') || die "tfaot-check failed on $id"
    [[ $(grep '^| ' <<<"$out") == "$tfaot_rows" ]] || die "$id: rows differ from tfaot-check's: $out"
    echo "ok: $id"
  done
  ;;
*) die "unknown mode $MODE" ;;
esac
echo "ok: $MODE"
