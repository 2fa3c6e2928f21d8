#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "op_test_util.h"

namespace tfaot::test {
namespace {

ir::AttrMap T(DType t) { return {{"T", attr_type(t)}}; }

// Runs op on two constant-free inputs through the reference interpreter.
Tensor ref2(const std::string& op, const Tensor& a, const Tensor& b, ir::AttrMap attrs = {}) {
  OpGraph g;
  auto x = g.input(a.dtype(), a.shape());
  auto y = g.input(b.dtype(), b.shape());
  g.output(g.add(op, {x, y}, std::move(attrs)));
  return g.reference({a, b})[0];
}

TEST(BinaryElementwise, AddBroadcastsRowAndColumn) {
  auto a = Tensor::from_vector<float>({2, 1}, {1, 2});
  auto b = Tensor::from_vector<float>({3}, {10, 20, 30});
  expect_equal(ref2("AddV2", a, b), Tensor::from_vector<float>({2, 3}, {11, 21, 31, 12, 22, 32}));
  // Scalar against a tensor, and an empty dim broadcasting against 1.
  expect_equal(ref2("Add", Tensor::scalar<float>(1), b),
               Tensor::from_vector<float>({3}, {11, 21, 31}));
  expect_equal(ref2("Sub", Tensor(DType::Float, {0, 3}), Tensor(DType::Float, {1, 1})),
               Tensor(DType::Float, {0, 3}));
}

TEST(BinaryElementwise, IntegerSemantics) {
  auto a = Tensor::from_vector<int32_t>({5}, {7, -7, 7, -7, std::numeric_limits<int32_t>::min()});
  auto b = Tensor::from_vector<int32_t>({5}, {2, 2, -2, 0, -1});
  // Truncating division; x/0 = 0; INT_MIN/-1 wraps.
  expect_equal(ref2("RealDiv", a, b), Tensor::from_vector<int32_t>(
                                          {5}, {3, -3, -3, 0, std::numeric_limits<int32_t>::min()}));
  expect_equal(ref2("FloorDiv", a, b), Tensor::from_vector<int32_t>(
                                           {5}, {3, -4, -4, 0, std::numeric_limits<int32_t>::min()}));
  expect_equal(ref2("FloorMod", a, b), Tensor::from_vector<int32_t>({5}, {1, 1, -1, 0, 0}));
  expect_equal(ref2("TruncateMod", a, b), Tensor::from_vector<int32_t>({5}, {1, -1, 1, 0, 0}));
  // Addition wraps around.
  expect_equal(ref2("AddV2", Tensor::scalar<int32_t>(std::numeric_limits<int32_t>::max()),
                    Tensor::scalar<int32_t>(1)),
               Tensor::scalar<int32_t>(std::numeric_limits<int32_t>::min()));
  expect_equal(ref2("Pow", Tensor::from_vector<int64_t>({3}, {3, 2, 5}),
                    Tensor::from_vector<int64_t>({3}, {4, 10, 0})),
               Tensor::from_vector<int64_t>({3}, {81, 1024, 1}));
}

TEST(BinaryElementwise, FloatSpecialValues) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  auto a = Tensor::from_vector<float>({4}, {nan, 1, -3.5f, 7});
  auto b = Tensor::from_vector<float>({4}, {1, nan, 2, -2});
  auto mx = ref2("Maximum", a, b);
  EXPECT_TRUE(std::isnan(mx.data<float>()[0]));
  EXPECT_TRUE(std::isnan(mx.data<float>()[1]));
  EXPECT_EQ(mx.data<float>()[2], 2);
  EXPECT_EQ(mx.data<float>()[3], 7);
  auto fm = ref2("FloorMod", a, b);
  EXPECT_EQ(fm.data<float>()[2], 0.5f);   // -3.5 mod 2 = 0.5 (sign of divisor)
  EXPECT_EQ(fm.data<float>()[3], -1.0f);  // 7 mod -2 = -1
  expect_equal(ref2("SquaredDifference", Tensor::scalar<float>(3), Tensor::scalar<float>(-1)),
               Tensor::scalar<float>(16));
  expect_equal(ref2("DivNoNan", Tensor::from_vector<float>({2}, {1, 3}), Tensor::from_vector<float>({2}, {0, 2})),
               Tensor::from_vector<float>({2}, {0, 1.5f}));
  expect_equal(ref2("RealDiv", Tensor::scalar<double>(1), Tensor::scalar<double>(0)),
               Tensor::scalar<double>(std::numeric_limits<double>::infinity()));
}

TEST(BinaryElementwise, ComparisonsGiveBool) {
  auto a = Tensor::from_vector<float>({2, 2}, {1, 2, 3, 4});
  auto b = Tensor::from_vector<float>({2}, {2, 3});
  expect_equal(ref2("Greater", a, b), Tensor::from_vector<bool>({2, 2}, {false, false, true, true}));
  expect_equal(ref2("LessEqual", a, b), Tensor::from_vector<bool>({2, 2}, {true, true, false, false}));
  expect_equal(ref2("Equal", a, b), Tensor::from_vector<bool>({2, 2}, {false, false, false, false}));
  expect_equal(ref2("NotEqual", Tensor::from_vector<bool>({2}, {true, false}),
                    Tensor::scalar<bool>(true)),
               Tensor::from_vector<bool>({2}, {false, true}));
  // incompatible_shape_error=false: incompatible shapes compare as a scalar.
  expect_equal(ref2("Equal", Tensor(DType::Int32, {2}), Tensor(DType::Int32, {3}),
                    {{"incompatible_shape_error", attr_bool(false)}}),
               Tensor::scalar<bool>(false));
  expect_equal(ref2("LogicalAnd", Tensor::from_vector<bool>({2}, {true, false}),
                    Tensor::from_vector<bool>({2}, {true, true})),
               Tensor::from_vector<bool>({2}, {true, false}));
}

TEST(BinaryElementwise, Errors) {
  OpGraph g;
  auto f = g.input(DType::Float, {2, 3});
  auto i = g.input(DType::Int32, {2, 3});
  auto f4 = g.input(DType::Float, {4});
  auto bl = g.input(DType::Bool, {2});
  expect_error([&] { g.add("AddV2", {f, i}, {}, "mixed"); }, {"'mixed'", "input 1 is int32"});
  expect_error([&] { g.add("Mul", {f, f4}, {}, "bcast"); }, {"'bcast'", "[2,3] and [4]"});
  expect_error([&] { g.add("Sub", {bl, bl}, {}, "boolsub"); }, {"'boolsub'", "bool"});
  expect_error([&] { g.add("Greater", {f}, {}, "one"); }, {"'one'", "expects 2 inputs"});
  expect_error([&] { g.add("AddV2", {f, f}, T(DType::Double), "attr"); }, {"'attr'", "float64"});
}

// Generated code == reference for every op, dtype and broadcasting pattern in one graph.
// + - * / and comparisons are exact (a double result rounded to float equals the float
// operation); Pow and FloorMod go through libm in float, so allow a few ulp.
TEST(BinaryElementwise, GeneratedMatchesReference) {
  OpGraph g;
  const char* arith[] = {"AddV2", "Sub", "Mul", "RealDiv", "FloorDiv", "FloorMod", "TruncateMod", "Maximum",
                         "Minimum", "SquaredDifference", "Greater", "GreaterEqual", "Less",
                         "LessEqual", "Equal", "NotEqual"};
  for (DType t : {DType::Float, DType::Double, DType::Int32, DType::Int64, DType::UInt8}) {
    auto a = g.input(t, {2, 3, 4});
    auto b = g.input(t, {3, 1});
    auto s = g.input(t, {});
    auto c = g.input(t, {1, 3, 1});
    auto d = g.input(t, {2, 1, 5});
    for (const char* op : arith) {
      g.output(g.add(op, {a, b}));
      g.output(g.add(op, {s, a}));
      g.output(g.add(op, {c, d}));
      g.output(g.add(op, {a, a}));
    }
    if (dtype_is_float(t))
      for (const char* op : {"Pow", "DivNoNan", "Atan2"}) g.output(g.add(op, {a, b}));
  }
  auto bl = g.input(DType::Bool, {3, 2});
  auto br = g.input(DType::Bool, {2});
  g.output(g.add("LogicalAnd", {bl, br}));
  g.output(g.add("LogicalOr", {bl, br}));
  g.output(g.add("Equal", {bl, br}));
  check_generated(g, 1, 4e-7, 1e-30);
}

}  // namespace
}  // namespace tfaot::test
