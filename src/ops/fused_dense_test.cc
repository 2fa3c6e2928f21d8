// _FusedDense: generated code (packed GEMM with epilogue) vs the reference, for sizes that hit
// the 3-row blocks, the 1/2-row remainders, partial panels and K = 0, and every activation;
// plus the generated-code path of the vectorized unary math (Tanh/Exp/Sigmoid/Log/Log1p).
#include <gtest/gtest.h>

#include <random>

#include "op_test_util.h"

namespace tfaot::test {
namespace {

TEST(FusedDense, GeneratedMatchesReference) {
  struct Case { int64_t m, k, n; };
  std::mt19937 rng(7);
  for (Case c : {Case{1, 5, 3}, Case{2, 16, 17}, Case{7, 33, 40}, Case{4, 0, 5}, Case{17, 128, 33}}) {
    OpGraph g;
    auto x = g.input(DType::Float, {c.m, c.k});
    auto w = g.constant(random_tensor(DType::Float, {c.k, c.n}, rng, -1, 1));
    auto b = g.constant(random_tensor(DType::Float, {c.n}, rng, -1, 1));
    for (const char* act : {"None", "Relu", "Relu6", "Tanh", "Sigmoid"})
      g.output(g.add("_FusedDense", {x, w, b}, {{"T", attr_type(DType::Float)}, {"activation", attr_string(act)}}));
    check_generated(g, 11, 1e-5, 1e-5 * (c.k + 1));
  }
}

TEST(FusedDense, RejectsBadOperands) {
  OpGraph g;
  auto x = g.input(DType::Float, {2, 3});
  auto w = g.constant(Tensor(DType::Float, {4, 5}));
  auto b = g.constant(Tensor(DType::Float, {5}));
  expect_error([&] { g.add("_FusedDense", {x, w, b}, {{"T", attr_type(DType::Float)}}); }, {"_FusedDense", "[2,3]"});
  auto w2 = g.constant(Tensor(DType::Float, {3, 5}));
  expect_error([&] { g.add("_FusedDense", {x, w2, b}, {{"T", attr_type(DType::Float)}, {"activation", attr_string("Gelu")}}); },
               {"unknown activation", "Gelu"});
}

TEST(FusedDense, VectorizedUnaryMathInGeneratedCode) {
  OpGraph g;
  auto x = g.input(DType::Float, {3, 37});
  auto p = g.input(DType::Float, {3, 37});
  for (const char* op : {"Tanh", "Exp", "Sigmoid"}) g.output(g.add(op, {x}));
  for (const char* op : {"Log", "Log1p"}) g.output(g.add(op, {p}));
  g.output(g.add("Softmax", {x}));
  std::mt19937 rng(3);
  std::vector<Tensor> in = {random_tensor(DType::Float, {3, 37}, rng, -30, 30),
                            random_tensor(DType::Float, {3, 37}, rng, 0, 50)};
  auto ref = g.reference(in);
  auto gen = g.generated(in);
  // within 2 ulp for the functions; softmax adds a few roundings of the normalization
  for (size_t i = 0; i < ref.size(); ++i)
    // Softmax (last output): x - max rounds in float32 like TF's kernel; for tiny probabilities
    // (|x - max| ~ 40) that is ~1e-5 relative, so it gets a wider bound.
    expect_close(gen[i], ref[i], i + 1 < ref.size() ? 2.5e-7 : 1e-5, 1e-37, "output " + std::to_string(i));
}

}  // namespace
}  // namespace tfaot::test
