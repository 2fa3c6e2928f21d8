#include <gtest/gtest.h>

#include "op_test_util.h"
#include "ops/op.h"

namespace tfaot::test {
namespace {

tensorflow::AttrValue floats(std::vector<float> v) {
  tensorflow::AttrValue a;
  for (float f : v) a.mutable_list()->add_f(f);
  return a;
}

TEST(MiscOps, RangeCumsumBucketizeLeakyRelu) {
  OpGraph g;
  auto i32 = [&](int32_t v) { return g.constant(Tensor::scalar<int32_t>(v)); };
  g.output(g.add("Range", {i32(5), i32(-2), i32(-3)}));
  g.output(g.add("Range", {g.constant(Tensor::scalar<float>(0)), g.constant(Tensor::scalar<float>(1)),
                           g.constant(Tensor::scalar<float>(0.25f))}));
  auto x = g.input(DType::Float, {2, 3});
  g.output(g.add("Cumsum", {x, i32(1)}));
  g.output(g.add("Cumsum", {x, i32(0)}, {{"exclusive", attr_bool(true)}, {"reverse", attr_bool(true)}}));
  g.output(g.add("Bucketize", {x}, {{"boundaries", floats({0, 2.5f, 4})}}));
  g.output(g.add("LeakyRelu", {x}, {{"alpha", attr_float(0.5f)}}));
  auto out = g.reference({Tensor::from_vector<float>({2, 3}, {-1, 2, 3, 4, 5, -6})});
  expect_equal(out[0], Tensor::from_vector<int32_t>({3}, {5, 2, -1}));
  expect_equal(out[1], Tensor::from_vector<float>({4}, {0, 0.25f, 0.5f, 0.75f}));
  expect_equal(out[2], Tensor::from_vector<float>({2, 3}, {-1, 1, 4, 4, 9, 3}));
  expect_equal(out[3], Tensor::from_vector<float>({2, 3}, {4, 5, -6, 0, 0, 0}));
  expect_equal(out[4], Tensor::from_vector<int32_t>({2, 3}, {0, 1, 2, 3, 3, 0}));
  expect_equal(out[5], Tensor::from_vector<float>({2, 3}, {-0.5f, 2, 3, 4, 5, -3}));
}

TEST(MiscOps, GatherNd) {
  OpGraph g;
  auto p = g.input(DType::Float, {2, 2, 2});
  g.output(g.add("GatherNd", {p, g.constant(Tensor::from_vector<int32_t>({2, 2}, {1, 0, 0, 5}))}));
  g.output(g.add("GatherNd", {p, g.constant(Tensor::from_vector<int32_t>({1, 3}, {1, 1, 0}))}));
  auto out = g.reference({Tensor::from_vector<float>({2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8})});
  expect_equal(out[0], Tensor::from_vector<float>({2, 2}, {5, 6, 0, 0}));  // [0,5] out of range
  expect_equal(out[1], Tensor::from_vector<float>({1}, {7}));
}

TEST(MiscOps, ClipAndPassThrough) {
  OpGraph g;
  auto x = g.input(DType::Float, {2, 2});
  g.output(g.add("ClipByValue", {x, g.constant(Tensor::scalar<float>(0)),
                                 g.constant(Tensor::from_vector<float>({2}, {1, 3}))}));
  g.output(g.add("StopGradient", {x}));
  auto xv = Tensor::from_vector<float>({2, 2}, {-1, 2, 0.5f, 5});
  auto out = g.reference({xv});
  expect_equal(out[0], Tensor::from_vector<float>({2, 2}, {0, 2, 0.5f, 3}));
  expect_equal(out[1], xv);
  expect_error([&] { g.add("ClipByValue", {x, g.input(DType::Float, {3}), x}, {}, "clip"); },
               {"'clip'", "[3]"});
}

TEST(MiscOps, Errors) {
  OpGraph g;
  auto x = g.input(DType::Float, {2, 3});
  auto dyn = g.input(DType::Int32, {});
  auto c = [&](int32_t v) { return g.constant(Tensor::scalar<int32_t>(v)); };
  expect_error([&] { g.add("Range", {c(0), dyn, c(1)}, {}, "rng"); }, {"'rng'", "limit operand"});
  expect_error([&] { g.add("Range", {c(0), c(5), c(0)}, {}, "delta"); }, {"'delta'", "delta"});
  expect_error([&] { g.add("Cumsum", {x, c(2)}, {}, "cs"); }, {"'cs'", "axis 2"});
  expect_error([&] { g.add("Bucketize", {x}, {{"boundaries", floats({2, 1})}}, "bk"); },
               {"'bk'", "sorted"});
  expect_error([&] { g.add("GatherNd", {x, g.constant(Tensor::from_vector<int32_t>({1, 3}, {0, 0, 0}))}, {}, "nd"); },
               {"'nd'", "do not fit"});
}

TEST(MiscOps, GeneratedMatchesReference) {
  OpGraph g;
  auto c = [&](int32_t v) { return g.constant(Tensor::scalar<int32_t>(v)); };
  for (DType t : {DType::Float, DType::Int64}) {
    auto x = g.input(t, {3, 4, 2});
    g.output(g.add("Cumsum", {x, c(1)}));
    g.output(g.add("Cumsum", {x, c(-1)}, {{"exclusive", attr_bool(true)}}));
    g.output(g.add("Cumsum", {x, c(0)}, {{"reverse", attr_bool(true)}}));
    g.output(g.add("Bucketize", {x}, {{"boundaries", floats({-2, -0.5f, 0, 1, 3})}}));
    g.output(g.add("GatherNd", {x, g.constant(Tensor::from_vector<int64_t>({3, 2}, {2, 3, 0, 0, 1, -1}))}));
  }
  auto f = g.input(DType::Float, {5});
  g.output(g.add("LeakyRelu", {f}, {{"alpha", attr_float(0.1f)}}));
  g.output(g.add("StopGradient", {f}));
  auto m = g.input(DType::Int32, {3, 4});
  g.output(g.add("ClipByValue", {m, g.input(DType::Int32, {}), g.input(DType::Int32, {4})}));
  g.output(g.add("Range", {c(3), c(20), c(4)}));
  // Cumsum in float is accumulated in the same order by both: exact.
  check_generated(g, 12, 0, 0);
}

}  // namespace
}  // namespace tfaot::test

