// tfaot-inspect end to end: text and JSON output on the shipped example model, signature
// listing, frozen-graph options and the one-line error contract.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_util.h"

namespace {

using nlohmann::json;
using tfaot::test::run_command;

std::string inspect() { return (tfaot::test::binary_dir() / "tfaot-inspect").string(); }
std::string example() {
  return (tfaot::test::source_dir() / "examples" / "models" / "mlp").string();
}

TEST(Inspect, JsonOfExampleModel) {
  auto r = run_command(inspect() + " '" + example() + "' --json 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  json j = json::parse(r.output);
  EXPECT_EQ(j["format"], "saved_model");
  EXPECT_EQ(j["signature_key"], "serving_default");
  ASSERT_EQ(j["signatures"].size(), 1u);
  EXPECT_EQ(j["signatures"][0]["key"], "serving_default");
  EXPECT_EQ(j["inputs"], json::parse(R"([{"key":"x","tensor":"serving_default_x:0","dtype":"float32","shape":[-1,4]}])"));
  EXPECT_EQ(j["outputs"][0]["shape"], json::parse("[-1,3]"));
  EXPECT_EQ(j["ops"]["MatMul"], 2);
  EXPECT_EQ(j["ops"]["Const"], 4);
  EXPECT_FALSE(j["ops"].contains("ReadVariableOp"));
  ASSERT_EQ(j["variables"].size(), 4u);
  EXPECT_EQ(j["variables"][1]["name"], "dense/kernel");
  EXPECT_EQ(j["variables"][1]["checkpoint_key"], "layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE");
  EXPECT_EQ(j["variables"][1]["shape"], json::parse("[4,8]"));
  EXPECT_EQ(j["variables"][1]["bytes"], 128);
  EXPECT_EQ(j["weight_bytes"], (32 + 8 + 24 + 3) * 4);
  EXPECT_EQ(j["node_count"], 13);
}

TEST(Inspect, TextAndSignatureList) {
  auto r = run_command(inspect() + " '" + example() + "' 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("x: serving_default_x:0 float32[-1,4]"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("weight bytes: 268"), std::string::npos) << r.output;
  r = run_command(inspect() + " '" + example() + "' --list-signatures 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, "serving_default: inputs [\"x\"] outputs [\"y\"]\n");
}

TEST(Inspect, ErrorsAreOneLine) {
  auto r = run_command(inspect() + " '" + example() + "' --serving-key nope 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.output.rfind("tfaot-inspect: error: ", 0), 0u) << r.output;
  EXPECT_NE(r.output.find("no signature 'nope' (available: serving_default)"), std::string::npos);
  EXPECT_EQ(r.output.find('\n'), r.output.size() - 1) << r.output;
  r = run_command(inspect() + " /nonexistent/model.pb --output y 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.output, "tfaot-inspect: error: /nonexistent/model.pb: no such file or directory\n");
}

TEST(Inspect, FrozenGraphWithPin) {
  TFAOT_REQUIRE_SHARED_MODELS(models);
  auto r = run_command(inspect() + " " + (models / "hep_deepmet_v3" / "model.pb").string() +
                       " --input input:0 --input input_cat0:0 --input input_cat1:0"
                       " --input input_cat2:0 --pin batch_normalization_1/keras_learning_phase:0=false"
                       " --output output/BiasAdd:0 --json 2>&1");
  if (r.exit_code != 0 && r.output.find("no such file") != std::string::npos) GTEST_SKIP() << r.output;
  ASSERT_EQ(r.exit_code, 0) << r.output;
  json j = json::parse(r.output);
  EXPECT_EQ(j["format"], "frozen_graph");
  EXPECT_EQ(j["inputs"].size(), 4u);
  EXPECT_EQ(j["inputs"][0]["shape"], json::parse("[-1,4500,8]"));
  EXPECT_EQ(j["outputs"][0]["key"], "output/BiasAdd:0");
  EXPECT_EQ(j["ops"]["Placeholder"], 4);  // the pinned learning phase is a Const
}

}  // namespace
