// Lookup tables resolved from the SavedModel's init op (frontend/tables.h), on self-built
// SavedModels: a HashTableV2 filled inside a called init function from constants the caller
// passes (TF2 Keras StringLookup style), and a table filled from a text file (rejected).
#include <gtest/gtest.h>

#include "frontend/loader.h"
#include "frontend/test_fixtures.h"
#include "test_util.h"

namespace tfaot::frontend {
namespace {

namespace fs = std::filesystem;
using namespace fixtures;

Tensor strings(Shape shape, const std::vector<std::string>& values) {
  Tensor t(DType::String, std::move(shape));
  t.strings() = values;
  return t;
}

// word string[-1] -> LookupTableFindV2(table, word, -1) = ids int64[-1]. With `text_file`, the
// init function runs InitializeTableFromTextFileV2 instead of LookupTableImportV2.
void write_table_model(const fs::path& dir, bool text_file) {
  tensorflow::SavedModel sm;
  auto* meta = sm.add_meta_graphs();
  meta->mutable_meta_info_def()->add_tags("serve");
  auto* gd = meta->mutable_graph_def();
  auto* nodes = gd->mutable_node();
  add(nodes, "serving_default_word", "Placeholder", {}, {{"dtype", type_attr(DType::String)}, {"shape", shape_attr({-1})}});
  add(nodes, "table", "HashTableV2", {}, {{"key_dtype", type_attr(DType::String)}, {"value_dtype", type_attr(DType::Int64)}});
  add_const(nodes, "keys", strings({3}, {"b", "a", "c"}));
  add_const(nodes, "values", Tensor::from_vector<int64_t>({3}, {5, 4, 6}));
  add_const(nodes, "default", Tensor::scalar<int64_t>(-1));
  add(nodes, "find", "LookupTableFindV2", {"table", "serving_default_word", "default"},
      {{"Tin", type_attr(DType::String)}, {"Tout", type_attr(DType::Int64)}});
  // init(table, keys, values) called from the init op, the constants passed by the caller.
  auto* fn = gd->mutable_library()->add_function();
  fn->mutable_signature()->set_name("init_fn");
  add_arg(fn->mutable_signature(), "handle", DType::Resource, false);
  add_arg(fn->mutable_signature(), "k", DType::String, false);
  add_arg(fn->mutable_signature(), "v", DType::Int64, false);
  if (text_file)
    add(fn->mutable_node_def(), "init_from_file", "InitializeTableFromTextFileV2", {"handle", "k"});
  else
    add(fn->mutable_node_def(), "import", "LookupTableImportV2", {"handle", "k", "v"});
  add(nodes, "call_init", "StatefulPartitionedCall", {"table", "keys", "values"}, {{"f", func_attr("init_fn")}});
  add(nodes, "init_all", "NoOp", {"^call_init"});
  auto& sig = (*meta->mutable_signature_def())["serving_default"];
  auto& in = (*sig.mutable_inputs())["word"];
  in.set_name("serving_default_word:0");
  in.set_dtype(tensorflow::DT_STRING);
  in.mutable_tensor_shape()->add_dim()->set_size(-1);
  auto& out = (*sig.mutable_outputs())["ids"];
  out.set_name("find:0");
  out.set_dtype(tensorflow::DT_INT64);
  out.mutable_tensor_shape()->add_dim()->set_size(-1);
  (*(*meta->mutable_signature_def())["__saved_model_init_op"].mutable_outputs())["__saved_model_init_op"].set_name(
      "init_all");
  write_proto(dir / "saved_model.pb", sm, false);
}

TEST(Tables, InitFunctionConstantsBecomeATableFind) {
  test::TempDir dir;
  write_table_model(dir.path(), false);
  LoadOptions o;
  o.path = dir.path();
  auto g = load_model(o);
  const ir::Node* find = g->outputs[0].value.node;
  ASSERT_EQ(find->op, "_TableFind");
  ASSERT_EQ(find->inputs.size(), 4u);
  EXPECT_EQ(find->inputs[0].node->op, "Placeholder");
  ASSERT_NE(find->const_input(2), nullptr);
  EXPECT_EQ(find->const_input(2)->strings(), (std::vector<std::string>{"b", "a", "c"}));
  EXPECT_EQ(*find->const_input(3), Tensor::from_vector<int64_t>({3}, {5, 4, 6}));
  EXPECT_EQ(find->const_input(1)->get_int(0), -1);
  for (const auto& n : g->nodes()) EXPECT_NE(n->op, "HashTableV2") << "the table node is removed";
}

TEST(Tables, TextFileTableStaysUnresolvedWithTheReason) {
  test::TempDir dir;
  write_table_model(dir.path(), true);
  LoadOptions o;
  o.path = dir.path();
  auto g = load_model(o);
  const ir::Node* find = g->outputs[0].value.node;
  ASSERT_EQ(find->op, "LookupTableFindV2");
  std::string why = find->attr_string("_tfaot_unresolved");
  EXPECT_NE(why.find("table 'table' (HashTableV2)"), std::string::npos) << why;
  EXPECT_NE(why.find("InitializeTableFromTextFileV2"), std::string::npos) << why;
}

}  // namespace
}  // namespace tfaot::frontend
