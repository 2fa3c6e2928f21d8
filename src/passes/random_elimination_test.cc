#include "passes/random_elimination.h"

#include <gtest/gtest.h>

#include "passes/dead_code_elimination.h"
#include "passes/shape_inference.h"
#include "passes/test_graphs.h"

namespace tfaot::passes {
using namespace testing;

namespace {
// y = x * floor(keep + (RandomUniform(shape) * (max - min) + min)), TF1 dropout.
ir::Graph* dropout(ir::Graph& g, float keep, float min, float max) {
  ir::Node* x = placeholder(g, "x", DType::Float, {2, 3});
  ir::Node* shape = g.add_const("shape", Tensor::from_vector<int32_t>({2}, {2, 3}));
  ir::Node* r = g.add_node("random", "RandomUniform");
  r->inputs = {{shape, 0}};
  r->set_attr_type("dtype", DType::Float);
  r->set_attr_type("T", DType::Int32);
  ir::Node* scale = g.add_const("scale", Tensor::scalar<float>(max - min));
  ir::Node* lo = g.add_const("min", Tensor::scalar<float>(min));
  ir::Node* mul = node(g, "mul", "Mul", {{r, 0}, {scale, 0}});
  ir::Node* add = node(g, "add", "Add", {{mul, 0}, {lo, 0}});
  ir::Node* k = g.add_const("keep", Tensor::scalar<float>(keep));
  ir::Node* sum = node(g, "sum", "Add", {{k, 0}, {add, 0}});
  ir::Node* fl = node(g, "floor", "Floor", {{sum, 0}});
  ir::Node* y = node(g, "y", "Mul", {{x, 0}, {fl, 0}});
  output(g, "y", {y, 0});
  ShapeInference().run(g);
  return &g;
}
}  // namespace

TEST(RandomElimination, DropoutWithKeepProbOneIsExactlyOne) {
  ir::Graph g;
  dropout(g, 1.0f, 0.0f, 1.0f);
  EXPECT_TRUE(RandomElimination().run(g));
  DeadCodeElimination().run(g);
  EXPECT_EQ(count_op(g, "RandomUniform"), 0);
  EXPECT_EQ(count_op(g, "Floor"), 0);
  const Tensor* ones = g.find("y")->const_input(1);
  ASSERT_NE(ones, nullptr);
  for (float v : ones->values<float>()) EXPECT_EQ(v, 1.0f);
}

TEST(RandomElimination, RealDropoutKeepsTheRandomness) {
  ir::Graph g;
  dropout(g, 0.5f, 0.0f, 1.0f);
  EXPECT_FALSE(RandomElimination().run(g));
  EXPECT_EQ(count_op(g, "RandomUniform"), 1);
}

}  // namespace tfaot::passes
