#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "op_test_util.h"

namespace tfaot::test {
namespace {

Tensor cast(const Tensor& x, DType to) {
  OpGraph g;
  auto in = g.input(x.dtype(), x.shape());
  g.output(g.add("Cast", {in}, {{"SrcT", attr_type(x.dtype())}, {"DstT", attr_type(to)},
                                {"Truncate", attr_bool(false)}}));
  return g.reference({x})[0];
}

TEST(Cast, HandComputed) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  auto f = Tensor::from_vector<float>({6}, {1.9f, -1.9f, 0, nan, 3e9f, -3e9f});
  // Truncation toward zero; NaN -> 0; out of range saturates.
  expect_equal(cast(f, DType::Int32),
               Tensor::from_vector<int32_t>({6}, {1, -1, 0, 0, std::numeric_limits<int32_t>::max(),
                                                  std::numeric_limits<int32_t>::min()}));
  expect_equal(cast(f, DType::Bool),
               Tensor::from_vector<bool>({6}, {true, true, false, true, true, true}));
  expect_equal(cast(Tensor::from_vector<bool>({2}, {true, false}), DType::Float),
               Tensor::from_vector<float>({2}, {1, 0}));
  expect_equal(cast(Tensor::from_vector<int32_t>({3}, {300, -1, 255}), DType::UInt8),
               Tensor::from_vector<uint8_t>({3}, {44, 255, 255}));  // integers wrap
  expect_equal(cast(Tensor::from_vector<int64_t>({2}, {16777217, -5}), DType::Float),
               Tensor::from_vector<float>({2}, {16777216.0f, -5}));  // rounds to nearest
  expect_equal(cast(Tensor::from_vector<double>({2}, {0.1, -2.5}), DType::Float),
               Tensor::from_vector<float>({2}, {0.1f, -2.5f}));
  expect_equal(cast(Tensor::from_vector<float>({2}, {-1.5f, 300.7f}), DType::UInt8),
               Tensor::from_vector<uint8_t>({2}, {0, 255}));
}

TEST(Cast, Errors) {
  OpGraph g;
  auto x = g.input(DType::Float, {2});
  expect_error([&] { g.add("Cast", {x}, {{"SrcT", attr_type(DType::Int32)}, {"DstT", attr_type(DType::Float)}}, "src"); },
               {"'src'", "int32"});
  expect_error([&] { g.add("Cast", {x}, {}, "nodst"); }, {"'nodst'", "DstT"});
  expect_error([&] { g.add("Cast", {x}, {{"DstT", attr_type(DType::String)}}, "str"); },
               {"'str'", "string"});
}

// Conversions are exact operations: generated must equal the reference bit for bit.
TEST(Cast, GeneratedMatchesReference) {
  OpGraph g;
  const DType types[] = {DType::Float, DType::Double, DType::Int32, DType::Int64,
                         DType::Bool,  DType::UInt8,  DType::Int8,  DType::Int16};
  for (DType from : types) {
    auto x = g.input(from, {13});
    for (DType to : types)
      g.output(g.add("Cast", {x}, {{"SrcT", attr_type(from)}, {"DstT", attr_type(to)}}));
  }
  check_generated(g, 6, 0, 0, -300, 300);
  // Out-of-range and NaN values through every float -> int conversion.
  OpGraph h;
  auto x = h.input(DType::Float, {8});
  for (DType to : types) h.output(h.add("Cast", {x}, {{"DstT", attr_type(to)}}));
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  std::vector<Tensor> in = {Tensor::from_vector<float>({8}, {nan, inf, -inf, 3e9f, -3e9f, 1e20f, -0.7f, 255.9f})};
  auto ref = h.reference(in);
  auto gen = h.generated(in);
  for (size_t i = 0; i < ref.size(); ++i) expect_equal(gen[i], ref[i], "special " + std::to_string(i));
}

}  // namespace
}  // namespace tfaot::test
