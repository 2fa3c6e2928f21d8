#include "passes/fuse_conv.h"

#include <gtest/gtest.h>

#include <random>

#include "ops/interpreter.h"
#include "passes/dead_code_elimination.h"
#include "passes/shape_inference.h"
#include "passes/test_graphs.h"

namespace tfaot::passes {
using namespace testing;

namespace {

Tensor random(Shape s, std::mt19937& rng, float lo = -1, float hi = 1) {
  Tensor t(DType::Float, s);
  std::uniform_real_distribution<float> d(lo, hi);
  for (int64_t i = 0; i < t.num_elements(); ++i) t.data<float>()[i] = d(rng);
  return t;
}

void conv_attrs(ir::Node* n) {
  n->attrs["padding"].set_s("SAME");
  for (const char* a : {"strides", "dilations"})
    for (int i = 0; i < 4; ++i) n->attrs[a].mutable_list()->add_i(1);
}

// x [2,5,6,3] -> Conv2D | DepthwiseConv2dNative -> BiasAdd -> FusedBatchNormV3 -> Relu6.
struct ConvGraph {
  ir::Graph g;
  ir::Node *x, *conv, *bias, *bn, *act;
  explicit ConvGraph(bool depthwise) {
    std::mt19937 rng(1);
    x = placeholder(g, "x", DType::Float, {2, 5, 6, 3});
    const int64_t co = depthwise ? 6 : 4;
    ir::Node* w = g.add_const("w", random(depthwise ? Shape{3, 3, 3, 2} : Shape{3, 3, 3, 4}, rng));
    conv = node(g, "conv", depthwise ? "DepthwiseConv2dNative" : "Conv2D", {{x, 0}, {w, 0}});
    conv_attrs(conv);
    bias = node(g, "bias", "BiasAdd", {{conv, 0}, {g.add_const("b", random({co}, rng)), 0}});
    std::vector<ir::Value> bn_in = {{bias, 0}};
    for (const char* k : {"gamma", "beta", "mean", "var"})
      bn_in.push_back({g.add_const(k, random({co}, rng, 0.5f, 2.f)), 0});
    bn = node(g, "bn", "FusedBatchNormV3", bn_in);
    bn->set_attr_type("U", DType::Float);
    bn->attrs["is_training"].set_b(false);
    bn->attrs["epsilon"].set_f(0.001f);
    act = node(g, "relu6", "Relu6", {{bn, 0}});
    output(g, "y", {act, 0});
    ShapeInference().run(g);
  }
};

std::vector<Tensor> run(const ir::Graph& g, const Shape& shape) {
  std::mt19937 rng(2);
  return ops::interpret(g, {random(shape, rng, -3, 3)});
}

void expect_close(const Tensor& a, const Tensor& b) {
  ASSERT_EQ(a.shape(), b.shape());
  for (int64_t i = 0; i < a.num_elements(); ++i)
    EXPECT_NEAR(a.data<float>()[i], b.data<float>()[i], 1e-5) << i;
}

}  // namespace

TEST(FuseConv, FoldsBiasBatchNormAndActivation) {
  for (bool depthwise : {false, true}) {
    ConvGraph c(depthwise);
    auto before = run(c.g, {2, 5, 6, 3});
    EXPECT_TRUE(FuseConv().run(c.g));
    DeadCodeElimination().run(c.g);
    const char* fused = depthwise ? "_FusedDepthwiseConv2dNative" : "_FusedConv2D";
    EXPECT_EQ(count_op(c.g, fused), 1);
    for (const char* gone : {"Conv2D", "DepthwiseConv2dNative", "BiasAdd", "FusedBatchNormV3", "Relu6"})
      EXPECT_EQ(count_op(c.g, gone), 0) << gone;
    const ir::Node* f = c.g.outputs[0].value.node;
    ASSERT_EQ(f->op, fused);
    EXPECT_EQ(f->find_attr("fused_ops")->list().s(1), "Relu6");
    expect_close(run(c.g, {2, 5, 6, 3})[0], before[0]);
    EXPECT_FALSE(FuseConv().run(c.g));  // invariant: nothing left to fold
  }
}

TEST(FuseConv, StopsAtValuesUsedElsewhere) {
  ConvGraph c(false);
  output(c.g, "biased", {c.bias, 0});  // the biased value is also a signature output
  auto before = run(c.g, {2, 5, 6, 3});
  EXPECT_TRUE(FuseConv().run(c.g));
  DeadCodeElimination().run(c.g);
  EXPECT_EQ(count_op(c.g, "_FusedConv2D"), 1);
  EXPECT_EQ(count_op(c.g, "FusedBatchNormV3"), 1);  // not folded: follows a shared value
  EXPECT_EQ(c.g.outputs[1].value.node->op, "_FusedConv2D");
  auto after = run(c.g, {2, 5, 6, 3});
  expect_close(after[0], before[0]);
  expect_close(after[1], before[1]);
}

// Keras Conv1D: ExpandDims -> Conv2D -> Squeeze -> BiasAdd, then a decomposed batch norm
// (Mul, AddV2) and Relu; the Squeeze moves after the fused convolution.
TEST(FuseConv, Conv1DThroughSqueeze) {
  std::mt19937 rng(3);
  ir::Graph g;
  ir::Node* x = placeholder(g, "x", DType::Float, {2, 1, 9, 3});
  ir::Node* conv = node(g, "conv", "Conv2D", {{x, 0}, {g.add_const("w", random({1, 3, 3, 5}, rng)), 0}});
  conv_attrs(conv);
  ir::Node* sq = node(g, "squeeze", "Squeeze", {{conv, 0}});
  sq->attrs["squeeze_dims"].mutable_list()->add_i(1);
  ir::Node* b = node(g, "bias", "BiasAdd", {{sq, 0}, {g.add_const("b", random({5}, rng)), 0}});
  ir::Node* m = node(g, "mul", "Mul", {{b, 0}, {g.add_const("s", random({5}, rng)), 0}});
  ir::Node* a = node(g, "add", "AddV2", {{m, 0}, {g.add_const("t", random({5}, rng)), 0}});
  ir::Node* r = node(g, "relu", "Relu", {{a, 0}});
  output(g, "y", {r, 0});
  ShapeInference().run(g);
  auto before = run(g, {2, 1, 9, 3});
  EXPECT_TRUE(FuseConv().run(g));
  DeadCodeElimination().run(g);
  const ir::Node* out = g.outputs[0].value.node;
  ASSERT_EQ(out->op, "Squeeze");
  EXPECT_EQ(out->inputs[0].node->op, "_FusedConv2D");
  for (const char* gone : {"Conv2D", "BiasAdd", "Mul", "AddV2", "Relu"}) EXPECT_EQ(count_op(g, gone), 0) << gone;
  expect_close(run(g, {2, 1, 9, 3})[0], before[0]);
}

TEST(FuseConv, LeavesLoneConvolutionsAndNonConstantFilters) {
  ir::Graph g;
  ir::Node* x = placeholder(g, "x", DType::Float, {1, 4, 4, 2});
  ir::Node* w = placeholder(g, "w", DType::Float, {3, 3, 2, 2});
  ir::Node* conv = node(g, "conv", "Conv2D", {{x, 0}, {w, 0}});
  conv_attrs(conv);
  ir::Node* r = node(g, "relu", "Relu", {{conv, 0}});
  std::mt19937 rng(4);
  ir::Node* lone = node(g, "lone", "Conv2D", {{x, 0}, {g.add_const("k", random({1, 1, 2, 3}, rng)), 0}});
  conv_attrs(lone);
  output(g, "y", {r, 0});
  output(g, "z", {lone, 0});
  ShapeInference().run(g);
  EXPECT_FALSE(FuseConv().run(g));
}

}  // namespace tfaot::passes
