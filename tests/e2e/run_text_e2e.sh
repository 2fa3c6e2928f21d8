#!/usr/bin/env bash
# Keras-style TextVectorization end to end (registered by strings.cmake): a hand-written
# SavedModel with TF's graph of the layer (StringLower -> StaticRegexReplace -> StringSplitV2
# -> LookupTableFindV2 on a HashTableV2 filled by the init op -> RaggedFromValueRowIds ->
# RaggedTensorToTensor with shape [-1, 4]) is compiled by tfaot-compile (fused into
# _TextVectorize) and called through tfaot::Model::run with tfaot::StringArrays; the ids are
# checked against values worked out by hand from TF's semantics, including a padded batch.
source "$(dirname "${BASH_SOURCE[0]}")/pbtxt_lib.sh"
int() { printf 'attr { key: "%s" value { i: %s } }' "$1" "$2"; }
str() { printf 'attr { key: "%s" value { s: "%s" } }' "$1" "$2"; }
ints() {  # ints NAME DTYPE DIMS VALUES...: a Const (DIMS "" = scalar)
  local name=$1 t=$2 dims=$3 vals="" field=int_val shape=""
  shift 3
  [[ $t == DT_INT64 ]] && field=int64_val
  for d in $dims; do shape+="dim { size: $d } "; done
  for v in "$@"; do vals+="$field: $v "; done
  node "$name" Const -- "$(dtype dtype "$t") attr { key: \"value\" value { tensor { dtype: $t tensor_shape { $shape} $vals} } }"
}
slice() {  # slice NAME INPUT BEGIN END BEGIN_MASK END_MASK SHRINK (one or two dims)
  local n=$1 x=$2 b=$3 e=$4 dims
  dims=$(echo "$b" | wc -w)
  ints "$n/b" DT_INT32 "$dims" $b
  ints "$n/e" DT_INT32 "$dims" $e
  ints "$n/s" DT_INT32 "$dims" $(printf '1 %.0s' $b)
  node "$n" StridedSlice "$x" "$n/b" "$n/e" "$n/s" -- "$(dtype T DT_INT64) $(dtype Index DT_INT32)" \
    "$(int begin_mask "$5") $(int end_mask "$6") $(int shrink_axis_mask "$7")"
}
{
  echo 'saved_model_schema_version: 1'
  echo 'meta_graphs {'
  echo '  meta_info_def { tags: "serve" }'
  echo '  graph_def {'
  node serving_default_text Placeholder -- "$(dtype dtype DT_STRING) attr { key: \"shape\" value { shape { dim { size: -1 } } } }"
  node lower StringLower serving_default_text -- "$(str encoding "")"
  node strip StaticRegexReplace lower -- "$(str pattern '[.,!?]') $(str rewrite '') attr { key: \"replace_global\" value { b: true } }"
  node sep Const -- "$(dtype dtype DT_STRING) attr { key: \"value\" value { tensor { dtype: DT_STRING tensor_shape { } string_val: \"\" } } }"
  node split StringSplitV2 strip sep -- "$(int maxsplit -1)"
  slice rowids split:0 "0 0" "0 1" 1 1 2
  slice nrows split:2 "0" "1" 0 0 1
  node rowids32 Cast rowids -- "$(dtype SrcT DT_INT64) $(dtype DstT DT_INT32)"
  node nrows32 Cast nrows -- "$(dtype SrcT DT_INT64) $(dtype DstT DT_INT32)"
  ints axis0 DT_INT32 1 0
  node max Max rowids32 axis0 -- "$(dtype T DT_INT32) $(dtype Tidx DT_INT32)"
  node maximum Maximum nrows32 max -- "$(dtype T DT_INT32)"
  node minimum Minimum nrows32 maximum -- "$(dtype T DT_INT32)"
  ints weights DT_INT64 0
  node bincount Bincount rowids32 minimum weights -- "$(dtype T DT_INT64)"
  ints cumsum_axis DT_INT32 ""  0
  node cumsum Cumsum bincount cumsum_axis -- "$(dtype T DT_INT64) $(dtype Tidx DT_INT32)"
  ints zero DT_INT64 1 0
  ints concat_axis DT_INT32 "" 0
  node splits ConcatV2 zero cumsum concat_axis -- "$(dtype T DT_INT64) $(dtype Tidx DT_INT32) $(int N 2)"
  node table HashTableV2 -- "$(dtype key_dtype DT_STRING) $(dtype value_dtype DT_INT64)"
  node keys Const -- "$(dtype dtype DT_STRING) attr { key: \"value\" value { tensor { dtype: DT_STRING tensor_shape { dim { size: 5 } } string_val: \"\" string_val: \"[UNK]\" string_val: \"the\" string_val: \"cat\" string_val: \"sat\" } } }"
  ints values DT_INT64 5 0 1 2 3 4
  node import LookupTableImportV2 table keys values -- "$(dtype Tin DT_STRING) $(dtype Tout DT_INT64)"
  node init NoOp ^import
  ints oov DT_INT64 "" 1
  node find LookupTableFindV2 table split:1 oov -- "$(dtype Tin DT_STRING) $(dtype Tout DT_INT64)"
  ints shape DT_INT64 2 -1 4
  ints pad DT_INT64 "" 0
  node ids RaggedTensorToTensor shape find pad splits -- "$(dtype T DT_INT64) $(dtype Tindex DT_INT64)" \
    "$(dtype Tshape DT_INT64) $(int num_row_partition_tensors 1)" \
    'attr { key: "row_partition_types" value { list { s: "ROW_SPLITS" } } }'
  echo '  }'
  echo '  signature_def { key: "serving_default" value {'
  echo '    inputs { key: "text" value { name: "serving_default_text:0" dtype: DT_STRING tensor_shape { dim { size: -1 } } } }'
  echo '    outputs { key: "ids" value { name: "ids:0" dtype: DT_INT64 tensor_shape { dim { size: -1 } dim { size: 4 } } } }'
  echo '    method_name: "tensorflow/serving/predict" } }'
  echo '  signature_def { key: "__saved_model_init_op" value {'
  echo '    outputs { key: "__saved_model_init_op" value { name: "init" } } } }'
  echo '}'
} >model/saved_model.pbtxt
compile_model text_demo
cat >main.cc <<'CC'
#include <cstdint>
#include <cstdio>
#include <string>

