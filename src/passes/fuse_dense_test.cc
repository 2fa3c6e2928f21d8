#include "passes/fuse_dense.h"

#include <gtest/gtest.h>

#include <cmath>

#include "ops/interpreter.h"
#include "passes/dead_code_elimination.h"
#include "passes/shape_inference.h"
#include "passes/test_graphs.h"

namespace tfaot::passes {
using namespace testing;

namespace {

// x[2,3] -> Mul(s) -> AddV2(t) -> MatMul(W[3,4]) -> BiasAdd(b) -> Tanh: a Keras BatchNorm
// (inference, decomposed) followed by Dense(4, tanh).
struct DenseGraph {
  ir::Graph g;
  ir::Node *x, *mul, *add, *mm, *bias, *act;
  explicit DenseGraph(bool transpose_b = false) {
    x = placeholder(g, "x", DType::Float, {2, 3});
    ir::Node* s = g.add_const("s", Tensor::from_vector<float>({3}, {0.5f, -2.f, 3.f}));
    ir::Node* t = g.add_const("t", Tensor::from_vector<float>({3}, {0.25f, 1.f, -1.5f}));
    std::vector<float> w = {0.1f, -0.2f, 0.3f, 0.4f, 0.5f, 0.6f, -0.7f, 0.8f, 0.9f, 1.0f, -1.1f, 1.2f};
    if (transpose_b) {  // same matrix stored [N,K]
      std::vector<float> wt(12);
      for (int k = 0; k < 3; ++k)
        for (int n = 0; n < 4; ++n) wt[n * 3 + k] = w[k * 4 + n];
      w = wt;
    }
    ir::Node* wn = g.add_const("w", Tensor::from_vector<float>(transpose_b ? Shape{4, 3} : Shape{3, 4}, w));
    ir::Node* b = g.add_const("b", Tensor::from_vector<float>({4}, {0.01f, 0.02f, -0.03f, 0.04f}));
    mul = node(g, "bn/mul", "Mul", {{x, 0}, {s, 0}});
    add = node(g, "bn/add", "AddV2", {{mul, 0}, {t, 0}});
    mm = node(g, "dense/MatMul", "MatMul", {{add, 0}, {wn, 0}});
    if (transpose_b) mm->attrs["transpose_b"].set_b(true);
    bias = node(g, "dense/BiasAdd", "BiasAdd", {{mm, 0}, {b, 0}});
    act = node(g, "dense/Tanh", "Tanh", {{bias, 0}});
    output(g, "y", {act, 0});
    ShapeInference().run(g);
  }
};

std::vector<Tensor> run(const ir::Graph& g) {
  return ops::interpret(g, {Tensor::from_vector<float>({2, 3}, {1.f, -2.f, 3.f, 0.5f, 0.f, -1.f})});
}

void expect_close(const Tensor& a, const Tensor& b) {
  ASSERT_EQ(a.shape(), b.shape());
  for (int64_t i = 0; i < a.num_elements(); ++i)
    EXPECT_NEAR(a.data<float>()[i], b.data<float>()[i], 1e-6) << i;
}

}  // namespace

TEST(FuseDense, FoldsBatchNormBiasAndActivation) {
  for (bool tb : {false, true}) {
    DenseGraph d(tb);
    auto before = run(d.g);
    EXPECT_TRUE(FuseDense().run(d.g));
    DeadCodeElimination().run(d.g);
    EXPECT_EQ(count_op(d.g, "_FusedDense"), 1);
    for (const char* gone : {"MatMul", "Mul", "AddV2", "BiasAdd", "Tanh"}) EXPECT_EQ(count_op(d.g, gone), 0) << gone;
    const ir::Node* f = d.g.outputs[0].value.node;
    ASSERT_EQ(f->op, "_FusedDense");
    EXPECT_EQ(f->attr_string("activation"), "Tanh");
    EXPECT_EQ(f->inputs[0].node, d.x);
    expect_close(run(d.g)[0], before[0]);
    EXPECT_FALSE(FuseDense().run(d.g));  // invariant: no foldable MatMul left
  }
}

TEST(FuseDense, KeepsIntermediatesThatAreUsedElsewhere) {
  DenseGraph d;
  output(d.g, "pre", {d.bias, 0});  // the biased value is also a signature output
  output(d.g, "bn", {d.add, 0});    // and so is the BatchNorm result
  auto before = run(d.g);
  EXPECT_TRUE(FuseDense().run(d.g));
  DeadCodeElimination().run(d.g);
  EXPECT_EQ(count_op(d.g, "_FusedDense"), 1);
  EXPECT_EQ(count_op(d.g, "Tanh"), 1);   // activation not fused: its input is an output
  EXPECT_EQ(count_op(d.g, "AddV2"), 1);  // BatchNorm not folded: its result is an output
  const ir::Node* f = d.g.outputs[1].value.node;
  ASSERT_EQ(f->op, "_FusedDense");
  EXPECT_EQ(f->attr_string("activation"), "None");
  EXPECT_EQ(f->inputs[0].node, d.add);
  auto after = run(d.g);
  for (size_t i = 0; i < before.size(); ++i) expect_close(after[i], before[i]);
}

TEST(FuseDense, LeavesNonConstantWeightsAlone) {
  ir::Graph g;
  ir::Node* a = placeholder(g, "a", DType::Float, {2, 3});
  ir::Node* b = placeholder(g, "b", DType::Float, {3, 4});
  ir::Node* mm = node(g, "mm", "MatMul", {{a, 0}, {b, 0}});
  output(g, "y", {mm, 0});
  ShapeInference().run(g);
  EXPECT_FALSE(FuseDense().run(g));
  EXPECT_EQ(count_op(g, "_FusedDense"), 0);
}

}  // namespace tfaot::passes
