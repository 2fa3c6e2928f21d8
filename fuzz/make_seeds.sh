#!/usr/bin/env bash
# Regenerates the checked-in seed corpora fuzz/corpus/<target>/ from the project's own
# fixtures (examples/, tests/e2e/fixtures/). Usage: fuzz/make_seeds.sh BUILD_DIR
# (BUILD_DIR has tfaot_fuzz_pack). Binary protos are made from the text fixtures with protoc.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PACK="${1:?usage: make_seeds.sh BUILD_DIR}/fuzz/tfaot_fuzz_pack"
OUT="$ROOT/fuzz/corpus"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
encode() {  # encode TYPE IN OUT: text proto -> binary
  protoc -I"$ROOT/src/proto" --encode="tensorflow.$1" "$ROOT"/src/proto/*.proto <"$2" >"$3"
}
rm -rf "$OUT"
mkdir -p "$OUT"/{saved_model,inliner,graphdef,checkpoint,config,batch_rule}
MLP="$ROOT/examples/models/mlp"
encode SavedModel "$MLP/saved_model.pbtxt" "$TMP/mlp.pb"
V="$MLP/variables/variables"
"$PACK" "$OUT/saved_model/mlp_binary" -0 "$TMP/mlp.pb" "$V.index" "$V.data-00000-of-00001"
"$PACK" "$OUT/saved_model/mlp_text" -1 "$MLP/saved_model.pbtxt" "$V.index" "$V.data-00000-of-00001"
"$PACK" "$OUT/saved_model/mlp_no_variables" -0 "$TMP/mlp.pb"
"$PACK" "$OUT/inliner/mlp_binary" -0 "$TMP/mlp.pb"
"$PACK" "$OUT/inliner/mlp_text" -1 "$MLP/saved_model.pbtxt"
"$PACK" "$OUT/checkpoint/mlp" "$V.index" "$V.data-00000-of-00001"
"$PACK" "$OUT/checkpoint/mlp_index_only" "$V.index"
for f in "$ROOT"/tests/e2e/fixtures/*.pbtxt "$ROOT"/fuzz/seeds/*.pbtxt; do
  stem=$(basename "$f" .pbtxt)
  encode GraphDef "$f" "$TMP/$stem.pb"
  "$PACK" "$OUT/graphdef/${stem}_binary" -0 "$TMP/$stem.pb"
  "$PACK" "$OUT/graphdef/${stem}_text" -1 "$f"
done
{ printf '\0'; cat "$MLP/aot_config.yaml"; } >"$OUT/config/mlp_yaml"
printf '\1{"model": {"name": "m", "version": "1", "saved_model": "."}, "compilation": {"batch_sizes": [1, 2]}}' \
  >"$OUT/config/minimal_json"
printf '5:2,4\n3:2,2\n' >"$OUT/batch_rule/rules"
printf '7:4,4,1\n=9,2,4\n' >"$OUT/batch_rule/default"
echo "seeds written to $OUT"
