#include <gtest/gtest.h>

#include "op_test_util.h"

namespace tfaot::test {
namespace {

ir::AttrMap bmm_attrs(DType t, bool adj_x = false, bool adj_y = false) {
  return {{"T", attr_type(t)}, {"adj_x", attr_bool(adj_x)}, {"adj_y", attr_bool(adj_y)}};
}

TEST(BatchMatMul, AdjointsHandComputed) {
  OpGraph g;
  auto x = g.input(DType::Float, {2, 2, 2});
  auto y = g.input(DType::Float, {2, 2, 2});
  g.output(g.add("BatchMatMul", {x, y}, bmm_attrs(DType::Float)));
  g.output(g.add("BatchMatMulV2", {x, y}, bmm_attrs(DType::Float, true, false)));
  g.output(g.add("BatchMatMulV2", {x, y}, bmm_attrs(DType::Float, false, true)));
  auto r = g.reference({Tensor::from_vector<float>({2, 2, 2}, {1, 2, 3, 4, 1, 0, 0, 2}),
                        Tensor::from_vector<float>({2, 2, 2}, {5, 6, 7, 8, 1, 2, 3, 4})});
  // batch 0: [[1,2],[3,4]] x [[5,6],[7,8]]; batch 1: diag(1,2) x [[1,2],[3,4]].
  expect_equal(r[0], Tensor::from_vector<float>({2, 2, 2}, {19, 22, 43, 50, 1, 2, 6, 8}));
  expect_equal(r[1], Tensor::from_vector<float>({2, 2, 2}, {26, 30, 38, 44, 1, 2, 6, 8}));
  expect_equal(r[2], Tensor::from_vector<float>({2, 2, 2}, {17, 23, 39, 53, 1, 3, 4, 8}));
}

TEST(BatchMatMul, BroadcastsBatchDims) {
  OpGraph g;
  auto x = g.input(DType::Int32, {2, 1, 1, 2});
  auto y = g.input(DType::Int32, {3, 2, 1});
  auto v = g.add("BatchMatMulV3", {x, y},
                 {{"Ta", attr_type(DType::Int32)},
                  {"Tb", attr_type(DType::Int32)},
                  {"Tout", attr_type(DType::Int32)}});
  g.output(v);
  EXPECT_EQ(v.node->outputs[0].shape, (Shape{2, 3, 1, 1}));
  auto r = g.reference({Tensor::from_vector<int32_t>({2, 1, 1, 2}, {1, 2, 10, 20}),
                        Tensor::from_vector<int32_t>({3, 2, 1}, {1, 0, 0, 1, 1, 1})});
  expect_equal(r[0], Tensor::from_vector<int32_t>({2, 3, 1, 1}, {1, 2, 3, 10, 20, 30}));
}

TEST(BatchMatMul, Errors) {
  OpGraph g;
  auto x = g.input(DType::Float, {2, 3, 4});
  auto y = g.input(DType::Float, {2, 5, 6});
  auto y1 = g.input(DType::Float, {1, 4, 6});
  auto v = g.input(DType::Float, {4});
  auto yd = g.input(DType::Double, {2, 4, 6});
  expect_error([&] { g.add("BatchMatMulV2", {x, y}, bmm_attrs(DType::Float), "k"); },
               {"'k'", "contracted"});
  expect_error([&] { g.add("BatchMatMul", {x, y1}, bmm_attrs(DType::Float), "b"); },
               {"'b'", "does not broadcast"});
  expect_error([&] { g.add("BatchMatMulV2", {x, v}, bmm_attrs(DType::Float), "r"); },
               {"'r'", "rank >= 2"});
  expect_error([&] {
    g.add("BatchMatMulV3", {x, yd},
          {{"Ta", attr_type(DType::Float)}, {"Tb", attr_type(DType::Double)},
           {"Tout", attr_type(DType::Float)}}, "mix");
  }, {"'mix'", "Tb=float64"});
}

TEST(BatchMatMul, GeneratedMatchesReference) {
  OpGraph g;
  for (DType t : {DType::Float, DType::Double}) {
    for (bool ax : {false, true})
      for (bool ay : {false, true}) {
        Shape xs = ax ? Shape{3, 5, 4} : Shape{3, 4, 5};
        Shape ys = ay ? Shape{6, 5} : Shape{5, 6};
        g.output(g.add("BatchMatMulV2", {g.input(t, xs), g.input(t, ys)}, bmm_attrs(t, ax, ay)));
      }
    g.output(g.add("BatchMatMulV2", {g.input(t, {2, 1, 3, 4}), g.input(t, {3, 4, 2})},
                   bmm_attrs(t)));
    g.output(g.add("BatchMatMul", {g.input(t, {2, 2, 7, 3}), g.input(t, {2, 2, 3, 1})},
                   bmm_attrs(t)));
    // Long contiguous dot products (adj_y, K = 21).
    g.output(g.add("BatchMatMulV2", {g.input(t, {2, 3, 21}), g.input(t, {2, 4, 21})},
                   bmm_attrs(t, false, true)));
  }
  for (DType t : {DType::Int32, DType::Int64})
    g.output(g.add("BatchMatMulV2", {g.input(t, {2, 3, 4}), g.input(t, {4, 5})},
                   bmm_attrs(t, false, false)));
  check_generated(g, 6, 1e-5, 1e-5);
}

}  // namespace
}  // namespace tfaot::test
