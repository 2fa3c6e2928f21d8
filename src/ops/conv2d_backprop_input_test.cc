#include <gtest/gtest.h>

#include <random>

#include "op_test_util.h"

namespace tfaot::test {
namespace {

ir::AttrMap attrs(DType t, const std::string& padding, std::vector<int64_t> strides = {1, 1, 1, 1},
                  std::vector<int64_t> dilations = {1, 1, 1, 1}) {
  return {{"T", attr_type(t)},
          {"padding", attr_string(padding)},
          {"strides", attr_ints(strides)},
          {"dilations", attr_ints(dilations)}};
}

ir::Value sizes(OpGraph& g, std::vector<int32_t> v) {
  return g.constant(Tensor::from_vector<int32_t>({int64_t(v.size())}, v));
}

// dy of ones through a 2x2 ones filter: each input pixel counts the windows covering it.
TEST(Conv2DBackpropInput, CountsWindows) {
  OpGraph g;
  auto f = g.constant(Tensor::from_vector<float>({2, 2, 1, 1}, {1, 1, 1, 1}));
  auto dy = g.input(DType::Float, {1, 2, 2, 1});
  g.output(
      g.add("Conv2DBackpropInput", {sizes(g, {1, 3, 3, 1}), f, dy}, attrs(DType::Float, "VALID")));
  g.output(g.add("Conv2DBackpropInput", {sizes(g, {4, 4}), f, dy},
                 attrs(DType::Float, "SAME", {1, 2, 2, 1})));
  auto r = g.reference({Tensor::from_vector<float>({1, 2, 2, 1}, {1, 1, 1, 1})});
  expect_equal(r[0], Tensor::from_vector<float>({1, 3, 3, 1}, {1, 2, 1, 2, 4, 2, 1, 2, 1}));
  // Stride 2 on 4x4 with a 2x2 window: SAME needs no padding and windows do not overlap.
  expect_equal(r[1], Tensor::from_vector<float>({1, 4, 4, 1}, std::vector<float>(16, 1)));
}

// <Conv2D(x), dy> == <x, Conv2DBackpropInput(dy)> for the same geometry.
TEST(Conv2DBackpropInput, IsTheAdjointOfConv2D) {
  OpGraph g;
  auto x = g.input(DType::Double, {2, 7, 6, 3});
  auto f = g.input(DType::Double, {3, 2, 3, 4});
  auto dy = g.input(DType::Double, {2, 4, 2, 4});
  auto a = attrs(DType::Double, "SAME", {1, 2, 3, 1}, {1, 1, 1, 1});
  auto y = g.add("Conv2D", {x, f}, a);
  ASSERT_EQ(y.node->outputs[0].shape, (Shape{2, 4, 2, 4}));
  g.output(y);
  g.output(g.add("Conv2DBackpropInput", {sizes(g, {2, 7, 6, 3}), f, dy}, a));
  auto in = g.random_inputs(11);
  auto r = g.reference(in);
  double lhs = 0, rhs = 0;
  for (int64_t i = 0; i < r[0].num_elements(); ++i) lhs += r[0].get_double(i) * in[2].get_double(i);
  for (int64_t i = 0; i < r[1].num_elements(); ++i) rhs += in[0].get_double(i) * r[1].get_double(i);
  EXPECT_NEAR(lhs, rhs, 1e-9 * std::abs(lhs));
}

TEST(Conv2DBackpropInput, Errors) {
  OpGraph g;
  auto f = g.input(DType::Float, {2, 2, 3, 5});
  auto dy = g.input(DType::Float, {1, 3, 3, 5});
  expect_error(
      [&] {
        g.add("Conv2DBackpropInput", {sizes(g, {1, 4, 4, 3}), f, dy}, attrs(DType::Float, "SAME"),
              "hw");
      },
      {"'hw'", "does not match the forward"});
  expect_error(
      [&] {
        g.add("Conv2DBackpropInput", {sizes(g, {1, 4, 4, 2}), f, dy}, attrs(DType::Float, "SAME"),
              "c");
      },
      {"'c'", "do not match"});
  auto dyn = g.input(DType::Int32, {4});
  expect_error(
      [&] {
        g.add("Conv2DBackpropInput", {dyn, f, dy}, attrs(DType::Float, "SAME"), "dyn");
      },
      {"'dyn'", "compile-time constant"});
}

TEST(Conv2DBackpropInput, GeneratedMatchesReference) {
  OpGraph g;
  for (DType t : {DType::Float, DType::Double}) {
    // Constant filter (transposed at compile time) and a filter input (transposed at run time).
    std::mt19937 rng(3);
    auto fc = g.constant(random_tensor(t, {3, 3, 4, 6}, rng));
    g.output(g.add("Conv2DBackpropInput", {sizes(g, {2, 5, 7, 4}), fc, g.input(t, {2, 5, 7, 6})},
                   attrs(t, "SAME")));
    g.output(g.add("Conv2DBackpropInput",
                   {sizes(g, {2, 9, 8, 4}), g.input(t, {3, 2, 4, 5}), g.input(t, {2, 5, 4, 5})},
                   attrs(t, "SAME", {1, 2, 2, 1})));
    g.output(g.add("Conv2DBackpropInput",
                   {sizes(g, {9, 8}), g.input(t, {2, 2, 3, 2}), g.input(t, {1, 7, 3, 2})},
                   attrs(t, "VALID", {1, 1, 2, 1}, {1, 2, 2, 1})));
    auto ex = attrs(t, "EXPLICIT", {1, 2, 1, 1});
    ex["explicit_paddings"] = attr_ints({0, 0, 1, 2, 0, 1, 0, 0});
    g.output(g.add("Conv2DBackpropInput",
                   {sizes(g, {1, 6, 5, 2}), g.input(t, {3, 3, 2, 3}), g.input(t, {1, 4, 4, 3})},
                   ex));
  }
  check_generated(g, 12, 1e-5, 1e-4);
}

}  // namespace
}  // namespace tfaot::test
