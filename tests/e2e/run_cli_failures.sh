#!/usr/bin/env bash
# tfaot-compile when things go wrong (registered by cli_failures.cmake), on the example model
# examples/models/mlp. Every failure must give one line on stderr, the right exit status, no
# output directory (or the previous one untouched), no staging directory beside it and nothing
# left in $TMPDIR (each run gets a private, initially empty one).
# Usage: run_cli_failures.sh MODE   with TFAOT_COMPILE, TFAOT_SOURCE_DIR, WORK, CXX (and
# TFAOT_VALIDATE, TFAOT_TUNE, TFAOT_INSPECT for signal-tools).
# Modes:
#   signal      SIGINT / SIGTERM while the system compiler runs (-j 3, 4 batch sizes): the
#               compilers and their children are killed, exit status 130 / 143
#   signal-tools  the same for tfaot-validate (golden and --reference: compiling the generated
#               code; --runner: the validation program), tfaot-tune (compiling the package,
#               building and running the timing program) and tfaot-inspect --svg (Graphviz)
#   compiler    a compiler that does not run, one that fails on the generated code, one that
#               is killed; --keep-build-dir
#   readonly    output directory in a read-only directory, below a file, read-only $TMPDIR
#   full        output directory and $TMPDIR on a full file system (a small tmpfs; needs root
#               or unprivileged user namespaces, else skipped with 77)
#   concurrent  two compilations into different directories at the same time give the same
#               files as one after the other
set -u -o pipefail

SRC="$TFAOT_SOURCE_DIR"
REAL_CXX="${CXX:-c++}"
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1
cd "$WORK" || exit 1
die() { echo "FAIL: $*" >&2; exit 1; }

cp -r "$SRC/examples/models/mlp" model || die "cannot copy the example model"
export CONFIG="$WORK/model/aot_config.yaml"
# Few objects to compile (the tests are about everything around the compiler).
sed -i 's/^  batch_sizes: .*/  batch_sizes: [1]/' "$CONFIG" && printf '  dynamic_batch: false\n' >>"$CONFIG" ||
  die "cannot edit the config"
mkdir -p tmp
export TMPDIR="$WORK/tmp"

# clean DIR: nothing tfaot-compile may leave behind after a failure.
clean() {
  compgen -G "$1/.*.tfaot-tmp-*" >/dev/null && die "staging directory left in $1: $(ls -a "$1")"
  [[ -z $(ls -A "$TMPDIR") ]] || die "temporaries left in \$TMPDIR: $(ls -A "$TMPDIR")"
}
# expect_fail STATUS WANT OUT [ENV=VALUE...] -- ARGS...: runs tfaot-compile -o OUT expecting exit
# STATUS and one stderr line containing WANT, no OUT and no leftovers.
expect_fail() {
  local status=$1 want=$2 out=$3 envs=() err rc
  shift 3
  while [[ $1 != -- ]]; do envs+=("$1"); shift; done
  shift
  err=$(env "${envs[@]}" "$TFAOT_COMPILE" -q -c "$CONFIG" -o "$out" "$@" 2>&1 >/dev/null)
  rc=$?
  [[ $rc -eq $status ]] || die "exit status $rc, expected $status: $err"
  [[ $(grep -c . <<<"$err") -eq 1 ]] || die "expected one line on stderr, got: $err"
  [[ $err == *"$want"* ]] || die "error does not mention '$want': $err"
  [[ -e $out ]] && die "output $out written"
  clean "$(dirname "$out")"
  echo "ok: $err"
}
# (for the shells of the mount namespaces below)
export -f die clean expect_fail

