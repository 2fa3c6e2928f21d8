#include <gtest/gtest.h>

#include "op_test_util.h"

namespace tfaot::test {
namespace {

TEST(Gather, PicksRowsAndZeroesOutOfRange) {
  OpGraph g;
  auto p = g.input(DType::Float, {3, 2});
  auto idx = g.input(DType::Int32, {2, 2});
  g.output(g.add("GatherV2", {p, idx, g.constant(Tensor::scalar<int32_t>(0))}));
  g.output(g.add("GatherV2", {p, g.constant(Tensor::from_vector<int64_t>({3}, {1, 1, 0})),
                              g.constant(Tensor::scalar<int32_t>(-1))}));
  auto out = g.reference({Tensor::from_vector<float>({3, 2}, {1, 2, 3, 4, 5, 6}),
                          Tensor::from_vector<int32_t>({2, 2}, {2, 0, 7, 1})});
  expect_equal(out[0], Tensor::from_vector<float>({2, 2, 2}, {5, 6, 1, 2, 0, 0, 3, 4}));
  expect_equal(out[1], Tensor::from_vector<float>({3, 3}, {2, 2, 1, 4, 4, 3, 6, 6, 5}));
}

TEST(OneHot, AxisAndValues) {
  OpGraph g;
  auto idx = g.input(DType::Int32, {3});
  auto on = g.constant(Tensor::scalar<float>(5));
  auto off = g.constant(Tensor::scalar<float>(-1));
  auto depth = g.constant(Tensor::scalar<int32_t>(3));
  g.output(g.add("OneHot", {idx, depth, on, off}));
  g.output(g.add("OneHot", {idx, depth, on, off}, {{"axis", attr_int(0)}}));
  auto out = g.reference({Tensor::from_vector<int32_t>({3}, {0, 2, -1})});
  expect_equal(out[0], Tensor::from_vector<float>({3, 3}, {5, -1, -1, -1, -1, 5, -1, -1, -1}));
  expect_equal(out[1], Tensor::from_vector<float>({3, 3}, {5, -1, -1, -1, -1, -1, -1, 5, -1}));
}

TEST(Select, V1RowsAndV2Broadcast) {
  OpGraph g;
  auto c = g.input(DType::Bool, {2});
  auto t = g.input(DType::Float, {2, 2});
  auto e = g.input(DType::Float, {2, 2});
  g.output(g.add("Select", {c, t, e}));
  g.output(g.add("SelectV2", {c, t, g.constant(Tensor::scalar<float>(0))}));
  auto out = g.reference({Tensor::from_vector<bool>({2}, {true, false}),
                          Tensor::from_vector<float>({2, 2}, {1, 2, 3, 4}),
                          Tensor::from_vector<float>({2, 2}, {5, 6, 7, 8})});
  expect_equal(out[0], Tensor::from_vector<float>({2, 2}, {1, 2, 7, 8}));
  expect_equal(out[1], Tensor::from_vector<float>({2, 2}, {1, 0, 3, 0}));  // condition per column
}

TEST(Split, EqualAndSizes) {
  OpGraph g;
  auto x = g.input(DType::Float, {2, 4});
  auto s = g.add("Split", {g.constant(Tensor::scalar<int32_t>(1)), x}, {{"num_split", attr_int(2)}});
  auto v = g.add("SplitV", {x, g.constant(Tensor::from_vector<int64_t>({3}, {1, -1, 1})),
                            g.constant(Tensor::scalar<int32_t>(-1))}, {{"num_split", attr_int(3)}});
  for (int i = 0; i < 2; ++i) g.output({s.node, i});
  for (int i = 0; i < 3; ++i) g.output({v.node, i});
  auto out = g.reference({Tensor::from_vector<float>({2, 4}, {1, 2, 3, 4, 5, 6, 7, 8})});
  expect_equal(out[0], Tensor::from_vector<float>({2, 2}, {1, 2, 5, 6}));
  expect_equal(out[1], Tensor::from_vector<float>({2, 2}, {3, 4, 7, 8}));
  expect_equal(out[3], Tensor::from_vector<float>({2, 2}, {2, 3, 6, 7}));
  expect_equal(out[4], Tensor::from_vector<float>({2, 1}, {4, 8}));
}

TEST(GatherSelectSplit, Errors) {
  OpGraph g;
  auto x = g.input(DType::Float, {2, 3});
  auto fi = g.input(DType::Float, {2});
  auto b = g.input(DType::Bool, {2});
  expect_error([&] { g.add("GatherV2", {x, fi, g.constant(Tensor::scalar<int32_t>(0))}, {}, "gi"); },
               {"'gi'", "indices"});
  expect_error([&] { g.add("SelectV2", {b, x, x}, {}, "sel"); }, {"'sel'", "[2] and [2,3]"});
  expect_error([&] { g.add("Select", {x, x, x}, {}, "cond"); }, {"'cond'", "condition"});
  expect_error([&] { g.add("Split", {g.constant(Tensor::scalar<int32_t>(1)), x}, {{"num_split", attr_int(2)}}, "sp"); },
               {"'sp'", "not divisible"});
  expect_error([&] { g.add("OneHot", {g.input(DType::Int32, {2}), g.input(DType::Int32, {}),
                                      g.constant(Tensor::scalar<float>(1)), g.constant(Tensor::scalar<float>(0))}, {}, "oh"); },
               {"'oh'", "depth operand"});
}

TEST(GatherSelectSplit, GeneratedMatchesReference) {
  OpGraph g;
  for (DType t : {DType::Float, DType::Int64, DType::Bool}) {
    auto p = g.input(t, {4, 3, 2});
    auto idx = g.constant(Tensor::from_vector<int32_t>({2, 3}, {3, 0, 1, 1, 9, -2}));
    g.output(g.add("GatherV2", {p, idx, g.constant(Tensor::scalar<int32_t>(0))}));
    g.output(g.add("GatherV2", {p, idx, g.constant(Tensor::scalar<int32_t>(1))}));
    g.output(g.add("Gather", {p, idx}));
    auto c = g.input(DType::Bool, {3, 1});
    g.output(g.add("SelectV2", {c, p, g.input(t, {2})}));
    g.output(g.add("Select", {g.input(DType::Bool, {4}), p, g.input(t, {4, 3, 2})}));
    auto oh_idx = g.constant(Tensor::from_vector<int64_t>({2, 2}, {0, 3, 5, 1}));
    g.output(g.add("OneHot", {oh_idx, g.constant(Tensor::scalar<int32_t>(4)), g.input(t, {}), g.input(t, {})},
                   {{"axis", attr_int(1)}}));
    auto s = g.add("SplitV", {p, g.constant(Tensor::from_vector<int32_t>({2}, {1, 2})),
                              g.constant(Tensor::scalar<int32_t>(1))}, {{"num_split", attr_int(2)}});
    g.output({s.node, 0});
    g.output({s.node, 1});
    auto s2 = g.add("Split", {g.constant(Tensor::scalar<int32_t>(0)), p}, {{"num_split", attr_int(2)}});
    g.output({s2.node, 1});
  }
  check_generated(g, 11, 0, 0);
}

}  // namespace
}  // namespace tfaot::test
