#include <gtest/gtest.h>

#include <numeric>

#include "op_test_util.h"

namespace tfaot::test {
namespace {

struct Masks {
  int64_t begin = 0, end = 0, ellipsis = 0, new_axis = 0, shrink = 0;
};

ir::Value strided_slice(OpGraph& g, ir::Value x, std::vector<int32_t> b, std::vector<int32_t> e,
                        std::vector<int32_t> s, Masks m = {}, const std::string& name = "") {
  auto n = static_cast<int64_t>(b.size());
  ir::AttrMap attrs = {{"begin_mask", attr_int(m.begin)},       {"end_mask", attr_int(m.end)},
                       {"ellipsis_mask", attr_int(m.ellipsis)}, {"new_axis_mask", attr_int(m.new_axis)},
                       {"shrink_axis_mask", attr_int(m.shrink)}, {"Index", attr_type(DType::Int32)}};
  return g.add("StridedSlice",
               {x, g.constant(Tensor::from_vector<int32_t>({n}, b)),
                g.constant(Tensor::from_vector<int32_t>({static_cast<int64_t>(e.size())}, e)),
                g.constant(Tensor::from_vector<int32_t>({static_cast<int64_t>(s.size())}, s))},
               attrs, name);
}

Tensor iota(Shape shape) {
  std::vector<float> v(static_cast<size_t>(num_elements(shape)));
  std::iota(v.begin(), v.end(), 0.0f);
  return Tensor::from_vector<float>(shape, v);
}

TEST(StridedSlice, TensorFlowSemantics) {
  OpGraph g;
  auto x = g.input(DType::Float, {2, 3, 4});
  g.output(strided_slice(g, x, {1}, {2}, {1}, {.shrink = 1}));                    // x[1]
  g.output(strided_slice(g, x, {0, 0, 1}, {0, 0, 3}, {1, -1, 1}, {.begin = 3, .end = 3}));  // x[:, ::-1, 1:3]
  g.output(strided_slice(g, x, {0, 0}, {0, 1}, {1, 1}, {.ellipsis = 1, .shrink = 2}));    // x[..., 0]
  g.output(strided_slice(g, x, {0, 0, -1}, {0, 1, 0}, {1, 1, 1}, {.new_axis = 1, .shrink = 6}));  // x[None, 0, -1]
  g.output(strided_slice(g, x, {0, 5}, {1, -10}, {1, -1}, {.shrink = 1}));  // x[0, 5:-10:-1] clamps
  g.output(strided_slice(g, x, {0, 2}, {0, 1}, {1, 1}, {.begin = 1, .end = 1}));  // x[:, 2:1] empty
  g.output(strided_slice(g, x, {0, 0, 0}, {0, 0, 0}, {1, 1, 3}, {.begin = 7, .end = 7}));  // x[:, :, ::3]
  g.output(strided_slice(g, x, {-1}, {-3}, {-1}, {}));  // x[-1:-3:-1]: end clamps to -1 -> rows 1, 0
  auto out = g.reference({iota({2, 3, 4})});
  auto at = [&](std::vector<std::array<int, 3>> idx, Shape shape) {
    std::vector<float> v;
    for (auto [i, j, k] : idx) v.push_back(float(i * 12 + j * 4 + k));
    return Tensor::from_vector<float>(shape, v);
  };
  std::vector<std::array<int, 3>> e0, e1, e2, e3, e4, e6, e7;
  for (int j = 0; j < 3; ++j)
    for (int k = 0; k < 4; ++k) e0.push_back({1, j, k});
  for (int i = 0; i < 2; ++i)
    for (int j = 2; j >= 0; --j)
      for (int k = 1; k < 3; ++k) e1.push_back({i, j, k});
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j) e2.push_back({i, j, 0});
  for (int k = 0; k < 4; ++k) e3.push_back({0, 2, k});
  for (int j = 2; j >= 0; --j)
    for (int k = 0; k < 4; ++k) e4.push_back({0, j, k});
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k : {0, 3}) e6.push_back({i, j, k});
  for (int i = 1; i >= 0; --i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 4; ++k) e7.push_back({i, j, k});
  expect_equal(out[0], at(e0, {3, 4}), "x[1]");
  expect_equal(out[1], at(e1, {2, 3, 2}), "x[:, ::-1, 1:3]");
  expect_equal(out[2], at(e2, {2, 3}), "x[..., 0]");
  expect_equal(out[3], at(e3, {1, 4}), "x[None, 0, -1]");
  expect_equal(out[4], at(e4, {3, 4}), "x[0, 5:-10:-1]");
  expect_equal(out[5], Tensor(DType::Float, {2, 0, 4}), "x[:, 2:1]");
  expect_equal(out[6], at(e6, {2, 3, 2}), "x[:, :, ::3]");
  expect_equal(out[7], at(e7, {2, 3, 4}), "x[-1:-3:-1]");
}

