#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "op_test_util.h"

namespace tfaot::test {
namespace {

Tensor ref1(const std::string& op, const Tensor& x) {
  OpGraph g;
  auto in = g.input(x.dtype(), x.shape());
  g.output(g.add(op, {in}));
  return g.reference({x})[0];
}

TEST(UnaryMath, HandComputedValues) {
  auto x = Tensor::from_vector<float>({4}, {-2, -0.5f, 0, 4});
  expect_close(ref1("Tanh", x),
               Tensor::from_vector<float>({4}, {-0.9640275801f, -0.4621171573f, 0, 0.9993292997f}),
               1e-7, 0);
  expect_equal(ref1("Relu", x), Tensor::from_vector<float>({4}, {0, 0, 0, 4}));
  expect_equal(ref1("Neg", x), Tensor::from_vector<float>({4}, {2, 0.5f, -0.0f, -4}));
  expect_equal(ref1("Square", x), Tensor::from_vector<float>({4}, {4, 0.25f, 0, 16}));
  expect_equal(ref1("Abs", x), Tensor::from_vector<float>({4}, {2, 0.5f, 0, 4}));
  expect_equal(ref1("Floor", x), Tensor::from_vector<float>({4}, {-2, -1, 0, 4}));
  expect_equal(ref1("Sign", x), Tensor::from_vector<float>({4}, {-1, -1, 0, 1}));
  expect_close(ref1("Sigmoid", x),
               Tensor::from_vector<float>({4}, {0.1192029220f, 0.3775406688f, 0.5f, 0.9820137900f}),
               1e-7, 0);
  expect_close(ref1("Elu", x), Tensor::from_vector<float>({4}, {-0.8646647168f, -0.3934693403f, 0, 4}),
               1e-7, 0);
  auto r = ref1("Rsqrt", Tensor::from_vector<float>({3}, {4, 0.25f, 0}));
  EXPECT_EQ(r.data<float>()[0], 0.5f);
  EXPECT_EQ(r.data<float>()[1], 2.0f);
  EXPECT_TRUE(std::isinf(r.data<float>()[2]));
  EXPECT_TRUE(std::isnan(ref1("Sqrt", Tensor::scalar<double>(-1)).data<double>()[0]));
  expect_equal(ref1("Round", Tensor::from_vector<float>({4}, {0.5f, 1.5f, -2.5f, 2.6f})),
               Tensor::from_vector<float>({4}, {0, 2, -2, 3}));  // half to even
  expect_equal(ref1("Relu6", Tensor::from_vector<int32_t>({3}, {-3, 3, 9})),
               Tensor::from_vector<int32_t>({3}, {0, 3, 6}));
}

TEST(UnaryMath, IntegerAndBool) {
  const int32_t mn = std::numeric_limits<int32_t>::min();
  expect_equal(ref1("Neg", Tensor::from_vector<int32_t>({3}, {5, -7, mn})),
               Tensor::from_vector<int32_t>({3}, {-5, 7, mn}));  // -INT_MIN wraps
  expect_equal(ref1("Abs", Tensor::from_vector<int64_t>({2}, {-9, 9})),
               Tensor::from_vector<int64_t>({2}, {9, 9}));
  expect_equal(ref1("LogicalNot", Tensor::from_vector<bool>({2}, {true, false})),
               Tensor::from_vector<bool>({2}, {false, true}));
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  auto special = Tensor::from_vector<float>({3}, {nan, inf, 1});
  expect_equal(ref1("IsNan", special), Tensor::from_vector<bool>({3}, {true, false, false}));
  expect_equal(ref1("IsInf", special), Tensor::from_vector<bool>({3}, {false, true, false}));
  expect_equal(ref1("IsFinite", special), Tensor::from_vector<bool>({3}, {false, false, true}));
}

TEST(UnaryMath, Errors) {
  OpGraph g;
  auto i = g.input(DType::Int32, {2});
  auto f = g.input(DType::Float, {2});
  expect_error([&] { g.add("Tanh", {i}, {}, "int_tanh"); }, {"'int_tanh'", "int32"});
  expect_error([&] { g.add("Rsqrt", {f, f}, {}, "two"); }, {"'two'", "expects 1 inputs"});
  expect_error([&] { g.add("LogicalNot", {f}, {}, "not"); }, {"'not'", "float32"});
}

// Generated code == reference. libm float functions are within ~1 ulp of the correctly
// rounded value, and the reference rounds the double result once, so rtol 4e-7 (~3 float
// ulp) plus a tiny atol for results near 0 (sin/log near their zeros).
TEST(UnaryMath, GeneratedMatchesReference) {
  OpGraph g;
  const char* float_ops[] = {"Tanh", "Rsqrt", "Sqrt", "Sigmoid", "Exp", "Expm1", "Log", "Log1p",
                             "Floor", "Ceil", "Round", "Sin", "Cos", "Erf", "Reciprocal",
                             "Softplus", "Softsign", "Elu", "Selu", "Relu", "Relu6", "Neg",
                             "Abs", "Square", "Sign", "IsNan", "IsInf", "IsFinite", "Tan",
                             "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh",
                             "Rint"};
  for (DType t : {DType::Float, DType::Double}) {
    auto x = g.input(t, {3, 17});
    for (const char* op : float_ops) g.output(g.add(op, {x}));
  }
  for (DType t : {DType::Int32, DType::Int64, DType::Int8}) {
    auto x = g.input(t, {2, 5});
    for (const char* op : {"Neg", "Abs", "Square", "Sign", "Relu", "Relu6"})
      g.output(g.add(op, {x}));
  }
  g.output(g.add("LogicalNot", {g.input(DType::Bool, {7})}));
  check_generated(g, 2, 4e-7, 1e-6, -8, 8);
}

}  // namespace
}  // namespace tfaot::test
