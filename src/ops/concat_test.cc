#include <gtest/gtest.h>

#include "op_test_util.h"

namespace tfaot::test {
namespace {

TEST(ConcatV2, ConcatenatesAlongAxis) {
  OpGraph g;
  auto a = g.input(DType::Float, {2, 2});
  auto b = g.input(DType::Float, {2, 1});
  auto c = g.input(DType::Float, {1, 2});
  g.output(g.add("ConcatV2", {a, b, g.constant(Tensor::scalar<int32_t>(-1))}, {{"N", attr_int(2)}}));
  g.output(g.add("ConcatV2", {a, c, a, g.constant(Tensor::scalar<int64_t>(0))}));
  auto out = g.reference({Tensor::from_vector<float>({2, 2}, {1, 2, 3, 4}),
                          Tensor::from_vector<float>({2, 1}, {5, 6}),
                          Tensor::from_vector<float>({1, 2}, {7, 8})});
  expect_equal(out[0], Tensor::from_vector<float>({2, 3}, {1, 2, 5, 3, 4, 6}));
  expect_equal(out[1], Tensor::from_vector<float>({5, 2}, {1, 2, 3, 4, 7, 8, 1, 2, 3, 4}));
}

TEST(Pack, StacksAlongNewAxis) {
  OpGraph g;
  auto a = g.input(DType::Int32, {2});
  auto b = g.input(DType::Int32, {2});
  g.output(g.add("Pack", {a, b}, {{"axis", attr_int(0)}, {"N", attr_int(2)}}));
  g.output(g.add("Pack", {a, b}, {{"axis", attr_int(-1)}}));
  auto s = g.input(DType::Int32, {});
  g.output(g.add("Pack", {s, s, s}));  // scalars -> vector, as Keras builds shapes
  auto out = g.reference({Tensor::from_vector<int32_t>({2}, {1, 2}),
                          Tensor::from_vector<int32_t>({2}, {3, 4}), Tensor::scalar<int32_t>(9)});
  expect_equal(out[0], Tensor::from_vector<int32_t>({2, 2}, {1, 2, 3, 4}));
  expect_equal(out[1], Tensor::from_vector<int32_t>({2, 2}, {1, 3, 2, 4}));
  expect_equal(out[2], Tensor::from_vector<int32_t>({3}, {9, 9, 9}));
}

TEST(Unpack, SplitsAlongAxis) {
  OpGraph g;
  auto a = g.input(DType::Float, {2, 3});
  auto u = g.add("Unpack", {a}, {{"axis", attr_int(1)}, {"num", attr_int(3)}});
  ASSERT_EQ(u.node->outputs.size(), 3u);
  for (int i = 0; i < 3; ++i) g.output({u.node, i});
  auto out = g.reference({Tensor::from_vector<float>({2, 3}, {1, 2, 3, 4, 5, 6})});
  expect_equal(out[0], Tensor::from_vector<float>({2}, {1, 4}));
  expect_equal(out[2], Tensor::from_vector<float>({2}, {3, 6}));
}

TEST(ConcatPack, Errors) {
  OpGraph g;
  auto a = g.input(DType::Float, {2, 2});
  auto b = g.input(DType::Float, {3, 3});
  auto i = g.input(DType::Int32, {2, 2});
  auto dyn = g.input(DType::Int32, {});
  auto ax0 = g.constant(Tensor::scalar<int32_t>(0));
  expect_error([&] { g.add("ConcatV2", {a, b, ax0}, {}, "shape"); }, {"'shape'", "incompatible"});
  expect_error([&] { g.add("ConcatV2", {a, i, ax0}, {}, "dtype"); }, {"'dtype'", "int32"});
  expect_error([&] { g.add("ConcatV2", {a, a, dyn}, {}, "dyn"); },
               {"'dyn'", "axis operand", "compile-time constant"});
  expect_error([&] { g.add("ConcatV2", {a, a, g.constant(Tensor::scalar<int32_t>(2))}, {}, "ax"); },
               {"'ax'", "axis 2"});
  expect_error([&] { g.add("Pack", {a, b}, {}, "pack"); }, {"'pack'", "value 1"});
  expect_error([&] { g.add("Pack", {a, a}, {{"axis", attr_int(3)}}, "packax"); }, {"'packax'", "axis 3"});
  expect_error([&] { g.add("Unpack", {a}, {{"num", attr_int(5)}}, "num"); }, {"'num'", "num = 5"});
}

TEST(ConcatPack, GeneratedMatchesReference) {
  OpGraph g;
  for (DType t : {DType::Float, DType::Int32, DType::Bool}) {
    auto a = g.input(t, {2, 3, 4});
    auto b = g.input(t, {2, 1, 4});
    auto c = g.input(t, {2, 3, 4});
    g.output(g.add("ConcatV2", {a, b, a, g.constant(Tensor::scalar<int32_t>(1))}));
    g.output(g.add("ConcatV2", {a, c, g.constant(Tensor::scalar<int32_t>(-1))}));
    g.output(g.add("ConcatV2", {a, c, g.constant(Tensor::scalar<int32_t>(0))}));
    g.output(g.add("Pack", {a, c}, {{"axis", attr_int(2)}}));
    g.output(g.add("Pack", {a, c, a}, {{"axis", attr_int(0)}}));
    auto u = g.add("Unpack", {a}, {{"axis", attr_int(1)}});
    for (int i = 0; i < 3; ++i) g.output({u.node, i});
  }
  check_generated(g, 8, 0, 0);
}

}  // namespace
}  // namespace tfaot::test