# A fake compiler: passes --version and the toolchain probe (t.cc) to the real one and runs
# BODY for every other compilation.
fake_cxx() {  # fake_cxx FILE BODY
  printf '#!/usr/bin/env bash\ncase " $* " in *" --version "*|*" t.cc "*) exec %q "$@";; esac\n%s\n' \
    "$REAL_CXX" "$2" >"$1" && chmod +x "$1"
}
# A reference package, and a checksum of a directory tree.
reference() { "$TFAOT_COMPILE" -q -c "$CONFIG" -o "$1" "${@:2}" || die "reference compilation failed"; }
tree_sum() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum; }
# alive PID: running (not a zombie waiting for a reaper).
alive() { local s; s=$(ps -o stat= -p "$1" 2>/dev/null) && [[ $s != Z* ]]; }
# interrupt SIG N TOOL ARGS...: runs TOOL (its path; env ENV=VALUE words may precede it) until N
# processes started through hang.sh recorded themselves in $MARKS, sends SIG and checks: exit
# status 128 + SIG, one stderr line "NAME: interrupted by SIGSIG", no leftovers, no survivors.
interrupt() {
  local sig=$1 n=$2 pid rc i name
  shift 2
  export MARKS="$WORK/started.$((++runs))"
  : >"$MARKS"
  for name in "$@"; do [[ $name == *=* ]] || break; done
  name=$(basename "$name")
  # A non-interactive shell starts background jobs with SIGINT ignored; undo that.
  env --default-signal=INT,TERM "$@" >"out.$runs" 2>"err.$runs" &
  pid=$!
  for ((i = 0; i < 1200; ++i)); do
    [[ $(wc -l <"$MARKS") -ge $n ]] && break
    kill -0 $pid 2>/dev/null || die "$name ended early: $(cat "err.$runs")"
    sleep 0.1
  done
  [[ $(wc -l <"$MARKS") -eq $n ]] || die "$name: expected $n hanging processes, saw $(wc -l <"$MARKS")"
  kill -$sig $pid
  wait $pid
  rc=$?
  [[ $rc -eq $((128 + $(kill -l $sig))) ]] || die "$name SIG$sig: exit status $rc: $(cat "err.$runs")"
  [[ $(grep -c . "err.$runs") -eq 1 ]] || die "$name SIG$sig: expected one line: $(cat "err.$runs")"
  grep -q "^$name: interrupted by SIG$sig" "err.$runs" || die "$name SIG$sig: message: $(cat "err.$runs")"
  clean "$WORK"
  for p in $(cat "$MARKS"); do
    alive "$p" && die "$name SIG$sig: process $p (a child or its child) still runs"
  done
  echo "ok: $name SIG$sig -> $rc: $(cat "err.$runs")"
}
runs=0
# Hangs until killed, recording "PID GRANDCHILD" in $MARKS (with fake_cxx: for every
# compilation of generated code).
hang_body='sleep 300 & echo "$$ $!" >>"$MARKS"; wait'

mode=$1
case "$mode" in
  signal)
    reference old
    before=$(tree_sum old)
    # Compilations of generated code record "PID GRANDCHILD" and hang until killed.
    fake_cxx hang.sh 'sleep 300 & echo "$$ $!" >>"$MARKS"; wait'
    for sig in INT TERM; do
      export MARKS="$WORK/started.$sig"
      : >"$MARKS"
      out=old
      [[ $sig == TERM ]] && out=new
      # A non-interactive shell starts background jobs with SIGINT ignored; undo that.
      CXX="$WORK/hang.sh" env --default-signal=INT,TERM "$TFAOT_COMPILE" -q -j 3 --batch-sizes 1,2,4,8 \
        -c "$CONFIG" -o "$out" 2>"err.$sig" &
      pid=$!
      for ((i = 0; i < 1200; ++i)); do
        [[ $(wc -l <"$MARKS") -ge 3 ]] && break
        kill -0 $pid 2>/dev/null || die "tfaot-compile ended early: $(cat "err.$sig")"
        sleep 0.1
      done
      [[ $(wc -l <"$MARKS") -eq 3 ]] || die "expected 3 compilers running (-j 3), saw $(wc -l <"$MARKS")"
      start=$(date +%s%N)
      kill -$sig $pid
      wait $pid
      rc=$?
      elapsed=$((($(date +%s%N) - start) / 1000000))
      want=$((128 + $(kill -l $sig)))
      [[ $rc -eq $want ]] || die "SIG$sig: exit status $rc, expected $want: $(cat "err.$sig")"
      [[ $(grep -c . "err.$sig") -eq 1 ]] || die "SIG$sig: expected one line: $(cat "err.$sig")"
      grep -q "^tfaot-compile: interrupted by SIG$sig" "err.$sig" || die "SIG$sig: message: $(cat "err.$sig")"
      clean "$WORK"
      for p in $(cat "$MARKS"); do
        alive "$p" && die "SIG$sig: process $p (a compiler or its child) still runs"
      done
      echo "ok: SIG$sig -> $rc after ${elapsed} ms: $(cat "err.$sig")"
    done
    [[ -e new ]] && die "interrupted compilation wrote its output"
    [[ $(tree_sum old) == "$before" ]] || die "interrupted recompilation changed the previous output"
    ;;
  signal-tools)
    [[ -x ${TFAOT_VALIDATE:-} && -x ${TFAOT_TUNE:-} ]] || die "set TFAOT_VALIDATE and TFAOT_TUNE"
    fake_cxx hang.sh "$hang_body"
    # tfaot-validate takes its compiler from compilation.cxx (not $CXX).
    cp "$CONFIG" model/hang.yaml && printf '  cxx: %s\n' "$WORK/hang.sh" >>model/hang.yaml || die "hang.yaml"
    # A golden file whose one case never gets compared (the compilation hangs).
    cat >golden.json <<'EOF2'
{"format": "tf-oracle-golden-v1", "model": {"name": "example_mlp"},
 "inputs": {"x": {"dtype": "float32"}}, "outputs": {"y": {"dtype": "float32"}},
 "cases": [{"batch_size": 1, "inputs": {"x": {"dtype": "float32", "shape": [1, 4], "data": [0, 0, 0, 0]}},
            "outputs": {"y": {"dtype": "float32", "shape": [1, 3], "data": [0, 0, 0]}}}]}
