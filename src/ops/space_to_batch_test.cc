#include <gtest/gtest.h>

#include "op_test_util.h"

namespace tfaot::test {
namespace {

ir::Value ints(OpGraph& g, Shape shape, std::vector<int32_t> v) {
  return g.constant(Tensor::from_vector<int32_t>(std::move(shape), v));
}

std::vector<float> iota(int n) {
  std::vector<float> v;
  for (int i = 1; i <= n; ++i) v.push_back(float(i));
  return v;
}

TEST(SpaceToBatchND, TensorFlowDocExamples) {
  OpGraph g;
  auto x = g.input(DType::Float, {1, 4, 4, 1});
  auto blk = ints(g, {2}, {2, 2});
  g.output(g.add("SpaceToBatchND", {x, blk, ints(g, {2, 2}, {0, 0, 0, 0})}));
  // Padding: one zero row above, spatial 5x4 -> 6x4.
  g.output(g.add("SpaceToBatchND", {x, blk, ints(g, {2, 2}, {1, 1, 0, 0})}));
  auto r = g.reference({Tensor::from_vector<float>({1, 4, 4, 1}, iota(16))});
  expect_equal(r[0], Tensor::from_vector<float>(
                         {4, 2, 2, 1}, {1, 3, 9, 11, 2, 4, 10, 12, 5, 7, 13, 15, 6, 8, 14, 16}));
  expect_equal(r[1], Tensor::from_vector<float>({4, 3, 2, 1}, {0, 0, 5, 7, 13, 15,  //
                                                               0, 0, 6, 8, 14, 16,  //
                                                               1, 3, 9, 11, 0, 0,   //
                                                               2, 4, 10, 12, 0, 0}));
}

TEST(BatchToSpaceND, InvertsSpaceToBatchND) {
  OpGraph g;
  auto x = g.input(DType::Int32, {2, 5, 3, 2});
  auto blk = ints(g, {2}, {3, 2});
  auto pads = ints(g, {2, 2}, {1, 0, 0, 1});
  auto s = g.add("SpaceToBatchND", {x, blk, pads});
  EXPECT_EQ(s.node->outputs[0].shape, (Shape{12, 2, 2, 2}));
  g.output(g.add("BatchToSpaceND", {s, blk, pads}));
  auto in = g.random_inputs(4, -100, 100);
  expect_equal(g.reference(in)[0], in[0]);
}

// TF computes a dilated depthwise convolution as SpaceToBatchND, a VALID convolution and
// BatchToSpaceND (with_space_to_batch); both paths must agree.
TEST(SpaceToBatchND, DilatedDepthwiseIdentity) {
  OpGraph g;
  auto x = g.input(DType::Double, {1, 7, 7, 2});
  auto f = g.input(DType::Double, {3, 3, 2, 1});
  auto attrs = [](std::vector<int64_t> dil) {
    return ir::AttrMap{{"padding", attr_string("VALID")},
                       {"strides", attr_ints({1, 1, 1, 1})},
                       {"dilations", attr_ints(dil)}};
  };
  g.output(g.add("DepthwiseConv2dNative", {x, f}, attrs({1, 2, 2, 1})));
  auto blk = ints(g, {2}, {2, 2});
  auto s = g.add("SpaceToBatchND", {x, blk, ints(g, {2, 2}, {0, 1, 0, 1})});
  auto c = g.add("DepthwiseConv2dNative", {s, f}, attrs({1, 1, 1, 1}));
  g.output(g.add("BatchToSpaceND", {c, blk, ints(g, {2, 2}, {0, 1, 0, 1})}));
  auto r = g.reference(g.random_inputs(5));
  expect_close(r[1], r[0], 1e-12, 1e-12);
}

TEST(SpaceToBatchND, Errors) {
  OpGraph g;
  auto x = g.input(DType::Float, {1, 5, 4, 1});
  auto blk = ints(g, {2}, {2, 2});
  expect_error([&] { g.add("SpaceToBatchND", {x, blk, ints(g, {2, 2}, {0, 0, 0, 0})}, {}, "odd"); },
               {"'odd'", "not a multiple of block size 2"});
  expect_error([&] { g.add("SpaceToBatchND", {x, blk, ints(g, {2}, {0, 0})}, {}, "pads"); },
               {"'pads'", "[2, 2]"});
  expect_error([&] { g.add("BatchToSpaceND", {x, blk, ints(g, {2, 2}, {0, 0, 0, 0})}, {}, "b"); },
               {"'b'", "not a multiple of the block size product 4"});
  auto dyn = g.input(DType::Int32, {2});
  expect_error([&] { g.add("SpaceToBatchND", {x, dyn, ints(g, {2, 2}, {0, 1, 0, 0})}, {}, "dyn"); },
               {"'dyn'", "compile-time constant"});
}

TEST(SpaceToBatchND, GeneratedMatchesReference) {
  OpGraph g;
  auto x = g.input(DType::Float, {2, 5, 6, 3});
  g.output(g.add("SpaceToBatchND", {x, ints(g, {2}, {2, 3}), ints(g, {2, 2}, {2, 1, 1, 2})}));
  g.output(g.add("SpaceToBatchND", {x, ints(g, {1}, {3}), ints(g, {1, 2}, {0, 1})}));
  auto y = g.input(DType::Int32, {12, 2, 3, 2});
  g.output(g.add("BatchToSpaceND", {y, ints(g, {2}, {2, 3}), ints(g, {2, 2}, {1, 0, 2, 3})}));
  g.output(g.add("BatchToSpaceND", {y, ints(g, {2}, {2, 2}), ints(g, {2, 2}, {0, 0, 0, 0})}));
  check_generated(g, 13, 0, 0);
}

}  // namespace
}  // namespace tfaot::test
