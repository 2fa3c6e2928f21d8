#include <gtest/gtest.h>

#include <random>

#include "op_test_util.h"

namespace tfaot::test {
namespace {

std::vector<float> iota(int n, float start = 1) {
  std::vector<float> v;
  for (int i = 0; i < n; ++i) v.push_back(start + float(i));
  return v;
}

ir::AttrMap conv_attrs(const std::string& padding, std::vector<int64_t> strides = {1, 1, 1, 1},
                       std::vector<int64_t> dilations = {1, 1, 1, 1}) {
  return {{"T", attr_type(DType::Float)},
          {"padding", attr_string(padding)},
          {"strides", attr_ints(strides)},
          {"dilations", attr_ints(dilations)}};
}

// 3x3 image 1..9, 2x2 filter of ones: every output is the sum of the window inside the image.
TEST(Conv2D, PaddingStridesDilations) {
  OpGraph g;
  auto x = g.input(DType::Float, {1, 3, 3, 1});
  auto f = g.constant(Tensor::from_vector<float>({2, 2, 1, 1}, {1, 1, 1, 1}));
  g.output(g.add("Conv2D", {x, f}, conv_attrs("VALID")));
  g.output(g.add("Conv2D", {x, f}, conv_attrs("SAME")));
  g.output(g.add("Conv2D", {x, f}, conv_attrs("SAME", {1, 2, 2, 1})));
  g.output(g.add("Conv2D", {x, f}, conv_attrs("VALID", {1, 1, 1, 1}, {1, 2, 2, 1})));
  auto ex = conv_attrs("EXPLICIT");
  ex["explicit_paddings"] = attr_ints({0, 0, 1, 0, 0, 1, 0, 0});
  g.output(g.add("Conv2D", {x, f}, ex));
  auto out = g.reference({Tensor::from_vector<float>({1, 3, 3, 1}, iota(9))});
  expect_equal(out[0], Tensor::from_vector<float>({1, 2, 2, 1}, {12, 16, 24, 28}));
  // SAME pads the odd total (1) after: bottom/right.
  expect_equal(out[1],
               Tensor::from_vector<float>({1, 3, 3, 1}, {12, 16, 9, 24, 28, 15, 15, 17, 9}));
  expect_equal(out[2], Tensor::from_vector<float>({1, 2, 2, 1}, {12, 9, 15, 9}));
  expect_equal(out[3], Tensor::from_vector<float>({1, 1, 1, 1}, {1 + 3 + 7 + 9}));
  expect_equal(out[4], Tensor::from_vector<float>({1, 3, 3, 1}, {3, 5, 3, 12, 16, 9, 24, 28, 15}));
}

TEST(Conv2D, ChannelsAndGroups) {
  OpGraph g;
  auto x = g.input(DType::Float, {1, 1, 1, 4});
  // Dense: 4 -> 1 channel.
  g.output(g.add("Conv2D", {x, g.constant(Tensor::from_vector<float>({1, 1, 4, 1}, {1, 2, 3, 4}))},
                 conv_attrs("VALID")));
  // Two groups: filter depth 2, output channel 0 reads channels 0-1, channel 1 reads 2-3.
  g.output(g.add("Conv2D",
                 {x, g.constant(Tensor::from_vector<float>({1, 1, 2, 2}, {1, 10, 100, 1000}))},
                 conv_attrs("VALID")));
  auto out = g.reference({Tensor::from_vector<float>({1, 1, 1, 4}, {1, 2, 3, 4})});
  expect_equal(out[0], Tensor::from_vector<float>({1, 1, 1, 1}, {30}));
  expect_equal(out[1], Tensor::from_vector<float>({1, 1, 1, 2}, {201, 4030}));
}

TEST(Conv2D, Errors) {
  OpGraph g;
  auto x = g.input(DType::Float, {1, 4, 4, 3});
  auto f = g.input(DType::Float, {2, 2, 3, 5});
  auto f2 = g.input(DType::Float, {2, 2, 2, 5});
  auto xi = g.input(DType::Int32, {1, 4, 4, 3});
  auto fi = g.input(DType::Int32, {2, 2, 3, 5});
  auto nchw = conv_attrs("SAME");
  nchw["data_format"] = attr_string("NCHW");
  expect_error([&] { g.add("Conv2D", {x, f}, nchw, "nchw"); }, {"'nchw'", "NCHW"});
  expect_error(
      [&] {
        g.add("Conv2D", {x, f}, conv_attrs("SAME", {2, 1, 1, 1}), "bstride");
      },
      {"'bstride'", "strides"});
  expect_error(
      [&] {
        g.add("Conv2D", {x, f2}, conv_attrs("SAME"), "depth");
      },
      {"'depth'", "multiple of the filter depth"});
  expect_error([&] { g.add("Conv2D", {x, f}, conv_attrs("FULL"), "pad"); }, {"'pad'", "FULL"});
  auto ti = conv_attrs("SAME");
  ti["T"] = attr_type(DType::Int32);
  expect_error([&] { g.add("Conv2D", {xi, fi}, ti, "int"); }, {"'int'", "int32"});
  auto big = g.input(DType::Float, {6, 6, 3, 1});
  expect_error(
      [&] {
        g.add("Conv2D", {x, big}, conv_attrs("VALID"), "neg");
      },
      {"'neg'", "negative"});
}

// Generated code accumulates in T, the reference in double.
TEST(Conv2D, GeneratedMatchesReference) {
  OpGraph g;
  for (DType t : {DType::Float, DType::Double}) {
    auto attrs = [&](const std::string& p, std::vector<int64_t> s, std::vector<int64_t> d) {
      auto a = conv_attrs(p, s, d);
      a["T"] = attr_type(t);
      return a;
    };
    auto x = g.input(t, {2, 7, 6, 3});
    g.output(
        g.add("Conv2D", {x, g.input(t, {3, 3, 3, 8})}, attrs("SAME", {1, 1, 1, 1}, {1, 1, 1, 1})));
    g.output(
        g.add("Conv2D", {x, g.input(t, {3, 2, 3, 5})}, attrs("SAME", {1, 2, 3, 1}, {1, 1, 1, 1})));
    g.output(
        g.add("Conv2D", {x, g.input(t, {2, 3, 3, 4})}, attrs("VALID", {1, 2, 1, 1}, {1, 2, 2, 1})));
    g.output(
        g.add("Conv2D", {x, g.input(t, {1, 1, 1, 6})}, attrs("VALID", {1, 1, 1, 1}, {1, 1, 1, 1})));
    auto ex = attrs("EXPLICIT", {1, 2, 2, 1}, {1, 1, 1, 1});
    ex["explicit_paddings"] = attr_ints({0, 0, 2, 1, 0, 3, 0, 0});
    g.output(g.add("Conv2D", {x, g.input(t, {3, 3, 3, 2})}, ex));
  }
  check_generated(g, 1, 1e-5, 1e-4);
}

// float32 with a constant filter runs the packed implicit GEMM (and 1x1 as a plain GEMM):
// odd batch/pixel counts (3-row blocks and 1/2-row remainders), partial and multiple panel
// groups, groups, every padding mode, and windows that see only padding.
TEST(Conv2D, PackedKernelMatchesReference) {
  struct Case {
    Shape x, f;
    std::string padding;
    std::vector<int64_t> strides, dilations, explicit_pad;
  };
  const std::vector<Case> cases = {
      {{2, 7, 6, 3}, {3, 3, 3, 8}, "SAME", {1, 1, 1, 1}, {1, 1, 1, 1}, {}},
      {{1, 16, 16, 8}, {3, 3, 8, 32}, "SAME", {1, 1, 1, 1}, {1, 1, 1, 1}, {}},
      {{3, 5, 9, 4}, {3, 2, 4, 70}, "SAME", {1, 2, 3, 1}, {1, 1, 1, 1}, {}},
      {{2, 7, 6, 6}, {2, 3, 3, 20}, "VALID", {1, 2, 1, 1}, {1, 2, 2, 1}, {}},  // 2 groups
      {{2, 4, 5, 12}, {1, 1, 12, 17}, "VALID", {1, 1, 1, 1}, {1, 1, 1, 1}, {}},  // pointwise GEMM
      {{1, 6, 6, 5}, {1, 1, 5, 9}, "SAME", {1, 2, 2, 1}, {1, 1, 1, 1}, {}},  // strided 1x1
      {{1, 1, 30, 6}, {1, 5, 6, 16}, "SAME", {1, 1, 1, 1}, {1, 1, 2, 1}, {}},  // Conv1D shape
      {{2, 3, 3, 2}, {2, 2, 2, 5}, "EXPLICIT", {1, 1, 1, 1}, {1, 1, 1, 1}, {0, 0, 3, 1, 0, 4, 0, 0}},
  };
  std::mt19937 rng(5);
  OpGraph g;
  for (const Case& c : cases) {
    auto a = conv_attrs(c.padding, c.strides, c.dilations);
    if (!c.explicit_pad.empty()) a["explicit_paddings"] = attr_ints(c.explicit_pad);
    g.output(g.add("Conv2D", {g.input(DType::Float, c.x),
                              g.constant(random_tensor(DType::Float, c.f, rng, -1, 1))},
                   a));
  }
  check_generated(g, 3, 1e-5, 1e-4);
}

}  // namespace
}  // namespace tfaot::test
