// Op::flops on hand-counted shapes: contractions and convolutions count 2 per multiply-add,
// pooling and reductions one per element read, data movement nothing, the rest one per output.
#include <gtest/gtest.h>

#include "op_test_util.h"
#include "ops/op.h"

namespace tfaot::test {
namespace {

uint64_t flops_of(const OpGraph& g) { return ops::find_op(g.last()->op)->flops(*g.last()); }

ir::AttrMap float_attrs(ir::AttrMap extra = {}) {
  extra["T"] = attr_type(DType::Float);
  return extra;
}

TEST(Flops, Contractions) {
  OpGraph g;
  auto a = g.input(DType::Float, {3, 5});
  auto b = g.input(DType::Float, {5, 7});
  g.add("MatMul", {a, b}, float_attrs());
  EXPECT_EQ(flops_of(g), 2u * 3 * 5 * 7);
  auto at = g.input(DType::Float, {5, 3});
  g.add("MatMul", {at, b}, float_attrs({{"transpose_a", attr_bool(true)}}));
  EXPECT_EQ(flops_of(g), 2u * 3 * 5 * 7);
  auto x = g.input(DType::Float, {2, 4, 3, 5});
  auto y = g.input(DType::Float, {5, 6});
  g.add("BatchMatMulV2", {x, y}, float_attrs());
  EXPECT_EQ(flops_of(g), 2u * 2 * 4 * 3 * 6 * 5);
  g.add("Einsum", {a, b}, float_attrs({{"equation", attr_string("ij,jk->ik")}, {"N", attr_int(2)}}));
  EXPECT_EQ(flops_of(g), 2u * 3 * 5 * 7);
  auto w = g.constant(Tensor(DType::Float, {5, 7}));
  auto bias = g.constant(Tensor(DType::Float, {7}));
  g.add("_FusedDense", {a, w, bias}, float_attrs({{"activation", attr_string("Relu")}}));
  EXPECT_EQ(flops_of(g), 3u * 7 * (2 * 5 + 2));
}

TEST(Flops, ConvolutionsAndPooling) {
  OpGraph g;
  auto x = g.input(DType::Float, {2, 8, 8, 4});
  auto f = g.constant(Tensor(DType::Float, {3, 3, 4, 6}));
  ir::AttrMap conv = float_attrs({{"padding", attr_string("SAME")}, {"strides", attr_ints({1, 1, 1, 1})}});
  g.add("Conv2D", {x, f}, conv);
  EXPECT_EQ(flops_of(g), 2u * (2 * 8 * 8 * 6) * (3 * 3 * 4));
  auto df = g.constant(Tensor(DType::Float, {3, 3, 4, 2}));
  g.add("DepthwiseConv2dNative", {x, df}, conv);
  EXPECT_EQ(flops_of(g), 2u * (2 * 8 * 8 * 8) * (3 * 3));
  g.add("MaxPool", {x}, float_attrs({{"padding", attr_string("VALID")},
                                     {"ksize", attr_ints({1, 2, 2, 1})},
                                     {"strides", attr_ints({1, 2, 2, 1})}}));
  EXPECT_EQ(flops_of(g), (2u * 4 * 4 * 4) * 4);
}

TEST(Flops, ElementwiseReductionAndDataMovement) {
  OpGraph g;
  auto x = g.input(DType::Float, {6, 10});
  g.add("Relu", {x}, float_attrs());
  EXPECT_EQ(flops_of(g), 60u);
  g.add("Sum", {x, g.constant(Tensor::from_vector<int32_t>({1}, {1}))},
        float_attrs({{"Tidx", attr_type(DType::Int32)}}));
  EXPECT_EQ(flops_of(g), 60u);
  g.add("Reshape", {x, g.constant(Tensor::from_vector<int32_t>({1}, {60}))},
        float_attrs({{"Tshape", attr_type(DType::Int32)}}));
  EXPECT_EQ(flops_of(g), 0u);
  g.add("Transpose", {x, g.constant(Tensor::from_vector<int32_t>({2}, {1, 0}))},
        float_attrs({{"Tperm", attr_type(DType::Int32)}}));
  EXPECT_EQ(flops_of(g), 0u);
}

}  // namespace
}  // namespace tfaot::test
