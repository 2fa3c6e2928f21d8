#!/usr/bin/env bash
# String inputs end to end (registered by strings.cmake): a hand-written SavedModel
#   y = float(table[word]) * x,   table = {apple: 1, banana: 2, cherry: 3}, default -1
# (HashTableV2 filled by LookupTableImportV2 in the __saved_model_init_op) is compiled by
# tfaot-compile and called through tfaot::Model::run with tfaot::StringArrays and FloatArrays,
# including a padded batch (zero StringRef views) and runFlat over StringRef pointers.
source "$(dirname "${BASH_SOURCE[0]}")/pbtxt_lib.sh"
{
  echo 'saved_model_schema_version: 1'
  echo 'meta_graphs {'
  echo '  meta_info_def { tags: "serve" }'
  echo '  graph_def {'
  node serving_default_word Placeholder -- "$(dtype dtype DT_STRING) attr { key: \"shape\" value { shape { dim { size: -1 } } } }"
  node serving_default_x Placeholder -- "$(dtype dtype DT_FLOAT) attr { key: \"shape\" value { shape { dim { size: -1 } } } }"
  node table HashTableV2 -- "$(dtype key_dtype DT_STRING) $(dtype value_dtype DT_INT64)"
  node keys Const -- "$(dtype dtype DT_STRING) attr { key: \"value\" value { tensor { dtype: DT_STRING tensor_shape { dim { size: 3 } } string_val: \"cherry\" string_val: \"apple\" string_val: \"banana\" } } }"
  node values Const -- "$(dtype dtype DT_INT64) attr { key: \"value\" value { tensor { dtype: DT_INT64 tensor_shape { dim { size: 3 } } int64_val: 3 int64_val: 1 int64_val: 2 } } }"
  node import LookupTableImportV2 table keys values -- "$(dtype Tin DT_STRING) $(dtype Tout DT_INT64)"
  node init NoOp ^import
  node default Const -- "$(dtype dtype DT_INT64) attr { key: \"value\" value { tensor { dtype: DT_INT64 tensor_shape { } int64_val: -1 } } }"
  node find LookupTableFindV2 table serving_default_word default -- "$(dtype Tin DT_STRING) $(dtype Tout DT_INT64)"
  node ids Cast find -- "$(dtype SrcT DT_INT64) $(dtype DstT DT_FLOAT)"
  node y Mul ids serving_default_x -- "$(dtype T DT_FLOAT)"
  echo '  }'
  echo '  signature_def { key: "serving_default" value {'
  echo '    inputs { key: "word" value { name: "serving_default_word:0" dtype: DT_STRING tensor_shape { dim { size: -1 } } } }'
  echo '    inputs { key: "x" value { name: "serving_default_x:0" dtype: DT_FLOAT tensor_shape { dim { size: -1 } } } }'
  echo '    outputs { key: "y" value { name: "y:0" dtype: DT_FLOAT tensor_shape { dim { size: -1 } } } }'
  echo '    method_name: "tensorflow/serving/predict" } }'
  echo '  signature_def { key: "__saved_model_init_op" value {'
  echo '    outputs { key: "__saved_model_init_op" value { name: "init" } } } }'
  echo '}'
} >model/saved_model.pbtxt
compile_model strings_demo
cat >main.cc <<'CC'
#include <cstdio>
#include <string>

#include "tfaot-model-strings-demo/model.h"
#include "tfaot/Model.h"

static_assert(std::is_same<std::tuple_element_t<0, tfaot_model::strings_demo::input_types>,
                           tfaot::StringRef>::value, "string inputs are StringRef views");

int main() {
  tfaot::Model<tfaot_model::strings_demo> model;
  model.setBatchRule("3:2,2");  // the second chunk is padded with empty strings
  tfaot::StringArrays words = {{"apple"}, {"kiwi"}, {"cherry"}};
  tfaot::FloatArrays x = {{2.f}, {3.f}, {0.5f}};
  auto [y] = model.run<tfaot::FloatArrays>(3, words, x);
  const float want[] = {2.f, -3.f, 1.5f};
  int bad = 0;
  for (int i = 0; i < 3; ++i) {
    std::printf("y[%d] = %g (want %g)\n", i, y[i][0], want[i]);
    bad += y[i][0] != want[i];
  }
  // Zero-copy over views: {"banana", ""} (an empty view with a null pointer).
  const tfaot::StringRef flat[2] = {{"banana", 6}, {nullptr, 0}};
  const float fx[2] = {1.f, 1.f};
  float fy[2] = {0.f, 0.f};
  model.runFlat(2, std::make_tuple(flat, fx), std::make_tuple(fy));
  std::printf("flat: %g %g (want 2 -1)\n", fy[0], fy[1]);
  bad += fy[0] != 2.f || fy[1] != -1.f;
  return bad == 0 ? 0 : 1;
}
CC
run_main
echo "strings e2e: PASS"
