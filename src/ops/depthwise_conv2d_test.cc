#include <gtest/gtest.h>

#include <random>

#include "op_test_util.h"

namespace tfaot::test {
namespace {

ir::AttrMap dw_attrs(DType t, const std::string& padding,
                     std::vector<int64_t> strides = {1, 1, 1, 1},
                     std::vector<int64_t> dilations = {1, 1, 1, 1}) {
  return {{"T", attr_type(t)},
          {"padding", attr_string(padding)},
          {"strides", attr_ints(strides)},
          {"dilations", attr_ints(dilations)}};
}

TEST(DepthwiseConv2dNative, ChannelMultiplier) {
  OpGraph g;
  auto x = g.input(DType::Float, {1, 2, 2, 2});
  // filter[c][m] = {{1, 2}, {3, 4}}: output channels c0*1, c0*2, c1*3, c1*4.
  auto f = g.constant(Tensor::from_vector<float>({1, 1, 2, 2}, {1, 2, 3, 4}));
  g.output(g.add("DepthwiseConv2dNative", {x, f}, dw_attrs(DType::Float, "VALID")));
  auto out = g.reference({Tensor::from_vector<float>({1, 2, 2, 2}, {1, 10, 2, 20, 3, 30, 4, 40})});
  expect_equal(out[0], Tensor::from_vector<float>({1, 2, 2, 4}, {1, 2, 30, 40, 2, 4, 60, 80, 3, 6,
                                                                 90, 120, 4, 8, 120, 160}));
}

TEST(DepthwiseConv2dNative, SamePaddingAndStride) {
  OpGraph g;
  auto x = g.input(DType::Double, {1, 3, 3, 1});
  auto f = g.constant(Tensor::from_vector<double>({2, 2, 1, 1}, {1, 1, 1, 1}));
  g.output(g.add("DepthwiseConv2dNative", {x, f}, dw_attrs(DType::Double, "SAME")));
  g.output(g.add("DepthwiseConv2dNative", {x, f}, dw_attrs(DType::Double, "SAME", {1, 2, 2, 1})));
  auto out = g.reference({Tensor::from_vector<double>({1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9})});
  expect_equal(out[0],
               Tensor::from_vector<double>({1, 3, 3, 1}, {12, 16, 9, 24, 28, 15, 15, 17, 9}));
  expect_equal(out[1], Tensor::from_vector<double>({1, 2, 2, 1}, {12, 9, 15, 9}));
}

TEST(DepthwiseConv2dNative, Errors) {
  OpGraph g;
  auto x = g.input(DType::Float, {1, 4, 4, 3});
  auto f = g.input(DType::Float, {2, 2, 2, 1});
  expect_error(
      [&] {
        g.add("DepthwiseConv2dNative", {x, f}, dw_attrs(DType::Float, "SAME"), "c");
      },
      {"'c'", "in_channels 2", "depth 3"});
  auto f3 = g.input(DType::Float, {2, 2, 3, 1});
  auto a = dw_attrs(DType::Float, "SAME");
  a["data_format"] = attr_string("NCHW");
  expect_error([&] { g.add("DepthwiseConv2dNative", {x, f3}, a, "fmt"); }, {"'fmt'", "NCHW"});
}

TEST(DepthwiseConv2dNative, GeneratedMatchesReference) {
  OpGraph g;
  for (DType t : {DType::Float, DType::Double}) {
    auto x = g.input(t, {2, 7, 5, 4});
    g.output(g.add("DepthwiseConv2dNative", {x, g.input(t, {3, 3, 4, 1})}, dw_attrs(t, "SAME")));
    g.output(g.add("DepthwiseConv2dNative", {x, g.input(t, {3, 2, 4, 3})},
                   dw_attrs(t, "SAME", {1, 2, 2, 1})));
    g.output(g.add("DepthwiseConv2dNative", {x, g.input(t, {2, 2, 4, 2})},
                   dw_attrs(t, "VALID", {1, 1, 2, 1}, {1, 2, 2, 1})));
    auto ex = dw_attrs(t, "EXPLICIT");
    ex["explicit_paddings"] = attr_ints({0, 0, 1, 2, 2, 0, 0, 0});
    g.output(g.add("DepthwiseConv2dNative", {x, g.input(t, {3, 3, 4, 1})}, ex));
  }
  check_generated(g, 2, 1e-5, 1e-4);
}

// float32 with a constant filter runs the vectorized kernel with fused epilogue: channel
// blocks of 32 plus a remainder, multipliers, strides, dilations, explicit padding.
TEST(DepthwiseConv2dNative, FusedKernelMatchesReference) {
  std::mt19937 rng(6);
  OpGraph g;
  auto x = g.input(DType::Float, {2, 7, 5, 40});
  auto xm = g.input(DType::Float, {1, 6, 6, 12});
  auto f = [&](Shape s) { return g.constant(random_tensor(DType::Float, s, rng, -1, 1)); };
  g.output(g.add("DepthwiseConv2dNative", {x, f({3, 3, 40, 1})}, dw_attrs(DType::Float, "SAME")));
  g.output(g.add("DepthwiseConv2dNative", {xm, f({3, 3, 12, 3})},
                 dw_attrs(DType::Float, "SAME", {1, 2, 1, 1})));
  g.output(g.add("DepthwiseConv2dNative", {xm, f({2, 2, 12, 5})},
                 dw_attrs(DType::Float, "VALID", {1, 1, 1, 1}, {1, 2, 2, 1})));
  auto ex = dw_attrs(DType::Float, "EXPLICIT", {1, 1, 2, 1});
  ex["explicit_paddings"] = attr_ints({0, 0, 4, 1, 0, 2, 0, 0});
  g.output(g.add("DepthwiseConv2dNative", {x, f({3, 3, 40, 1})}, ex));
  check_generated(g, 4, 1e-5, 1e-4);
}

}  // namespace
}  // namespace tfaot::test