TEST(StridedSlice, ShapeToScalarAsKerasEmits) {
  OpGraph g;
  auto x = g.input(DType::Float, {7, 4});
  auto shape = g.add("Shape", {x}, {{"out_type", attr_type(DType::Int32)}});
  g.output(strided_slice(g, shape, {0}, {1}, {1}, {.shrink = 1}));
  auto out = g.reference({Tensor(DType::Float, {7, 4})});
  expect_equal(out[0], Tensor::scalar<int32_t>(7));
}

TEST(Slice, BeginAndSize) {
  OpGraph g;
  auto x = g.input(DType::Float, {2, 3, 4});
  g.output(g.add("Slice", {x, g.constant(Tensor::from_vector<int64_t>({3}, {1, 1, 0})),
                           g.constant(Tensor::from_vector<int64_t>({3}, {1, -1, 2}))}));
  auto out = g.reference({iota({2, 3, 4})});
  expect_equal(out[0], Tensor::from_vector<float>({1, 2, 2}, {16, 17, 20, 21}));
}

TEST(StridedSlice, Errors) {
  OpGraph g;
  auto x = g.input(DType::Float, {2, 3});
  auto dyn = g.input(DType::Int32, {1});
  auto c1 = g.constant(Tensor::from_vector<int32_t>({1}, {1}));
  expect_error([&] { g.add("StridedSlice", {x, dyn, c1, c1}, {}, "dyn"); },
               {"'dyn'", "begin operand", "compile-time constant"});
  expect_error([&] { strided_slice(g, x, {5}, {6}, {1}, {.shrink = 1}, "oob"); },
               {"'oob'", "out of bounds"});
  expect_error([&] { strided_slice(g, x, {0}, {1}, {0}, {}, "zero"); }, {"'zero'", "stride"});
  expect_error([&] { strided_slice(g, x, {0, 0}, {1, 1}, {1, 1}, {.ellipsis = 3}, "ell"); },
               {"'ell'", "multiple ellipses"});
  expect_error([&] { strided_slice(g, x, {0, 0, 0}, {1, 1, 1}, {1, 1, 1}, {}, "rank"); },
               {"'rank'", "out of range"});
  expect_error([&] {
    g.add("Slice", {x, g.constant(Tensor::from_vector<int32_t>({2}, {1, 0})),
                    g.constant(Tensor::from_vector<int32_t>({2}, {2, 1}))}, {}, "slice");
  }, {"'slice'", "out of bounds"});
}

TEST(StridedSlice, GeneratedMatchesReference) {
  OpGraph g;
  for (DType t : {DType::Float, DType::Int64, DType::Bool}) {
    auto x = g.input(t, {3, 4, 5});
    g.output(strided_slice(g, x, {1}, {2}, {1}, {.shrink = 1}));
    g.output(strided_slice(g, x, {0, 0, 1}, {0, 0, 4}, {1, -1, 2}, {.begin = 3, .end = 3}));
    g.output(strided_slice(g, x, {0, 0}, {0, 1}, {1, 1}, {.ellipsis = 1, .shrink = 2}));
    g.output(strided_slice(g, x, {0, -1, 0}, {0, -5, 0}, {1, -2, 1}, {.begin = 5, .end = 5, .new_axis = 1}));
    g.output(strided_slice(g, x, {2, 1}, {0, 3}, {-1, 1}, {}));
    g.output(strided_slice(g, x, {0, 2}, {0, 1}, {1, 1}, {.begin = 1, .end = 1}));  // empty
    g.output(g.add("Slice", {x, g.constant(Tensor::from_vector<int32_t>({3}, {1, 0, 2})),
                             g.constant(Tensor::from_vector<int32_t>({3}, {2, -1, 3}))}));
  }
  check_generated(g, 5, 0, 0);
}

}  // namespace
}  // namespace tfaot::test