EOF2
    # In-process JIT: the generated code and the weights compile in parallel (2 compilers).
    interrupt INT 2 "$TFAOT_VALIDATE" -c model/hang.yaml --golden golden.json
    interrupt TERM 2 "$TFAOT_VALIDATE" -c model/hang.yaml --reference
    # The validation program (built with the real compiler) runs under a hanging runner.
    printf '#!/usr/bin/env bash\n%s\n' "$hang_body" >runner.sh && chmod +x runner.sh
    interrupt INT 1 "$TFAOT_VALIDATE" -c "$CONFIG" --reference --runner "$WORK/runner.sh"
    # tfaot-tune compiling the package (2 objects), then with --package: building the timing
    # program, and the timing program itself (the fake compiler "builds" it as hang.sh).
    interrupt TERM 2 CXX="$WORK/hang.sh" "$TFAOT_TUNE" -c "$CONFIG" --quick -j 2
    reference pkg
    interrupt INT 1 CXX="$WORK/hang.sh" "$TFAOT_TUNE" -c "$CONFIG" --quick --package pkg
    export HANG="$WORK/hang.sh"
    fake_cxx timing.sh 'cp "$HANG" "${@: -1}"'  # the last argument: -o PROGRAM
    interrupt TERM 1 CXX="$WORK/timing.sh" "$TFAOT_TUNE" -c "$CONFIG" --quick --package pkg
    # tfaot-inspect --svg while Graphviz's dot renders (a dot that hangs, first on PATH).
    mkdir -p bin && printf '#!/usr/bin/env bash\n%s\n' "$hang_body" >bin/dot && chmod +x bin/dot
    interrupt INT 1 PATH="$WORK/bin:$PATH" "$TFAOT_INSPECT" "$WORK/model" --svg "$WORK/graph.svg"
    [[ -z $(compgen -G "$WORK/graph.svg*") ]] || die "tfaot-inspect left $(compgen -G "$WORK/graph.svg*")"
    ;;
  compiler)
    reference old
    before=$(tree_sum old)
    printf '#!/bin/sh\necho "broken: cannot run" >&2\nexit 1\n' >broken.sh && chmod +x broken.sh
    expect_fail 1 "C++ compiler '$WORK/broken.sh' not found or not working" out CXX="$WORK/broken.sh" --
    expect_fail 1 "C++ compiler 'no-such-compiler'" out CXX=no-such-compiler --
    fake_cxx fails.sh 'echo "$1: In function f:" >&2; echo "x.cc:1:1: error: fake failure" >&2; exit 1'
    expect_fail 1 "generated code failed to compile ('$WORK/fails.sh', example_mlp_" out CXX="$WORK/fails.sh" --
    expect_fail 1 "error: fake failure" out CXX="$WORK/fails.sh" --
    fake_cxx killed.sh 'kill -9 $$'
    expect_fail 1 "killed by signal 9" out CXX="$WORK/killed.sh" --
    # The previous output survives a failed recompilation.
    err=$(CXX="$WORK/fails.sh" "$TFAOT_COMPILE" -q -c "$CONFIG" -o old 2>&1) && die "failing compiler accepted"
    [[ $(tree_sum old) == "$before" ]] || die "failed recompilation changed the previous output"
    clean "$WORK"
    # --keep-build-dir keeps (and names) the build directory, and only that.
    err=$(CXX="$WORK/fails.sh" "$TFAOT_COMPILE" -q -c "$CONFIG" -o out --keep-build-dir 2>&1) && die "accepted"
    kept=$(sed -n 's/.*build directory kept in \([^ )]*\).*/\1/p' <<<"$err")
    [[ -n $kept && -f $kept/example_mlp_bs1.cc ]] || die "--keep-build-dir: $err"
    rm -rf "$kept"
    clean "$WORK"
    echo "ok: --keep-build-dir: $err"
    ;;
  readonly)
    : >afile
    expect_fail 1 "output directory's parent $WORK/afile is not a directory" "$WORK/afile/pkg" --
    err=$("$TFAOT_COMPILE" -q -c "$CONFIG" -o afile 2>&1) && die "a file as output directory accepted"
    [[ $err == "tfaot-compile: error: output path $WORK/afile exists and is not a directory" ]] || die "$err"
    [[ -f afile && ! -s afile ]] || die "afile changed"
    clean "$WORK"
    mkdir ro
    # ro_run COMMAND: runs the shell command with directory ro read-only. root writes through
    # permissions, so then ro is a read-only mount in a private mount namespace.
    if [[ $(id -u) -eq 0 ]]; then
      ro_run() { unshare -m bash -c "mount -t tmpfs -o ro,size=1m tmpfs ro && $1"; }
    else
      ro_run() { chmod 555 ro && bash -c "$1"; local rc=$?; chmod 755 ro; return $rc; }
    fi
    ro_run "expect_fail 1 'cannot create a temporary directory in $WORK/ro: ' '$WORK/ro/pkg' --" ||
      die "read-only output directory"
    ro_run "expect_fail 1 'cannot create a temporary directory in $WORK/ro: ' '$WORK/out' TMPDIR='$WORK/ro' --" ||
      die "read-only TMPDIR"
    ;;
  full)
    # A 256 KiB tmpfs, filled up; in a private mount namespace, as root
    # or as the root of a user namespace.
    ns=(unshare -m)
    [[ $(id -u) -eq 0 ]] || ns=(unshare -rm)
    "${ns[@]}" true 2>/dev/null || { echo "SKIP: cannot create a mount namespace"; exit 77; }
    mkdir full
    # full_run COMMAND: runs the shell command with directory full on a full file system, then
    # checks that nothing but the filler is left there.
    full_run() {
      "${ns[@]}" bash -c "mount -t tmpfs -o size=256k tmpfs full || exit 1
        dd if=/dev/zero of=full/fill bs=4k >/dev/null 2>&1
        $1 || exit 1
        [[ \$(ls -A full) == fill ]] || die \"left in full: \$(ls -A full)\""
    }
    full_run "expect_fail 1 'cannot write $WORK/full/pkg: ' '$WORK/full/pkg' --" || die "full output directory"
    full_run "expect_fail 1 'No space left on device' '$WORK/full/pkg' --" || die "full output directory"
    full_run "expect_fail 1 'No space left on device' '$WORK/out' TMPDIR='$WORK/full' --" || die "full TMPDIR"
    ;;
  concurrent)
    reference seq1 --batch-sizes 1,2 -j 2
    reference seq2 --batch-sizes 4 -j 2
    "$TFAOT_COMPILE" -q -c "$CONFIG" -o par1 --batch-sizes 1,2 -j 2 & p1=$!
    "$TFAOT_COMPILE" -q -c "$CONFIG" -o par2 --batch-sizes 4 -j 2 & p2=$!
    wait $p1 || die "first concurrent compilation failed"
    wait $p2 || die "second concurrent compilation failed"
    diff -r seq1 par1 || die "first concurrent compilation differs from the sequential one"
    diff -r seq2 par2 || die "second concurrent compilation differs from the sequential one"
    clean "$WORK"
    echo "identical: $(find par1 par2 -type f | wc -l) files"
    ;;
  *)
    die "unknown mode $mode"
    ;;
esac
echo "PASS: $mode"
