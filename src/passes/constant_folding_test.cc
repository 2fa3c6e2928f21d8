#include "passes/constant_folding.h"

#include <gtest/gtest.h>

#include "passes/dead_code_elimination.h"
#include "passes/shape_inference.h"
#include "passes/test_graphs.h"

namespace tfaot::passes {
using namespace testing;

TEST(ConstantFolding, FoldsConstantArithmetic) {
  ir::Graph g;
  ir::Node* a = g.add_const("a", Tensor::from_vector<float>({2}, {1.f, 2.f}));
  ir::Node* b = g.add_const("b", Tensor::from_vector<float>({2}, {10.f, 20.f}));
  ir::Node* sum = node(g, "sum", "AddV2", {{a, 0}, {b, 0}});
  output(g, "y", {sum, 0});
  ShapeInference si;
  si.run(g);
  ASSERT_TRUE(g.outputs[0].value.node->is_const());
  const Tensor& v = *g.outputs[0].value.node->value;
  EXPECT_EQ(v.values<float>()[0], 11.f);
  EXPECT_EQ(v.values<float>()[1], 22.f);
  ConstantFolding cf;
  EXPECT_FALSE(cf.run(g)) << "nothing left to fold";
}

TEST(ConstantFolding, ShapeChainOfStaticInputBecomesConstant) {
  // x[3,4] -> Shape -> Reshape(x, shape): the shape operand folds, Reshape stays.
  ir::Graph g;
  ir::Node* x = placeholder(g, "x", DType::Float, {3, 4});
  ir::Node* shape = node(g, "shape", "Shape", {{x, 0}});
  shape->set_attr_type("out_type", DType::Int32);
  ir::Node* reshape = node(g, "reshape", "Reshape", {{x, 0}, {shape, 0}});
  reshape->set_attr_type("Tshape", DType::Int32);
  output(g, "y", {reshape, 0});
  ShapeInference si;
  EXPECT_TRUE(si.run(g));
  ASSERT_NE(reshape->const_input(1), nullptr);
  EXPECT_EQ(reshape->const_input(1)->to_int_vector(), (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(reshape->outputs[0].shape, (Shape{3, 4}));
  DeadCodeElimination dce;
  dce.run(g);
  EXPECT_EQ(count_op(g, "Shape"), 0);
}

TEST(ConstantFolding, DoesNotFoldNonConstantInputs) {
  ir::Graph g;
  ir::Node* x = placeholder(g, "x", DType::Float, {2});
  ir::Node* c = g.add_const("c", Tensor::from_vector<float>({2}, {1.f, 2.f}));
  ir::Node* sum = node(g, "sum", "AddV2", {{x, 0}, {c, 0}});
  output(g, "y", {sum, 0});
  ShapeInference si;
  si.run(g);
  EXPECT_EQ(g.outputs[0].value.node, sum);
}

}  // namespace tfaot::passes
