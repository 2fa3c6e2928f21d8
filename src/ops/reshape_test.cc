#include <gtest/gtest.h>

#include "op_test_util.h"

namespace tfaot::test {
namespace {

ir::Value shape_const(OpGraph& g, std::vector<int32_t> s) {
  return g.constant(Tensor::from_vector<int32_t>({static_cast<int64_t>(s.size())}, s));
}

TEST(Reshape, InfersMinusOneAndKeepsData) {
  OpGraph g;
  auto x = g.input(DType::Float, {2, 3, 2});
  auto r = g.add("Reshape", {x, shape_const(g, {-1, 4})});
  EXPECT_EQ(shape_str(r.node->outputs[0].shape), "[3,4]");
  g.output(r);
  g.output(g.add("Reshape", {x, shape_const(g, {12})}));
  auto s = g.input(DType::Int32, {1, 1});
  g.output(g.add("Reshape", {s, g.constant(Tensor(DType::Int64, {0}))}));  // to a scalar
  auto e = g.input(DType::Float, {0, 3});
  g.output(g.add("Reshape", {e, shape_const(g, {3, 0})}));
  Tensor xv = Tensor::from_vector<float>({2, 3, 2}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  auto out = g.reference({xv, Tensor::from_vector<int32_t>({1, 1}, {42}), Tensor(DType::Float, {0, 3})});
  expect_equal(out[0], xv.reshaped({3, 4}));
  expect_equal(out[1], xv.reshaped({12}));
  expect_equal(out[2], Tensor::scalar<int32_t>(42));
  expect_equal(out[3], Tensor(DType::Float, {3, 0}));
}

TEST(Reshape, Errors) {
  OpGraph g;
  auto x = g.input(DType::Float, {2, 3});
  auto dyn = g.input(DType::Int32, {2});
  expect_error([&] { g.add("Reshape", {x, dyn}, {}, "dyn"); },
               {"'dyn'", "shape operand", "compile-time constant"});
  expect_error([&] { g.add("Reshape", {x, shape_const(g, {-1, -1})}, {}, "two"); },
               {"'two'", "more than one -1"});
  expect_error([&] { g.add("Reshape", {x, shape_const(g, {4, 2})}, {}, "count"); },
               {"'count'", "cannot reshape"});
  expect_error([&] { g.add("Reshape", {x, shape_const(g, {-1, 4})}, {}, "div"); },
               {"'div'", "cannot reshape"});
}

TEST(ShapeOps, ShapeSizeRankExpandSqueeze) {
  OpGraph g;
  auto x = g.input(DType::Float, {2, 1, 3});
  g.output(g.add("Shape", {x}, {{"out_type", attr_type(DType::Int64)}}));
  g.output(g.add("Shape", {x}));
  g.output(g.add("Size", {x}));
  g.output(g.add("Rank", {x}));
  g.output(g.add("ExpandDims", {x, g.constant(Tensor::scalar<int32_t>(-1))}));
  g.output(g.add("Squeeze", {x}));
  g.output(g.add("Squeeze", {x, }, {{"squeeze_dims", attr_ints({-2})}}));
  auto out = g.reference({Tensor(DType::Float, {2, 1, 3})});
  expect_equal(out[0], Tensor::from_vector<int64_t>({3}, {2, 1, 3}));
  expect_equal(out[1], Tensor::from_vector<int32_t>({3}, {2, 1, 3}));
  expect_equal(out[2], Tensor::scalar<int32_t>(6));
  expect_equal(out[3], Tensor::scalar<int32_t>(3));
  EXPECT_EQ(shape_str(out[4].shape()), "[2,1,3,1]");
  EXPECT_EQ(shape_str(out[5].shape()), "[2,3]");
  EXPECT_EQ(shape_str(out[6].shape()), "[2,3]");
  expect_error([&] { g.add("Squeeze", {x}, {{"squeeze_dims", attr_ints({0})}}, "sq"); },
               {"'sq'", "cannot squeeze dim 0"});
  expect_error([&] { g.add("ExpandDims", {x, g.constant(Tensor::scalar<int32_t>(5))}, {}, "ax"); },
               {"'ax'", "axis 5"});
  expect_error([&] { g.add("Shape", {x}, {{"out_type", attr_type(DType::Float)}}, "ot"); },
               {"'ot'", "out_type"});
}

TEST(ShapeOps, GeneratedMatchesReference) {
  OpGraph g;
  for (DType t : {DType::Float, DType::Int64, DType::Bool}) {
    auto x = g.input(t, {4, 1, 6});
    g.output(g.add("Reshape", {x, shape_const(g, {2, -1, 3})}));
    g.output(g.add("ExpandDims", {x, g.constant(Tensor::scalar<int64_t>(0))}));
    g.output(g.add("Squeeze", {x}));
    g.output(g.add("Shape", {x}));
    g.output(g.add("Shape", {x}, {{"out_type", attr_type(DType::Int64)}}));
  }
  check_generated(g, 7, 0, 0);
}

}  // namespace
}  // namespace tfaot::test
