#include <gtest/gtest.h>

#include "op_test_util.h"

namespace tfaot::test {
namespace {

ir::Value einsum(OpGraph& g, const std::string& eq, std::vector<ir::Value> in,
                 const std::string& name = "") {
  ir::AttrMap attrs = {{"equation", attr_string(eq)},
                       {"N", attr_int(static_cast<int64_t>(in.size()))},
                       {"T", attr_type(in[0].node->output_type(in[0].index).dtype)}};
  return g.add("Einsum", std::move(in), std::move(attrs), name);
}

Tensor m23() { return Tensor::from_vector<float>({2, 3}, {1, 2, 3, 4, 5, 6}); }

TEST(Einsum, HandComputed) {
  OpGraph g;
  auto a = g.input(DType::Float, {2, 3});
  auto b = g.input(DType::Float, {3, 2});
  auto sq = g.input(DType::Float, {2, 2});
  g.output(einsum(g, "ij,jk->ik", {a, b}));
  g.output(einsum(g, "ij,jk->ki", {a, b}));
  g.output(einsum(g, "ij->ji", {a}));
  g.output(einsum(g, "ij->", {a}));
  g.output(einsum(g, "ii->i", {sq}));
  g.output(einsum(g, "ii", {sq}));               // implicit: trace
  g.output(einsum(g, "ij,jk", {a, b}));          // implicit: "ik"
  g.output(einsum(g, "i j, j k -> i", {a, b}));  // spaces; k summed away
  auto r = g.reference({m23(), Tensor::from_vector<float>({3, 2}, {1, 0, 0, 1, 1, 1}),
                        Tensor::from_vector<float>({2, 2}, {1, 2, 3, 4})});
  expect_equal(r[0], Tensor::from_vector<float>({2, 2}, {4, 5, 10, 11}));
  expect_equal(r[1], Tensor::from_vector<float>({2, 2}, {4, 10, 5, 11}));
  expect_equal(r[2], Tensor::from_vector<float>({3, 2}, {1, 4, 2, 5, 3, 6}));
  expect_equal(r[3], Tensor::scalar<float>(21));
  expect_equal(r[4], Tensor::from_vector<float>({2}, {1, 4}));
  expect_equal(r[5], Tensor::scalar<float>(5));
  expect_equal(r[6], Tensor::from_vector<float>({2, 2}, {4, 5, 10, 11}));
  expect_equal(r[7], Tensor::from_vector<float>({2}, {9, 21}));
}

TEST(Einsum, EllipsisBroadcasts) {
  OpGraph g;
  auto a = g.input(DType::Float, {2, 1, 1, 2});
  auto b = g.input(DType::Float, {3, 2, 1});
  auto v = einsum(g, "...ij,...jk->...ik", {a, b});
  g.output(v);
  EXPECT_EQ(v.node->outputs[0].shape, (Shape{2, 3, 1, 1}));
  auto r = g.reference({Tensor::from_vector<float>({2, 1, 1, 2}, {1, 2, 10, 20}),
                        Tensor::from_vector<float>({3, 2, 1}, {1, 0, 0, 1, 1, 1})});
  expect_equal(r[0], Tensor::from_vector<float>({2, 3, 1, 1}, {1, 2, 3, 10, 20, 30}));
}

TEST(Einsum, Errors) {
  OpGraph g;
  auto a = g.input(DType::Float, {2, 3});
  auto b = g.input(DType::Float, {4, 2});
  expect_error([&] { einsum(g, "ij,jk->ik", {a, b}, "size"); }, {"'size'", "label 'j'", "3", "4"});
  expect_error([&] { einsum(g, "ijk->i", {a}, "rank"); }, {"'rank'", "rank 2"});
  expect_error([&] { einsum(g, "ij->iz", {a}, "out"); }, {"'out'", "'z'"});
  expect_error([&] { einsum(g, "ij->ii", {a}, "rep"); }, {"'rep'", "repeats"});
  expect_error([&] { einsum(g, "ij,jk->ik", {a}, "n"); }, {"'n'", "2 operands"});
  expect_error([&] { einsum(g, "i$->i", {a}, "chr"); }, {"'chr'", "'$'"});
}

// The Keras EinsumDense / MultiHeadAttention equations and layouts that need copies.
TEST(Einsum, GeneratedMatchesReference) {
  OpGraph g;
  auto f = DType::Float;
  g.output(einsum(g, "abc,cd->abd", {g.input(f, {2, 5, 4}), g.input(f, {4, 6})}));
  g.output(einsum(g, "abcd,cde->abe", {g.input(f, {2, 3, 4, 5}), g.input(f, {4, 5, 3})}));
  g.output(einsum(g, "abc,cde->abde", {g.input(f, {2, 3, 4}), g.input(f, {4, 2, 5})}));
  g.output(einsum(g, "aecd,abcd->acbe", {g.input(f, {2, 5, 3, 4}), g.input(f, {2, 6, 3, 4})}));
  g.output(einsum(g, "acbe,aecd->abcd", {g.input(f, {2, 3, 6, 5}), g.input(f, {2, 5, 3, 4})}));
  g.output(einsum(g, "ij,kj->ik", {g.input(f, {4, 5}), g.input(f, {3, 5})}));
  g.output(einsum(g, "ij,kj->ik", {g.input(f, {4, 37}), g.input(f, {3, 37})}));  // long dots
  g.output(einsum(g, "ji,jk->ik", {g.input(f, {5, 4}), g.input(f, {5, 3})}));
  g.output(einsum(g, "ij,jk->ki", {g.input(f, {4, 5}), g.input(f, {5, 3})}));
  g.output(einsum(g, "ijk,kj->i", {g.input(f, {3, 4, 5}), g.input(f, {5, 4})}));
  g.output(einsum(g, "iij->ji", {g.input(f, {3, 3, 2})}));
  g.output(einsum(g, "abc->cb", {g.input(f, {2, 3, 4})}));
  g.output(einsum(g, "ij->", {g.input(f, {3, 4})}));  // scalar output
  g.output(einsum(g, "ii", {g.input(f, {4, 4})}));    // trace
  g.output(einsum(g, "a,b->ab", {g.input(f, {3}), g.input(f, {4})}));
  g.output(einsum(g, "ab,b->a", {g.input(f, {3, 4}), g.input(f, {4})}));
  g.output(einsum(g, "...ij,...jk->...ik", {g.input(f, {2, 1, 3, 4}), g.input(f, {5, 4, 2})}));
  g.output(einsum(g, "bij,bkj->bik",
                  {g.input(DType::Double, {3, 4, 5}), g.input(DType::Double, {3, 2, 5})}));
  g.output(einsum(g, "ij,jk->ik", {g.input(DType::Int32, {3, 4}), g.input(DType::Int32, {4, 2})}));
  check_generated(g, 7, 1e-5, 1e-5);
}

}  // namespace
}  // namespace tfaot::test
