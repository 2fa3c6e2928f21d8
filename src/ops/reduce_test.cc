#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "op_test_util.h"

namespace tfaot::test {
namespace {

ir::Value axes(OpGraph& g, std::vector<int32_t> v) {
  return g.constant(Tensor::from_vector<int32_t>({static_cast<int64_t>(v.size())}, v));
}

TEST(Reduce, HandComputed) {
  OpGraph g;
  auto x = g.input(DType::Float, {2, 3});
  auto keep = ir::AttrMap{{"keep_dims", attr_bool(true)}};
  g.output(g.add("Sum", {x, axes(g, {1})}));
  g.output(g.add("Mean", {x, axes(g, {0})}, keep));
  g.output(g.add("Max", {x, axes(g, {0, 1})}));
  g.output(g.add("Min", {x, axes(g, {-1})}));
  g.output(g.add("Prod", {x, axes(g, {})}));  // no axes: identity
  g.output(g.add("ArgMax", {x, g.constant(Tensor::scalar<int32_t>(1))}));
  g.output(g.add("ArgMin", {x, g.constant(Tensor::scalar<int32_t>(0))},
                 {{"output_type", attr_type(DType::Int32)}}));
  auto xv = Tensor::from_vector<float>({2, 3}, {1, 5, 3, 4, 2, 6});
  auto out = g.reference({xv});
  expect_equal(out[0], Tensor::from_vector<float>({2}, {9, 12}));
  expect_equal(out[1], Tensor::from_vector<float>({1, 3}, {2.5f, 3.5f, 4.5f}));
  expect_equal(out[2], Tensor::scalar<float>(6));
  expect_equal(out[3], Tensor::from_vector<float>({2}, {1, 2}));
  expect_equal(out[4], xv);
  expect_equal(out[5], Tensor::from_vector<int64_t>({2}, {1, 2}));
  expect_equal(out[6], Tensor::from_vector<int32_t>({3}, {0, 1, 0}));
}

TEST(Reduce, IntegerBoolAndEmpty) {
  OpGraph g;
  auto i = g.input(DType::Int32, {2, 2});
  auto b = g.input(DType::Bool, {2, 2});
  auto e = g.input(DType::Float, {0, 2});
  g.output(g.add("Mean", {i, axes(g, {1})}));  // integer mean truncates
  g.output(g.add("All", {b, axes(g, {1})}));
  g.output(g.add("Any", {b, axes(g, {1})}));
  g.output(g.add("Sum", {e, axes(g, {0})}));
  g.output(g.add("Max", {e, axes(g, {0})}));
  auto out = g.reference({Tensor::from_vector<int32_t>({2, 2}, {1, 2, -7, 0}),
                          Tensor::from_vector<bool>({2, 2}, {true, false, true, true}),
                          Tensor(DType::Float, {0, 2})});
  expect_equal(out[0], Tensor::from_vector<int32_t>({2}, {1, -3}));
  expect_equal(out[1], Tensor::from_vector<bool>({2}, {false, true}));
  expect_equal(out[2], Tensor::from_vector<bool>({2}, {true, true}));
  expect_equal(out[3], Tensor::from_vector<float>({2}, {0, 0}));
  const float inf = std::numeric_limits<float>::infinity();
  expect_equal(out[4], Tensor::from_vector<float>({2}, {-inf, -inf}));
}

TEST(Reduce, Errors) {
  OpGraph g;
  auto x = g.input(DType::Float, {2, 3});
  auto dyn = g.input(DType::Int32, {1});
  expect_error([&] { g.add("Sum", {x, dyn}, {}, "dyn"); }, {"'dyn'", "reduction_indices operand"});
  expect_error([&] { g.add("Sum", {x, axes(g, {2})}, {}, "ax"); }, {"'ax'", "axis 2"});
  expect_error([&] { g.add("All", {x, axes(g, {0})}, {}, "all"); }, {"'all'", "float32"});
  expect_error([&] { g.add("ArgMax", {g.input(DType::Float, {0, 2}), g.constant(Tensor::scalar<int32_t>(0))}, {}, "am"); },
               {"'am'", "empty"});
}

// Float sums are accumulated in float by generated code (double in the reference): with at
// most 60 terms of magnitude <= 4, the difference is below 60 * 240 * 6e-8 ~ 1e-3.
TEST(Reduce, GeneratedMatchesReference) {
  OpGraph g;
  for (DType t : {DType::Float, DType::Double, DType::Int32, DType::Int64}) {
    auto x = g.input(t, {3, 4, 5});
    for (const char* op : {"Sum", "Mean", "Max", "Min", "Prod"}) {
      g.output(g.add(op, {x, axes(g, {1})}));
      g.output(g.add(op, {x, axes(g, {0, 2})}, {{"keep_dims", attr_bool(true)}}));
      g.output(g.add(op, {x, axes(g, {-1})}));
      g.output(g.add(op, {x, axes(g, {0, 1, 2})}));
    }
    g.output(g.add("ArgMax", {x, g.constant(Tensor::scalar<int32_t>(1))}));
    g.output(g.add("ArgMin", {x, g.constant(Tensor::scalar<int64_t>(-1))}));
  }
  auto b = g.input(DType::Bool, {4, 6});
  g.output(g.add("All", {b, axes(g, {0})}));
  g.output(g.add("Any", {b, axes(g, {1})}));
  check_generated(g, 10, 1e-5, 1e-3, -2, 2);
}

}  // namespace
}  // namespace tfaot::test
