#include <gtest/gtest.h>

#include "op_test_util.h"

namespace tfaot::test {
namespace {

ir::AttrMap pool_attrs(DType t, std::vector<int64_t> ksize, std::vector<int64_t> strides,
                       const std::string& padding) {
  return {{"T", attr_type(t)},
          {"ksize", attr_ints(ksize)},
          {"strides", attr_ints(strides)},
          {"padding", attr_string(padding)}};
}

std::vector<float> iota(int n, float start, float step) {
  std::vector<float> v;
  for (int i = 0; i < n; ++i) v.push_back(start + step * float(i));
  return v;
}

TEST(Pooling, MaxAndAvgHandComputed) {
  OpGraph g;
  auto x = g.input(DType::Float, {1, 3, 3, 1});
  auto neg = g.input(DType::Float, {1, 3, 3, 1});
  const std::vector<int64_t> k2 = {1, 2, 2, 1}, s1 = {1, 1, 1, 1}, s2 = {1, 2, 2, 1};
  g.output(g.add("MaxPool", {x}, pool_attrs(DType::Float, k2, s1, "VALID")));
  g.output(g.add("MaxPool", {x}, pool_attrs(DType::Float, k2, s2, "SAME")));
  // Padding never wins a max, even over negative values.
  g.output(g.add("MaxPool", {neg}, pool_attrs(DType::Float, k2, s2, "SAME")));
  // Average over the valid (non-padded) elements only.
  g.output(g.add("AvgPool", {x}, pool_attrs(DType::Float, k2, s2, "SAME")));
  g.output(g.add("AvgPool", {x}, pool_attrs(DType::Float, {1, 3, 3, 1}, s1, "SAME")));
  auto out = g.reference({Tensor::from_vector<float>({1, 3, 3, 1}, iota(9, 1, 1)),
                          Tensor::from_vector<float>({1, 3, 3, 1}, iota(9, -1, -1))});
  expect_equal(out[0], Tensor::from_vector<float>({1, 2, 2, 1}, {5, 6, 8, 9}));
  expect_equal(out[1], Tensor::from_vector<float>({1, 2, 2, 1}, {5, 6, 8, 9}));
  expect_equal(out[2], Tensor::from_vector<float>({1, 2, 2, 1}, {-1, -3, -7, -9}));
  expect_equal(out[3], Tensor::from_vector<float>({1, 2, 2, 1}, {3, 4.5, 7.5, 9}));
  expect_equal(out[4],
               Tensor::from_vector<float>({1, 3, 3, 1}, {3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7}));
}

TEST(Pooling, MaxPoolV2AndExplicit) {
  OpGraph g;
  auto x = g.input(DType::Int32, {1, 3, 3, 1});
  auto k = g.constant(Tensor::from_vector<int32_t>({4}, {1, 2, 2, 1}));
  auto s = g.constant(Tensor::from_vector<int32_t>({4}, {1, 2, 2, 1}));
  g.output(g.add("MaxPoolV2", {x, k, s},
                 {{"T", attr_type(DType::Int32)}, {"padding", attr_string("SAME")}}));
  auto ex = pool_attrs(DType::Int32, {1, 2, 2, 1}, {1, 1, 1, 1}, "EXPLICIT");
  ex["explicit_paddings"] = attr_ints({0, 0, 1, 0, 0, 0, 0, 0});
  g.output(g.add("MaxPool", {x}, ex));
  auto out = g.reference({Tensor::from_vector<int32_t>({1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9})});
  expect_equal(out[0], Tensor::from_vector<int32_t>({1, 2, 2, 1}, {5, 6, 8, 9}));
  expect_equal(out[1], Tensor::from_vector<int32_t>({1, 3, 2, 1}, {2, 3, 5, 6, 8, 9}));
}

TEST(Pooling, Errors) {
  OpGraph g;
  auto x = g.input(DType::Float, {1, 4, 4, 3});
  auto xi = g.input(DType::Int32, {1, 4, 4, 3});
  expect_error(
      [&] {
        g.add("MaxPool", {x}, pool_attrs(DType::Float, {2, 2, 2, 1}, {1, 1, 1, 1}, "SAME"), "k");
      },
      {"'k'", "ksize"});
  expect_error(
      [&] {
        g.add("AvgPool", {xi}, pool_attrs(DType::Int32, {1, 2, 2, 1}, {1, 1, 1, 1}, "SAME"), "i");
      },
      {"'i'", "int32"});
  expect_error(
      [&] {
        g.add("AvgPool", {x}, pool_attrs(DType::Float, {1, 2, 2, 1}, {1, 1, 1, 1}, "EXPLICIT"),
              "e");
      },
      {"'e'", "EXPLICIT"});
  auto ex = pool_attrs(DType::Float, {1, 2, 2, 1}, {1, 1, 1, 1}, "EXPLICIT");
  ex["explicit_paddings"] = attr_ints({0, 0, 2, 0, 0, 0, 0, 0});
  expect_error([&] { g.add("MaxPool", {x}, ex, "big"); }, {"'big'", "smaller than the window"});
  auto k = g.input(DType::Int32, {4});
  expect_error(
      [&] {
        g.add("MaxPoolV2", {x, k, k}, {{"padding", attr_string("SAME")}}, "v2");
      },
      {"'v2'", "compile-time constant"});
}

TEST(Pooling, GeneratedMatchesReference) {
  OpGraph g;
  for (DType t : {DType::Float, DType::Double}) {
    auto x = g.input(t, {2, 7, 6, 5});
    g.output(g.add("MaxPool", {x}, pool_attrs(t, {1, 3, 3, 1}, {1, 2, 2, 1}, "SAME")));
    g.output(g.add("MaxPool", {x}, pool_attrs(t, {1, 2, 3, 1}, {1, 1, 2, 1}, "VALID")));
    g.output(g.add("AvgPool", {x}, pool_attrs(t, {1, 3, 3, 1}, {1, 2, 2, 1}, "SAME")));
    g.output(g.add("AvgPool", {x}, pool_attrs(t, {1, 4, 2, 1}, {1, 3, 1, 1}, "VALID")));
  }
  auto xi = g.input(DType::Int32, {1, 5, 5, 3});
  g.output(g.add("MaxPool", {xi}, pool_attrs(DType::Int32, {1, 2, 2, 1}, {1, 2, 2, 1}, "SAME")));
  check_generated(g, 3, 1e-6, 1e-6);
}

}  // namespace
}  // namespace tfaot::test
