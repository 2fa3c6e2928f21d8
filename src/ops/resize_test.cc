#include <gtest/gtest.h>

#include "op_test_util.h"

namespace tfaot::test {
namespace {

ir::Value resize(OpGraph& g, const std::string& op, ir::Value x, int32_t h, int32_t w,
                 bool align, bool half, const std::string& name = "") {
  auto size = g.constant(Tensor::from_vector<int32_t>({2}, {h, w}));
  return g.add(op, {x, size},
               {{"align_corners", attr_bool(align)}, {"half_pixel_centers", attr_bool(half)}},
               name);
}

TEST(ResizeNearestNeighbor, SourceIndices) {
  OpGraph g;
  auto x = g.input(DType::Int32, {1, 3, 3, 1});
  auto row = g.input(DType::Float, {1, 1, 5, 1});
  // 3 -> 2: legacy floor(i * 1.5) = 0, 1; half-pixel floor((i + .5) * 1.5) = 0, 2;
  // align_corners round(i * 2) = 0, 2.
  g.output(resize(g, "ResizeNearestNeighbor", x, 2, 2, false, false));
  g.output(resize(g, "ResizeNearestNeighbor", x, 2, 2, false, true));
  g.output(resize(g, "ResizeNearestNeighbor", x, 2, 2, true, false));
  // 5 -> 3: legacy 0, 1, 3; half-pixel 0, 2, 4. 5 -> 8 upsampling, legacy: floor(i * 5/8).
  g.output(resize(g, "ResizeNearestNeighbor", row, 1, 3, false, false));
  g.output(resize(g, "ResizeNearestNeighbor", row, 1, 3, false, true));
  g.output(resize(g, "ResizeNearestNeighbor", row, 1, 8, false, false));
  auto r = g.reference({Tensor::from_vector<int32_t>({1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9}),
                        Tensor::from_vector<float>({1, 1, 5, 1}, {0, 1, 2, 3, 4})});
  expect_equal(r[0], Tensor::from_vector<int32_t>({1, 2, 2, 1}, {1, 2, 4, 5}));
  expect_equal(r[1], Tensor::from_vector<int32_t>({1, 2, 2, 1}, {1, 3, 7, 9}));
  expect_equal(r[2], Tensor::from_vector<int32_t>({1, 2, 2, 1}, {1, 3, 7, 9}));
  expect_equal(r[3], Tensor::from_vector<float>({1, 1, 3, 1}, {0, 1, 3}));
  expect_equal(r[4], Tensor::from_vector<float>({1, 1, 3, 1}, {0, 2, 4}));
  expect_equal(r[5], Tensor::from_vector<float>({1, 1, 8, 1}, {0, 0, 1, 1, 2, 3, 3, 4}));
}

TEST(ResizeBilinear, Weights) {
  OpGraph g;
  auto x = g.input(DType::Int32, {1, 1, 2, 1});
  g.output(resize(g, "ResizeBilinear", x, 1, 3, true, false));
  g.output(resize(g, "ResizeBilinear", x, 1, 3, false, true));
  g.output(resize(g, "ResizeBilinear", x, 1, 3, false, false));
  auto r = g.reference({Tensor::from_vector<int32_t>({1, 1, 2, 1}, {0, 10})});
  expect_close(r[0], Tensor::from_vector<float>({1, 1, 3, 1}, {0, 5, 10}), 1e-6, 1e-6);
  expect_close(r[1], Tensor::from_vector<float>({1, 1, 3, 1}, {0, 5, 10}), 1e-6, 1e-6);
  expect_close(r[2], Tensor::from_vector<float>({1, 1, 3, 1}, {0, 20.f / 3, 10}), 1e-6, 1e-6);
}

TEST(ResizeNearestNeighbor, Errors) {
  OpGraph g;
  auto x = g.input(DType::Float, {1, 3, 3, 1});
  auto x3 = g.input(DType::Float, {3, 3, 1});
  expect_error([&] { resize(g, "ResizeNearestNeighbor", x, 2, 2, true, true, "both"); },
               {"'both'", "align_corners"});
  expect_error([&] { resize(g, "ResizeNearestNeighbor", x3, 2, 2, false, false, "rank"); },
               {"'rank'", "4-D"});
  expect_error([&] { resize(g, "ResizeNearestNeighbor", x, 0, 2, false, false, "zero"); },
               {"'zero'", "positive"});
  auto size = g.input(DType::Int32, {2});
  expect_error([&] { g.add("ResizeNearestNeighbor", {x, size}, {}, "dyn"); },
               {"'dyn'", "compile-time constant"});
}

TEST(Resize, GeneratedMatchesReference) {
  OpGraph g;
  auto x = g.input(DType::Float, {2, 5, 7, 3});
  auto xi = g.input(DType::Int32, {1, 4, 3, 2});
  for (auto [align, half] : {std::pair{false, false}, {false, true}, {true, false}}) {
    g.output(resize(g, "ResizeNearestNeighbor", x, 9, 4, align, half));
    g.output(resize(g, "ResizeNearestNeighbor", xi, 3, 7, align, half));
    g.output(resize(g, "ResizeBilinear", x, 3, 11, align, half));
    g.output(resize(g, "ResizeBilinear", xi, 7, 2, align, half));
  }
  check_generated(g, 8, 1e-6, 1e-6);
}

}  // namespace
}  // namespace tfaot::test
