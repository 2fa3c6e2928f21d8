#include "driver/golden.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "test_util.h"

namespace tfaot::driver {

TEST(Golden, ReadsCasesAndTolerances) {
  test::TempDir dir;
  auto path = dir.path() / "golden.json";
  std::ofstream(path) << R"({"format": "tf-oracle-golden-v1",
    "model": {"name": "m", "signature": "serving_default"},
    "inputs": {"x": {"dtype": "float32", "shape": [-1, 2], "tensor_name": "serving_default_x:0"}},
    "outputs": {"y": {"dtype": "bool", "shape": [-1, 2], "tensor_name": "Identity:0"}},
    "input_shapes": {"x": ["B", 2]},
    "cases": [{"batch_size": 1,
      "inputs": {"x": {"dtype": "float32", "shape": [1, 2], "data": [0.1, "NaN"]}},
      "outputs": {"y": {"dtype": "bool", "shape": [1, 2], "data": [true, false]}}}]})";
  Golden g = read_golden(path);
  ASSERT_EQ(g.cases.size(), 1u);
  EXPECT_EQ(g.input_shapes["x"], (std::vector<std::string>{"B", "2"}));
  const Tensor& x = g.cases[0].inputs.at("x");
  EXPECT_EQ(x.data<float>()[0], 0.1f);
  EXPECT_TRUE(std::isnan(x.data<float>()[1]));
  EXPECT_TRUE(g.cases[0].outputs.at("y").data<bool>()[0]);
}

TEST(Golden, CompareUsesAbsoluteAndRelativeTolerance) {
  Tensor e = Tensor::from_vector<float>({3}, {1.0f, 100.0f, 0.0f});
  Tensor ok = Tensor::from_vector<float>({3}, {1.00005f, 100.009f, 0.000009f});
  Tensor bad = Tensor::from_vector<float>({3}, {1.0f, 100.02f, 0.0f});
  EXPECT_TRUE(compare(ok, e, {}).pass);
  Comparison c = compare(bad, e, {});
  EXPECT_FALSE(c.pass);
  EXPECT_EQ(c.first_mismatch, 1);
  EXPECT_NEAR(c.max_abs, 0.02, 1e-4);
}

TEST(Golden, BoolsAndShapesMustMatchExactly) {
  Tensor e = Tensor::from_vector<bool>({2}, {true, false});
  EXPECT_FALSE(compare(Tensor::from_vector<bool>({2}, {true, true}), e, {}).pass);
  EXPECT_FALSE(compare(Tensor::from_vector<bool>({1, 2}, {true, false}), e, {}).pass);
}

TEST(Golden, MissingFileIsNamed) {
  try {
    read_golden("/nonexistent/golden.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/golden.json"), std::string::npos);
  }
}

}  // namespace tfaot::driver
