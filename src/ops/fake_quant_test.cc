#include <gtest/gtest.h>

#include <cmath>

#include "op_test_util.h"

namespace tfaot::test {
namespace {

ir::AttrMap args_attrs(float min, float max, int64_t bits = 8, bool narrow = false) {
  return {{"min", attr_float(min)},
          {"max", attr_float(max)},
          {"num_bits", attr_int(bits)},
          {"narrow_range", attr_bool(narrow)}};
}

TEST(FakeQuant, NarrowRangeHandComputed) {
  // narrow_range: quant range [1, 255], scale 2/254, zero point 128: nudged range exactly
  // [-1, 1] and the grid is k/127.
  OpGraph g;
  auto x = g.input(DType::Float, {6});
  g.output(g.add("FakeQuantWithMinMaxArgs", {x}, args_attrs(-1, 1, 8, true)));
  auto r = g.reference({Tensor::from_vector<float>({6}, {0, 0.51f, -3, 3, 1.f / 127, -0.3f})});
  expect_close(r[0],
               Tensor::from_vector<float>({6}, {0, 65.f / 127, -1, 1, 1.f / 127, -38.f / 127}),
               1e-6, 1e-6);
  EXPECT_EQ(r[0].data<float>()[0], 0.0f);  // zero is exactly representable
}

TEST(FakeQuant, VarsNudgesAndRoundsHalfUp) {
  OpGraph g;
  auto x = g.input(DType::Float, {6});
  auto attrs = ir::AttrMap{{"num_bits", attr_int(4)}};
  // [0, 15] with 4 bits: scale 1, y = floor(clamp(x) + 0.5).
  g.output(g.add("FakeQuantWithMinMaxVars",
                 {x, g.constant(Tensor::scalar<float>(0)), g.constant(Tensor::scalar<float>(15))},
                 attrs));
  // min == max == 0: all zeros.
  g.output(g.add("FakeQuantWithMinMaxVars",
                 {x, g.constant(Tensor::scalar<float>(0)), g.constant(Tensor::scalar<float>(0))},
                 attrs));
  // [-0.3, 3.45]: scale 0.25, zero point round(1.2) = 1, nudged to [-0.25, 3.5].
  g.output(
      g.add("FakeQuantWithMinMaxVars",
            {x, g.constant(Tensor::scalar<float>(-0.3f)), g.constant(Tensor::scalar<float>(3.45f))},
            attrs));
  auto r = g.reference({Tensor::from_vector<float>({6}, {2.5f, -1, 20, 7.49f, 0.2f, 1.1f})});
  expect_equal(r[0], Tensor::from_vector<float>({6}, {3, 0, 15, 7, 0, 1}));
  expect_equal(r[1], Tensor::from_vector<float>({6}, {0, 0, 0, 0, 0, 0}));
  expect_close(r[2], Tensor::from_vector<float>({6}, {2.5f, -0.25f, 3.5f, 3.5f, 0.25f, 1.0f}), 1e-6,
               1e-6);
}

TEST(FakeQuant, PerChannelUsesLastDim) {
  OpGraph g;
  auto x = g.input(DType::Float, {2, 2});
  // Channel 0: [0, 15] (scale 1); channel 1: min == max == 0 (zeros).
  g.output(g.add("FakeQuantWithMinMaxVarsPerChannel",
                 {x, g.constant(Tensor::from_vector<float>({2}, {0, 0})),
                  g.constant(Tensor::from_vector<float>({2}, {15, 0}))},
                 {{"num_bits", attr_int(4)}}));
  auto r = g.reference({Tensor::from_vector<float>({2, 2}, {2.5f, 7, 20, -3})});
  expect_equal(r[0], Tensor::from_vector<float>({2, 2}, {3, 0, 15, 0}));
}

TEST(FakeQuant, Errors) {
  OpGraph g;
  auto x = g.input(DType::Float, {4});
  auto xd = g.input(DType::Double, {4});
  auto v = g.input(DType::Float, {4});
  expect_error([&] { g.add("FakeQuantWithMinMaxArgs", {x}, args_attrs(1, -1), "mm"); },
               {"'mm'", "smaller than max"});
  expect_error([&] { g.add("FakeQuantWithMinMaxArgs", {x}, args_attrs(-1, 1, 17), "bits"); },
               {"'bits'", "num_bits"});
  expect_error([&] { g.add("FakeQuantWithMinMaxArgs", {xd}, args_attrs(-1, 1), "d"); },
               {"'d'", "float64"});
  expect_error([&] { g.add("FakeQuantWithMinMaxVars", {x, v, v}, {}, "pc"); }, {"'pc'", "scalar"});
  auto v3 = g.input(DType::Float, {3});
  expect_error(
      [&] {
        g.add("FakeQuantWithMinMaxVarsPerChannel", {x, v3, v3}, {}, "chan");
      },
      {"'chan'", "shape [4]"});
}

// The kernel and the reference use the same float operations: results must be identical.
TEST(FakeQuant, GeneratedMatchesReferenceExactly) {
  OpGraph g;
  auto x = g.input(DType::Float, {3, 50});
  g.output(g.add("FakeQuantWithMinMaxArgs", {x}, args_attrs(-6, 6)));
  g.output(g.add("FakeQuantWithMinMaxArgs", {x}, args_attrs(-2.3f, 5.1f, 5, true)));
  g.output(
      g.add("FakeQuantWithMinMaxVars",
            {x, g.constant(Tensor::scalar<float>(-3.7f)), g.constant(Tensor::scalar<float>(1.9f))},
            {{"num_bits", attr_int(8)}}));
  g.output(g.add("FakeQuantWithMinMaxVars",
                 {x, g.input(DType::Float, {}), g.input(DType::Float, {})},
                 {{"num_bits", attr_int(6)}, {"narrow_range", attr_bool(true)}}));
  g.output(g.add("FakeQuantWithMinMaxVarsPerChannel",
                 {x, g.constant(Tensor::from_vector<float>({50}, std::vector<float>(50, -2.9f))),
                  g.input(DType::Float, {50})},
                 {{"num_bits", attr_int(7)}}));
  auto in = g.random_inputs(9, -8, 8);
  in[1] = Tensor::scalar<float>(-4.25f);
  in[2] = Tensor::scalar<float>(3.5f);
  for (int i = 0; i < 50; ++i) in[3].data<float>()[i] = 0.5f + 0.1f * float(i);
  auto ref = g.reference(in);
  auto gen = g.generated(in);
  ASSERT_EQ(gen.size(), ref.size());
  for (size_t i = 0; i < ref.size(); ++i)
    expect_equal(gen[i], ref[i], "output " + std::to_string(i));
}

}  // namespace
}  // namespace tfaot::test
