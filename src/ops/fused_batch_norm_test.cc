#include <gtest/gtest.h>

#include <cmath>

#include "op_test_util.h"

namespace tfaot::test {
namespace {

ir::AttrMap bn_attrs(bool training, const std::string& format = "NHWC", float eps = 0.0f) {
  return {{"T", attr_type(DType::Float)},
          {"U", attr_type(DType::Float)},
          {"epsilon", attr_float(eps)},
          {"is_training", attr_bool(training)},
          {"data_format", attr_string(format)}};
}

Tensor vec(std::vector<float> v) {
  int64_t n = static_cast<int64_t>(v.size());
  return Tensor::from_vector<float>({n}, v);
}

ir::Value out(ir::Value v, int i) { return {v.node, i}; }

TEST(FusedBatchNorm, Inference) {
  OpGraph g;
  auto x = g.input(DType::Float, {1, 1, 2, 2});
  auto y = g.add("FusedBatchNormV3",
                 {x, g.constant(vec({1, 2})), g.constant(vec({0, 1})), g.constant(vec({1, 2})),
                  g.constant(vec({4, 1}))},
                 bn_attrs(false));
  for (int i = 0; i < 6; ++i) g.output(out(y, i));
  EXPECT_EQ(y.node->outputs.size(), 6u);
  EXPECT_EQ(y.node->outputs[5].shape, Shape{});
  auto r = g.reference({Tensor::from_vector<float>({1, 1, 2, 2}, {1, 2, 3, 4})});
  // channel 0: (x - 1) / 2; channel 1: (x - 2) * 2 + 1.
  expect_equal(r[0], Tensor::from_vector<float>({1, 1, 2, 2}, {0, 1, 1, 5}));
  expect_equal(r[1], vec({1, 2}));
  expect_equal(r[2], vec({4, 1}));
}

TEST(FusedBatchNorm, TrainingUsesBatchStatistics) {
  OpGraph g;
  auto x = g.input(DType::Float, {1, 2, 1, 2});
  auto empty = g.constant(Tensor(DType::Float, {0}));
  auto y =
      g.add("FusedBatchNormV3", {x, g.constant(vec({1, 1})), g.constant(vec({0, 0})), empty, empty},
            bn_attrs(true));
  for (int i = 0; i < 5; ++i) g.output(out(y, i));
  auto r = g.reference({Tensor::from_vector<float>({1, 2, 1, 2}, {1, 10, 3, 30})});
  expect_equal(r[0], Tensor::from_vector<float>({1, 2, 1, 2}, {-1, -1, 1, 1}));
  expect_equal(r[1], vec({2, 20}));
  expect_equal(r[2], vec({2, 200}));  // Bessel-corrected running variance
  expect_equal(r[3], vec({2, 20}));
  expect_equal(r[4], vec({1, 100}));  // biased batch variance
}

// Keras LayerNormalization: NCHW [1, rows, cols, 1], normalized per row.
TEST(FusedBatchNorm, LayerNormStyleNchwAndBlend) {
  OpGraph g;
  auto x = g.input(DType::Float, {1, 2, 3, 1});
  auto empty = g.constant(Tensor(DType::Float, {0}));
  auto y =
      g.add("FusedBatchNormV3", {x, g.constant(vec({1, 1})), g.constant(vec({0, 0})), empty, empty},
            bn_attrs(true, "NCHW"));
  g.output(y);
  auto blend_attrs = bn_attrs(true);
  blend_attrs["exponential_avg_factor"] = attr_float(0.5f);
  auto z = g.add("FusedBatchNormV3",
                 {g.input(DType::Float, {2, 1, 1, 1}), g.constant(vec({1})), g.constant(vec({0})),
                  g.constant(vec({0})), g.constant(vec({1}))},
                 blend_attrs);
  g.output(out(z, 1));
  g.output(out(z, 2));
  auto r = g.reference({Tensor::from_vector<float>({1, 2, 3, 1}, {1, 2, 3, 2, 4, 6}),
                        Tensor::from_vector<float>({2, 1, 1, 1}, {1, 3})});
  float a = float(1 / std::sqrt(2.0 / 3));
  expect_close(r[0], Tensor::from_vector<float>({1, 2, 3, 1}, {-a, 0, a, -a, 0, a}), 1e-6, 1e-6);
  // mean 2, var 1, n/(n-1) = 2: running mean 0.5*0 + 0.5*2, variance 0.5*1 + 0.5*2*1.
  expect_equal(r[1], vec({1}));
  expect_equal(r[2], vec({1.5}));
}

TEST(FusedBatchNorm, Errors) {
  OpGraph g;
  auto x = g.input(DType::Float, {1, 2, 2, 3});
  auto c3 = g.input(DType::Float, {3});
  auto c2 = g.input(DType::Float, {2});
  expect_error(
      [&] {
        g.add("FusedBatchNormV3", {x, c3, c3, c2, c3}, bn_attrs(false), "m");
      },
      {"'m'", "mean", "[3]"});
  auto empty = g.input(DType::Float, {0});
  expect_error(
      [&] {
        g.add("FusedBatchNormV3", {x, c3, c3, empty, empty}, bn_attrs(false), "e");
      },
      {"'e'", "mean"});
  expect_error(
      [&] {
        g.add("FusedBatchNormV3", {x, c3, c3, c3, c3}, bn_attrs(false, "NCDHW"), "f");
      },
      {"'f'", "5-D"});
  expect_error(
      [&] {
        g.add("FusedBatchNorm", {x, c3, c3, c3, c3}, bn_attrs(false, "HWNC"), "h");
      },
      {"'h'", "HWNC"});
}

TEST(FusedBatchNorm, GeneratedMatchesReference) {
  OpGraph g;
  auto add = [&](const std::string& op, DType t, Shape xs, int64_t c, ir::AttrMap a) {
    a["T"] = attr_type(t);
    if (op == "FusedBatchNorm")
      a.erase("U");
    else
      a["U"] = attr_type(DType::Float);
    auto y = g.add(op,
                   {g.input(t, xs), g.input(DType::Float, {c}), g.input(DType::Float, {c}),
                    g.input(DType::Float, {c}),
                    g.constant(Tensor::from_vector<float>({c}, std::vector<float>(c, 2.5f)))},
                   a);
    for (size_t i = 0; i < y.node->outputs.size(); ++i) g.output(out(y, int(i)));
  };
  add("FusedBatchNormV3", DType::Float, {2, 3, 4, 5}, 5, bn_attrs(false, "NHWC", 1e-3f));
  add("FusedBatchNormV2", DType::Float, {2, 3, 4, 5}, 3, bn_attrs(false, "NCHW", 1e-3f));
  add("FusedBatchNorm", DType::Float, {2, 3, 4, 5}, 5, bn_attrs(true, "NHWC", 1e-3f));
  add("FusedBatchNormV3", DType::Float, {1, 6, 7, 1}, 6, bn_attrs(true, "NCHW", 1e-5f));
  add("FusedBatchNormV3", DType::Float, {2, 2, 3, 2, 4}, 4, bn_attrs(true, "NDHWC", 1e-3f));
  auto blend = bn_attrs(true, "NHWC", 1e-3f);
  blend["exponential_avg_factor"] = attr_float(0.25f);
  add("FusedBatchNormV3", DType::Float, {3, 2, 2, 4}, 4, blend);
  check_generated(g, 5, 1e-5, 1e-5);
}

}  // namespace
}  // namespace tfaot::test
