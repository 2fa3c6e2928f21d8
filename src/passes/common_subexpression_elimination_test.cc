#include "passes/common_subexpression_elimination.h"

#include <gtest/gtest.h>

#include "passes/dead_code_elimination.h"
#include "passes/shape_inference.h"
#include "passes/test_graphs.h"

namespace tfaot::passes {
using namespace testing;

TEST(CommonSubexpressionElimination, MergesIdenticalNodes) {
  ir::Graph g;
  ir::Node* x = placeholder(g, "x", DType::Float, {2});
  ir::Node* a = node(g, "a", "Tanh", {{x, 0}});
  ir::Node* b = node(g, "b", "Tanh", {{x, 0}});
  ir::Node* sum = node(g, "sum", "AddV2", {{a, 0}, {b, 0}});
  output(g, "y", {sum, 0});
  ShapeInference().run(g);
  CommonSubexpressionElimination cse;
  EXPECT_TRUE(cse.run(g));
  EXPECT_EQ(sum->inputs[0], sum->inputs[1]);
  DeadCodeElimination().run(g);
  EXPECT_EQ(count_op(g, "Tanh"), 1);
  EXPECT_FALSE(cse.run(g));
}

TEST(CommonSubexpressionElimination, KeepsNodesWithDifferentAttributes) {
  ir::Graph g;
  ir::Node* x = placeholder(g, "x", DType::Float, {2, 2});
  ir::Node* y = placeholder(g, "w", DType::Float, {2, 2});
  ir::Node* a = node(g, "a", "MatMul", {{x, 0}, {y, 0}});
  ir::Node* b = node(g, "b", "MatMul", {{x, 0}, {y, 0}});
  b->attrs["transpose_b"].set_b(true);
  ir::Node* sum = node(g, "sum", "AddV2", {{a, 0}, {b, 0}});
  output(g, "y", {sum, 0});
  ShapeInference().run(g);
  EXPECT_FALSE(CommonSubexpressionElimination().run(g));
}

TEST(CommonSubexpressionElimination, MergesEqualSmallConstants) {
  ir::Graph g;
  ir::Node* x = placeholder(g, "x", DType::Float, {2});
  ir::Node* c1 = g.add_const("c1", Tensor::from_vector<float>({2}, {1.f, 2.f}));
  ir::Node* c2 = g.add_const("c2", Tensor::from_vector<float>({2}, {1.f, 2.f}));
  ir::Node* a = node(g, "a", "Mul", {{x, 0}, {c1, 0}});
  ir::Node* b = node(g, "b", "Mul", {{x, 0}, {c2, 0}});
  ir::Node* sum = node(g, "sum", "AddV2", {{a, 0}, {b, 0}});
  output(g, "y", {sum, 0});
  ShapeInference().run(g);
  EXPECT_TRUE(CommonSubexpressionElimination().run(g));
  EXPECT_EQ(sum->inputs[0], sum->inputs[1]) << "constants merged, then the Muls";
}

}  // namespace tfaot::passes
