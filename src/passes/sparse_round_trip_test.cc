#include "passes/sparse_round_trip.h"

#include <gtest/gtest.h>

#include "ops/interpreter.h"
#include "passes/dead_code_elimination.h"
#include "passes/shape_inference.h"
#include "passes/test_graphs.h"

namespace tfaot::passes {
using namespace testing;

namespace {

// A feature column's indicator ids for x [4,1]: "" is ignored (-> -1), known words map to
// their vocabulary index, unknown words to the table default 9.
void feature_column(ir::Graph& g, bool gather_same_x = true) {
  ir::Node* x = placeholder(g, "x", DType::String, {4, 1});
  ir::Node* other = placeholder(g, "other", DType::String, {4, 1});
  ir::Node* ignore = g.add_const("ignore", strings({}, {""}));
  ir::Node* mask = node(g, "mask", "NotEqual", {{x, 0}, {ignore, 0}}, DType::String);
  ir::Node* where = node(g, "where", "Where", {{mask, 0}});
  ir::Node* values = node(g, "values", "GatherNd", {{gather_same_x ? x : other, 0}, {where, 0}});
  ir::Node* shape = node(g, "shape", "Shape", {{x, 0}});
  shape->set_attr_type("out_type", DType::Int64);
  ir::Node* dflt = g.add_const("table_default", Tensor::scalar<int64_t>(9));
  ir::Node* keys = g.add_const("table_keys", strings({2}, {"b", "a"}));
  ir::Node* vals = g.add_const("table_values", Tensor::from_vector<int64_t>({2}, {1, 0}));
  ir::Node* find = node(g, "find", "_TableFind", {{values, 0}, {dflt, 0}, {keys, 0}, {vals, 0}});
  ir::Node* minus1 = g.add_const("minus1", Tensor::scalar<int64_t>(-1));
  ir::Node* dense = node(g, "dense", "SparseToDense", {{where, 0}, {shape, 0}, {find, 0}, {minus1, 0}});
  dense->set_attr_type("T", DType::Int64);
  output(g, "ids", {dense, 0});
}

}  // namespace

TEST(SparseRoundTrip, BecomesASelectOverTheDenseInput) {
  ir::Graph g;
  feature_column(g);
  EXPECT_TRUE(SparseRoundTrip().run(g));
  DeadCodeElimination().run(g);
  EXPECT_EQ(count_op(g, "Where"), 0);
  EXPECT_EQ(count_op(g, "GatherNd"), 0);
  EXPECT_EQ(count_op(g, "SparseToDense"), 0);
  EXPECT_EQ(count_op(g, "SelectV2"), 1);
  ShapeInference().run(g);
  auto out = ops::interpret(g, {strings({4, 1}, {"a", "", "zz", "b"}), strings({4, 1}, {"", "", "", ""})});
  EXPECT_EQ(out[0], Tensor::from_vector<int64_t>({4, 1}, {0, -1, 9, 1}));
}

TEST(SparseRoundTrip, LeavesOtherShapesAlone) {
  ir::Graph g;
  feature_column(g, /*gather_same_x=*/false);  // values gathered from another tensor
  EXPECT_FALSE(SparseRoundTrip().run(g));
  EXPECT_EQ(count_op(g, "Where"), 1);
}

}  // namespace tfaot::passes
