#include <gtest/gtest.h>

#include "op_test_util.h"

namespace tfaot::test {
namespace {

ir::AttrMap mm_attrs(bool ta, bool tb) {
  return {{"transpose_a", attr_bool(ta)}, {"transpose_b", attr_bool(tb)}};
}

TEST(MatMul, HandComputed) {
  // a = [[1,2,3],[4,5,6]], b = [[1,0],[0,1],[2,2]] -> [[7,8],[16,17]]
  auto a = Tensor::from_vector<float>({2, 3}, {1, 2, 3, 4, 5, 6});
  auto b = Tensor::from_vector<float>({3, 2}, {1, 0, 0, 1, 2, 2});
  auto at = Tensor::from_vector<float>({3, 2}, {1, 4, 2, 5, 3, 6});  // a transposed
  auto bt = Tensor::from_vector<float>({2, 3}, {1, 0, 2, 0, 1, 2});  // b transposed
  auto expected = Tensor::from_vector<float>({2, 2}, {7, 8, 16, 17});
  OpGraph g;
  auto xa = g.input(DType::Float, {2, 3});
  auto xb = g.input(DType::Float, {3, 2});
  auto xat = g.input(DType::Float, {3, 2});
  auto xbt = g.input(DType::Float, {2, 3});
  g.output(g.add("MatMul", {xa, xb}, mm_attrs(false, false)));
  g.output(g.add("MatMul", {xat, xb}, mm_attrs(true, false)));
  g.output(g.add("MatMul", {xa, xbt}, mm_attrs(false, true)));
  g.output(g.add("MatMul", {xat, xbt}, mm_attrs(true, true)));
  auto out = g.reference({a, b, at, bt});
  for (const auto& o : out) expect_equal(o, expected);
}

TEST(MatMul, IntegerAndEmpty) {
  OpGraph g;
  auto a = g.input(DType::Int32, {1, 2});
  auto b = g.input(DType::Int32, {2, 1});
  auto e1 = g.input(DType::Float, {2, 0});
  auto e2 = g.input(DType::Float, {0, 3});
  g.output(g.add("MatMul", {a, b}));
  g.output(g.add("MatMul", {e1, e2}));  // K = 0: all zeros
  auto out = g.reference({Tensor::from_vector<int32_t>({1, 2}, {3, -4}),
                          Tensor::from_vector<int32_t>({2, 1}, {5, 6}),
                          Tensor(DType::Float, {2, 0}), Tensor(DType::Float, {0, 3})});
  expect_equal(out[0], Tensor::from_vector<int32_t>({1, 1}, {-9}));
  expect_equal(out[1], Tensor(DType::Float, {2, 3}));
}

TEST(MatMul, Errors) {
  OpGraph g;
  auto a = g.input(DType::Float, {2, 3});
  auto b = g.input(DType::Float, {2, 3});
  auto v = g.input(DType::Float, {3});
  auto i = g.input(DType::Int32, {3, 3});
  auto bl = g.input(DType::Bool, {3, 3});
  expect_error([&] { g.add("MatMul", {a, b}, {}, "inner"); }, {"'inner'", "inner dimensions"});
  expect_error([&] { g.add("MatMul", {a, v}, {}, "vec"); }, {"'vec'", "matrices"});
  expect_error([&] { g.add("MatMul", {a, i}, {}, "mixed"); }, {"'mixed'", "int32"});
  expect_error([&] { g.add("MatMul", {bl, bl}, {}, "bool"); }, {"'bool'", "bool"});
  g.add("MatMul", {a, b}, mm_attrs(false, true), "ok");  // [2,3] x [3,2]^T... valid
}

// Generated (float accumulation, k-outer loop) vs reference (double accumulation): the error
// is bounded by about K ulp of sum |a||b| <= K * 16 for inputs in [-4, 4); with K <= 37
// that is < 37 * 37 * 16 * 6e-8 ~ 1.3e-3 absolute in the worst case, typically far less.
TEST(MatMul, GeneratedMatchesReference) {
  OpGraph g;
  for (DType t : {DType::Float, DType::Double, DType::Int32, DType::Int64}) {
    for (bool ta : {false, true})
      for (bool tb : {false, true}) {
        int64_t m = 5, n = 19, k = 37;
        auto a = g.input(t, ta ? Shape{k, m} : Shape{m, k});
        auto b = g.input(t, tb ? Shape{n, k} : Shape{k, n});
        g.output(g.add("MatMul", {a, b}, mm_attrs(ta, tb)));
      }
    auto x = g.input(t, {1, 4});
    auto w = g.input(t, {4, 1});
    g.output(g.add("MatMul", {x, w}));
  }
  check_generated(g, 3, 1e-5, 1e-3);
}

}  // namespace
}  // namespace tfaot::test
