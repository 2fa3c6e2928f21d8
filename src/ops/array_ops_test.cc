#include <gtest/gtest.h>

#include <numeric>

#include "op_test_util.h"

namespace tfaot::test {
namespace {

ir::Value ints(OpGraph& g, std::vector<int32_t> v, Shape shape = {}) {
  if (shape.empty()) shape = {static_cast<int64_t>(v.size())};
  return g.constant(Tensor::from_vector<int32_t>(shape, v));
}

Tensor iota(Shape shape) {
  std::vector<float> v(static_cast<size_t>(num_elements(shape)));
  std::iota(v.begin(), v.end(), 0.0f);
  return Tensor::from_vector<float>(shape, v);
}

TEST(ArrayOps, HandComputed) {
  OpGraph g;
  auto x = g.input(DType::Float, {2, 3});
  g.output(g.add("Transpose", {x, ints(g, {1, 0})}));
  g.output(g.add("Tile", {x, ints(g, {2, 1})}));
  g.output(g.add("ReverseV2", {x, ints(g, {-1})}));
  g.output(g.add("BroadcastTo", {x, ints(g, {2, 2, 3})}));
  g.output(g.add("Pad", {x, ints(g, {1, 0, 0, 1}, {2, 2})}));
  g.output(g.add("PadV2", {x, ints(g, {0, 0, 1, 1}, {2, 2}), g.constant(Tensor::scalar<float>(-1))}));
  g.output(g.add("Fill", {ints(g, {2, 2}), g.constant(Tensor::scalar<float>(7))}));
  g.output(g.add("OnesLike", {x}));
  g.output(g.add("AddN", {x, x, x}));
  auto out = g.reference({iota({2, 3})});
  expect_equal(out[0], Tensor::from_vector<float>({3, 2}, {0, 3, 1, 4, 2, 5}), "transpose");
  expect_equal(out[1], Tensor::from_vector<float>({4, 3}, {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5}), "tile");
  expect_equal(out[2], Tensor::from_vector<float>({2, 3}, {2, 1, 0, 5, 4, 3}), "reverse");
  expect_equal(out[3], Tensor::from_vector<float>({2, 2, 3}, {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5}), "bcast");
  expect_equal(out[4], Tensor::from_vector<float>({3, 4}, {0, 0, 0, 0, 0, 1, 2, 0, 3, 4, 5, 0}), "pad");
  expect_equal(out[5], Tensor::from_vector<float>({2, 5}, {-1, 0, 1, 2, -1, -1, 3, 4, 5, -1}), "padv2");
  expect_equal(out[6], Tensor::from_vector<float>({2, 2}, {7, 7, 7, 7}), "fill");
  expect_equal(out[7], Tensor::from_vector<float>({2, 3}, {1, 1, 1, 1, 1, 1}), "ones");
  expect_equal(out[8], Tensor::from_vector<float>({2, 3}, {0, 3, 6, 9, 12, 15}), "addn");
}

TEST(ArrayOps, MirrorPad) {
  OpGraph g;
  auto x = g.input(DType::Float, {3});
  auto pads = ints(g, {2, 2}, {1, 2});
  g.output(g.add("MirrorPad", {x, pads}, {{"mode", attr_string("REFLECT")}}));
  g.output(g.add("MirrorPad", {x, pads}, {{"mode", attr_string("SYMMETRIC")}}));
  auto out = g.reference({Tensor::from_vector<float>({3}, {1, 2, 3})});
  expect_equal(out[0], Tensor::from_vector<float>({7}, {3, 2, 1, 2, 3, 2, 1}));
  expect_equal(out[1], Tensor::from_vector<float>({7}, {2, 1, 1, 2, 3, 3, 2}));
  expect_error([&] { g.add("MirrorPad", {x, ints(g, {3, 0}, {1, 2})}, {{"mode", attr_string("REFLECT")}}, "mp"); },
               {"'mp'", "exceed"});
}

TEST(ArrayOps, Errors) {
  OpGraph g;
  auto x = g.input(DType::Float, {2, 3});
  auto dyn = g.input(DType::Int32, {2});
  expect_error([&] { g.add("Transpose", {x, ints(g, {0, 0})}, {}, "perm"); }, {"'perm'", "repeats"});
  expect_error([&] { g.add("Transpose", {x, dyn}, {}, "dyn"); }, {"'dyn'", "compile-time constant"});
  expect_error([&] { g.add("Tile", {x, ints(g, {2})}, {}, "tile"); }, {"'tile'", "multiples"});
  expect_error([&] { g.add("BroadcastTo", {x, ints(g, {4, 3})}, {}, "bc"); }, {"'bc'", "[2,3]"});
  expect_error([&] { g.add("Pad", {x, ints(g, {1, 1})}, {}, "pad"); }, {"'pad'", "paddings"});
  expect_error([&] { g.add("Fill", {dyn, g.constant(Tensor::scalar<float>(1))}, {}, "fill"); },
               {"'fill'", "dims operand"});
  expect_error([&] { g.add("AddN", {x, g.input(DType::Float, {3, 2})}, {}, "addn"); },
               {"'addn'", "input 1"});
}

TEST(ArrayOps, GeneratedMatchesReference) {
  OpGraph g;
  for (DType t : {DType::Float, DType::Int32, DType::Bool}) {
    auto x = g.input(t, {2, 3, 4});
    g.output(g.add("Transpose", {x, ints(g, {2, 0, 1})}));
    g.output(g.add("Transpose", {x, ints(g, {0, 2, 1})}));
    g.output(g.add("Tile", {x, ints(g, {2, 1, 3})}));
    g.output(g.add("ReverseV2", {x, ints(g, {0, 2})}));
    g.output(g.add("BroadcastTo", {g.input(t, {3, 1}), ints(g, {2, 3, 4})}));
    g.output(g.add("Pad", {x, ints(g, {0, 1, 2, 0, 1, 1}, {3, 2})}));
    g.output(g.add("PadV2", {x, ints(g, {1, 0, 0, 0, 0, 2}, {3, 2}), g.input(t, {})}));
    g.output(g.add("Fill", {ints(g, {3, 2}), g.input(t, {})}));
    g.output(g.add("ZerosLike", {x}));
    g.output(g.add("OnesLike", {x}));
    if (t != DType::Bool) g.output(g.add("AddN", {x, x, g.input(t, {2, 3, 4})}));
    g.output(g.add("MirrorPad", {x, ints(g, {1, 1, 0, 2, 3, 0}, {3, 2})}, {{"mode", attr_string("REFLECT")}}));
    g.output(g.add("MirrorPad", {x, ints(g, {2, 0, 3, 1, 1, 4}, {3, 2})}, {{"mode", attr_string("SYMMETRIC")}}));
  }
  check_generated(g, 9, 0, 0);
}

}  // namespace
}  // namespace tfaot::test