#include "tfaot-model-text-demo/model.h"
#include "tfaot/Model.h"

int main() {
  tfaot::Model<tfaot_model::text_demo> model;
  model.setBatchRule("3:2,2");  // the second chunk is padded with an empty string
  tfaot::StringArrays text = {{"The cat SAT, the cat sat!"}, {"  the\tdog.  "}, {"Cats? cat."}};
  auto [ids] = model.run<tfaot::Int64Arrays>(3, text);
  // Lowered, stripped of ".,!?", split on whitespace, looked up ("[UNK]" = 1), cut/padded to 4.
  const std::int64_t want[3][4] = {{2, 3, 4, 2}, {2, 1, 0, 0}, {1, 3, 0, 0}};
  int bad = 0;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j) {
      bad += ids[i][j] != want[i][j];
      std::printf("%lld%s", static_cast<long long>(ids[i][j]), j == 3 ? "\n" : " ");
    }
  // Five rows, no batch rule (the dynamic-batch entry, or the default rule).
  tfaot::StringArrays five = {{""}, {"sat"}, {"CAT"}, {"the the the the the"}, {"a b c d e f"}};
  auto [ids5] = model.run<tfaot::Int64Arrays>(5, five);
  const std::int64_t want5[5] = {0, 4, 3, 2, 1};  // first id of each row
  for (int i = 0; i < 5; ++i) {
    bad += ids5[i][0] != want5[i] || ids5[i].size() != 4;
    std::printf("row %d: %lld (want %lld)\n", i, static_cast<long long>(ids5[i][0]), static_cast<long long>(want5[i]));
  }
  return bad == 0 ? 0 : 1;
}
CC
run_main
echo "text e2e: PASS"