namespace tfaot::test {
namespace {

TEST(RandomUniform, DeterministicInRangeAndNotFolded) {
  OpGraph g;
  auto shape = g.constant(Tensor::from_vector<int32_t>({2}, {16, 8}));
  auto r = g.add("RandomUniform", {shape}, {{"dtype", attr_type(DType::Float)}, {"seed", attr_int(1)}});
  g.output(r);
  g.output(g.add("RandomUniform", {shape}, {{"dtype", attr_type(DType::Double)}}));
  EXPECT_FALSE(ops::find_op("RandomUniform")->foldable());
  auto a = g.reference({});
  auto b = g.reference({});
  expect_equal(a[0], b[0]);
  double sum = 0;
  for (float v : a[0].values<float>()) {
    EXPECT_GE(v, 0.0f);
    EXPECT_LT(v, 1.0f);
    sum += v;
  }
  EXPECT_NEAR(sum / 128, 0.5, 0.1);  // not constant
  auto gen = g.generated({});
  expect_equal(gen[0], a[0]);
  expect_equal(gen[1], a[1]);
}

}  // namespace
}  // namespace tfaot::test

namespace tfaot::test {
namespace {

TEST(TopK, ValuesIndicesAndTies) {
  OpGraph g;
  auto x = g.input(DType::Float, {2, 4});
  auto t = g.add("TopKV2", {x, g.constant(Tensor::scalar<int32_t>(2))});
  g.output({t.node, 0});
  g.output({t.node, 1});
  auto out = g.reference({Tensor::from_vector<float>({2, 4}, {1, 5, 3, 5, -1, -2, -3, 0})});
  expect_equal(out[0], Tensor::from_vector<float>({2, 2}, {5, 5, 0, -1}));
  expect_equal(out[1], Tensor::from_vector<int32_t>({2, 2}, {1, 3, 3, 0}));  // ties: lower index first
  expect_error([&] { g.add("TopKV2", {x, g.constant(Tensor::scalar<int32_t>(5))}, {}, "k"); },
               {"'k'", "exceeds"});
}

TEST(TopK, EnsureShapeCheckNumericsGenerated) {
  OpGraph g;
  for (DType t : {DType::Float, DType::Int32}) {
    auto x = g.input(t, {3, 9});
    auto k = g.add("TopKV2", {x, g.constant(Tensor::scalar<int32_t>(4))});
    g.output({k.node, 0});
    g.output({k.node, 1});
  }
  auto y = g.input(DType::Float, {2, 3});
  tensorflow::AttrValue shape;
  shape.mutable_shape()->add_dim()->set_size(-1);
  shape.mutable_shape()->add_dim()->set_size(3);
  g.output(g.add("EnsureShape", {y}, {{"shape", shape}}));
  g.output(g.add("CheckNumerics", {y}));
  check_generated(g, 13, 0, 0);
  shape.mutable_shape()->mutable_dim(1)->set_size(4);
  expect_error([&] { g.add("EnsureShape", {y}, {{"shape", shape}}, "ens"); }, {"'ens'", "[2,3]"});
}

}  // namespace
}  // namespace tfaot::test
