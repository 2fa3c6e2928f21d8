#include <gtest/gtest.h>

#include <cmath>

#include "op_test_util.h"

namespace tfaot::test {
namespace {

TEST(BiasAdd, AddsAlongLastDim) {
  OpGraph g;
  auto v = g.input(DType::Float, {2, 1, 3});
  auto b = g.input(DType::Float, {3});
  g.output(g.add("BiasAdd", {v, b}, {{"data_format", attr_string("NHWC")}}));
  auto out = g.reference({Tensor::from_vector<float>({2, 1, 3}, {1, 2, 3, 4, 5, 6}),
                          Tensor::from_vector<float>({3}, {10, 20, 30})});
  expect_equal(out[0], Tensor::from_vector<float>({2, 1, 3}, {11, 22, 33, 14, 25, 36}));
}

TEST(BiasAdd, Errors) {
  OpGraph g;
  auto v = g.input(DType::Float, {2, 3});
  auto b2 = g.input(DType::Float, {2});
  auto b3 = g.input(DType::Float, {3});
  auto bi = g.input(DType::Int32, {3});
  expect_error([&] { g.add("BiasAdd", {v, b2}, {}, "len"); }, {"'len'", "bias [2]"});
  expect_error([&] { g.add("BiasAdd", {v, bi}, {}, "dtype"); }, {"'dtype'", "int32"});
  expect_error([&] { g.add("BiasAdd", {v, b3}, {{"data_format", attr_string("NCHW")}}, "nchw"); },
               {"'nchw'", "NCHW"});
}

TEST(Softmax, HandComputed) {
  OpGraph g;
  auto x = g.input(DType::Double, {2, 3});
  g.output(g.add("Softmax", {x}));
  g.output(g.add("LogSoftmax", {x}));
  // Row 2 has huge logits: the max is subtracted, so no overflow.
  auto out = g.reference({Tensor::from_vector<double>({2, 3}, {0, 0, std::log(2.0), 1000, 1000, 1000})});
  expect_close(out[0], Tensor::from_vector<double>({2, 3}, {0.25, 0.25, 0.5, 1. / 3, 1. / 3, 1. / 3}),
               1e-15, 0);
  expect_close(out[1],
               Tensor::from_vector<double>({2, 3}, {std::log(0.25), std::log(0.25), std::log(0.5),
                                                    -std::log(3.0), -std::log(3.0), -std::log(3.0)}),
               1e-15, 0);
}

TEST(Softmax, Errors) {
  OpGraph g;
  auto s = g.input(DType::Float, {});
  auto i = g.input(DType::Int32, {3});
  expect_error([&] { g.add("Softmax", {s}, {}, "scalar"); }, {"'scalar'", "rank >= 1"});
  expect_error([&] { g.add("Softmax", {i}, {}, "int"); }, {"'int'", "int32"});
}

// exp in float vs double and the float row sum: a few ulp per element.
TEST(BiasSoftmax, GeneratedMatchesReference) {
  OpGraph g;
  for (DType t : {DType::Float, DType::Double}) {
    auto x = g.input(t, {4, 3, 10});
    auto b = g.input(t, {10});
    g.output(g.add("BiasAdd", {x, b}));
    g.output(g.add("Softmax", {x}));
    g.output(g.add("LogSoftmax", {x}));
    g.output(g.add("Softmax", {g.input(t, {1})}));
  }
  for (DType t : {DType::Int32, DType::Int64}) {
    auto x = g.input(t, {3, 4});
    g.output(g.add("BiasAdd", {x, g.input(t, {4})}));
  }
  check_generated(g, 4, 2e-6, 1e-7, -20, 20);
}

}  // namespace
}  // namespace tfaot::test
