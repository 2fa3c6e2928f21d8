#include <gtest/gtest.h>

#include "op_test_util.h"

namespace tfaot::test {
namespace {

Tensor strings(Shape shape, const std::vector<std::string>& values) {
  Tensor t(DType::String, std::move(shape));
  t.strings() = values;
  return t;
}

TEST(TableFind, StringKeysWithDefault) {
  OpGraph g;
  auto keys = g.input(DType::String, {2, 3});
  // Unsorted, with a repeated key of equal value (allowed) and the empty string as a key.
  auto table_keys = g.constant(strings({5}, {"zebra", "apple", "", "mango", "apple"}));
  auto table_values = g.constant(Tensor::from_vector<int64_t>({5}, {4, 1, 7, 3, 1}));
  g.output(g.add("_TableFind", {keys, g.constant(Tensor::scalar<int64_t>(-1)), table_keys, table_values}));
  std::vector<Tensor> in = {strings({2, 3}, {"mango", "apples", "", "zebra", "Apple", "apple"})};
  auto ref = g.reference(in);
  expect_equal(ref[0], Tensor::from_vector<int64_t>({2, 3}, {3, -1, 7, 4, -1, 1}));
  expect_equal(g.generated(in)[0], ref[0]);
}

TEST(TableFind, IntegerKeys) {
  OpGraph g;
  auto keys = g.input(DType::Int64, {4});
  auto table_keys = g.constant(Tensor::from_vector<int64_t>({3}, {10, -5, 0}));
  auto table_values = g.constant(Tensor::from_vector<float>({3}, {1.5f, 2.5f, 3.5f}));
  g.output(g.add("_TableFind", {keys, g.constant(Tensor::scalar<float>(0)), table_keys, table_values}));
  std::vector<Tensor> in = {Tensor::from_vector<int64_t>({4}, {0, 10, 11, -5})};
  auto ref = g.reference(in);
  expect_equal(ref[0], Tensor::from_vector<float>({4}, {3.5f, 1.5f, 0, 2.5f}));
  expect_equal(g.generated(in)[0], ref[0]);
}

TEST(TableFind, RejectsConflictingDuplicatesAndUnresolvedTables) {
  OpGraph g;
  auto keys = g.input(DType::String, {1});
  auto table_keys = g.constant(strings({2}, {"a", "a"}));
  auto table_values = g.constant(Tensor::from_vector<int64_t>({2}, {1, 2}));
  expect_error([&] { g.add("_TableFind", {keys, g.constant(Tensor::scalar<int64_t>(0)), table_keys, table_values}); },
               {"_TableFind", "key 'a' twice"});
  expect_error([&] {
    g.add("LookupTableFindV2", {keys, keys, keys}, {{"_tfaot_unresolved", attr_string("table 't' is filled from a file")}});
  }, {"LookupTableFindV2", "not known at compile time", "filled from a file"});
}

TEST(StringEquality, NotEqualAgainstConstant) {
  OpGraph g;
  auto x = g.input(DType::String, {4, 1});
  g.output(g.add("NotEqual", {x, g.constant(strings({}, {""}))}));
  g.output(g.add("Equal", {x, g.constant(strings({}, {"ab"}))}));
  std::vector<Tensor> in = {strings({4, 1}, {"", "ab", "abc", "a"})};
  auto ref = g.reference(in);
  expect_equal(ref[0], Tensor::from_vector<bool>({4, 1}, {false, true, true, true}));
  expect_equal(ref[1], Tensor::from_vector<bool>({4, 1}, {false, true, false, false}));
  auto gen = g.generated(in);
  expect_equal(gen[0], ref[0]);
  expect_equal(gen[1], ref[1]);
}

TEST(Where, IsACompileTimeErrorOutsideTheSparseRoundTrip) {
  OpGraph g;
  auto m = g.input(DType::Bool, {3});
  expect_error([&] { g.add("Where", {m}); }, {"Where", "depends on the input values"});
}

}  // namespace
}  // namespace tfaot::test
