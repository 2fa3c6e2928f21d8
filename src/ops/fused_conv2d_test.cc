// _FusedConv2D / _FusedDepthwiseConv2dNative: the reference epilogue against hand values, and
// generated code (packed kernels, batch norm folded at compile time) against the reference for
// every epilogue; attribute errors.
#include <gtest/gtest.h>

#include <random>

#include "op_test_util.h"

namespace tfaot::test {
namespace {

tensorflow::AttrValue attr_strings(const std::vector<std::string>& v) {
  tensorflow::AttrValue a;
  for (const auto& s : v) a.mutable_list()->add_s(s);
  return a;
}

ir::AttrMap fused_attrs(const std::vector<std::string>& ops, int64_t num_args,
                        const std::string& padding = "SAME") {
  return {{"T", attr_type(DType::Float)},
          {"padding", attr_string(padding)},
          {"strides", attr_ints({1, 1, 1, 1})},
          {"num_args", attr_int(num_args)},
          {"epsilon", attr_float(0.001f)},
          {"fused_ops", attr_strings(ops)}};
}

// 1x1 image, 1x1 filter: the epilogue alone is visible.
TEST(FusedConv2D, EpilogueByHand) {
  OpGraph g;
  auto x = g.input(DType::Float, {1, 1, 1, 1});
  auto f = g.constant(Tensor::from_vector<float>({1, 1, 1, 2}, {2, -3}));
  auto b = g.constant(Tensor::from_vector<float>({2}, {1, 0.5f}));
  g.output(g.add("_FusedConv2D", {x, f, b}, fused_attrs({"BiasAdd"}, 1)));
  g.output(g.add("_FusedConv2D", {x, f, b}, fused_attrs({"BiasAdd", "Relu"}, 1)));
  // scale 2, offset 1, mean 0.5, variance 3.999: (z - 0.5) * 2 / sqrt(4) + 1 = z + 0.5
  auto bn = [&](float v) { return g.constant(Tensor::from_vector<float>({2}, {v, v})); };
  g.output(g.add("_FusedConv2D", {x, f, bn(2), bn(1), bn(0.5f), bn(3.999f)},
                 fused_attrs({"FusedBatchNorm", "Relu6"}, 4)));
  auto out = g.reference({Tensor::from_vector<float>({1, 1, 1, 1}, {2})});
  expect_equal(out[0], Tensor::from_vector<float>({1, 1, 1, 2}, {5, -5.5f}));
  expect_equal(out[1], Tensor::from_vector<float>({1, 1, 1, 2}, {5, 0}));
  expect_close(out[2], Tensor::from_vector<float>({1, 1, 1, 2}, {4.5f, 0}), 1e-6, 1e-6);
}

TEST(FusedConv2D, GeneratedMatchesReference) {
  std::mt19937 rng(9);
  OpGraph g;
  auto c = [&](Shape s, double lo = -1, double hi = 1) {
    return g.constant(random_tensor(DType::Float, s, rng, lo, hi));
  };
  auto x = g.input(DType::Float, {2, 6, 5, 8});
  auto f = c({3, 3, 8, 24});
  auto b = c({24});
  for (const char* act : {"Relu", "Relu6", "Tanh", "Sigmoid"})
    g.output(g.add("_FusedConv2D", {x, f, b}, fused_attrs({"BiasAdd", act}, 1)));
  g.output(g.add("_FusedConv2D", {x, f, c({24}), c({24}), c({24}), c({24}, 0.5, 2)},
                 fused_attrs({"FusedBatchNorm", "Relu"}, 4, "VALID")));
  auto fd = c({3, 3, 8, 2});
  g.output(g.add("_FusedDepthwiseConv2dNative", {x, fd, c({16})}, fused_attrs({"BiasAdd", "Relu6"}, 1)));
  g.output(g.add("_FusedDepthwiseConv2dNative", {x, fd, c({16}), c({16}), c({16}), c({16}, 0.5, 2)},
                 fused_attrs({"FusedBatchNorm"}, 4)));
  check_generated(g, 12, 1e-5, 1e-4);
}

TEST(FusedConv2D, Errors) {
  OpGraph g;
  auto x = g.input(DType::Float, {1, 4, 4, 3});
  auto f = g.constant(Tensor(DType::Float, {2, 2, 3, 5}));
  auto b = g.constant(Tensor(DType::Float, {5}));
  expect_error([&] { g.add("_FusedConv2D", {x, f, b}, fused_attrs({"BiasAdd", "Elu"}, 1), "elu"); },
               {"'elu'", "fused_ops", "Elu"});
  expect_error([&] { g.add("_FusedConv2D", {x, f, b}, fused_attrs({"FusedBatchNorm"}, 1), "args"); },
               {"'args'", "4 argument inputs"});
  expect_error([&] { g.add("_FusedConv2D", {x, f, g.constant(Tensor(DType::Float, {4}))}, fused_attrs({"BiasAdd"}, 1), "shape"); },
               {"'shape'", "[5]"});
  expect_error([&] { g.add("_FusedConv2D", {x, g.input(DType::Float, {2, 2, 3, 5}), b}, fused_attrs({"BiasAdd"}, 1), "var"); },
               {"'var'", "filter"});
}

}  // namespace
}  // namespace tfaot::test
