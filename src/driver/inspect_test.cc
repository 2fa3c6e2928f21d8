// tfaot-inspect end to end: text and JSON output on the shipped example model, signature
// listing, frozen-graph options and the one-line error contract.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

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

// The optimized example (two Dense layers fused, then Softmax) at batch size 2.
TEST(Inspect, SummaryOfOptimizedGraph) {
  const auto csv = std::filesystem::temp_directory_path() / "tfaot_inspect_roofline.csv";
  std::ofstream(csv) << "key,value,unit,note\nfma_avx2_gflops,100,GFLOP/s,\nread_gbs_32KiB,500,GB/s,\n"
                        "read_gbs_262144KiB,40,GB/s,\n";
  auto r = run_command(inspect() + " '" + example() + "' --summary --batch-size 2 --json --roofline " +
                       csv.string() + " 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  json s = json::parse(r.output)["summary"];
  EXPECT_EQ(s["batch_size"], 2);
  const uint64_t dense = 2 * 8 * (2 * 4 + 2) + 2 * 3 * (2 * 8 + 2);
  uint64_t flops = 0, weights = 0;
  bool fused = false;
  for (const auto& o : s["ops"]) {
    flops += o["flops"].get<uint64_t>();
    weights += o["weight_bytes"].get<uint64_t>();
    if (o["op"] == "_FusedDense") {
      fused = true;
      EXPECT_EQ(o["count"], 2);
      EXPECT_EQ(o["flops"], dense);
      EXPECT_GT(o["weight_bytes"].get<uint64_t>(), (32u + 24u) * 4u);  // packed panels and biases
    }
  }
  EXPECT_TRUE(fused) << s.dump();
  EXPECT_EQ(s["flops"], flops);
  EXPECT_EQ(s["weight_bytes"], weights);
  EXPECT_EQ(s["machine"]["peak_gflops"], 100.0);
  EXPECT_EQ(s["machine"]["bandwidth_gbs"], 500.0);  // the working set fits 32 KiB
  EXPECT_GT(s["roofline_ns"].get<double>(), double(flops) / 100.0 - 1e-9);

  r = run_command(inspect() + " '" + example() + "' --summary --roofline " + csv.string() + " 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("roofline estimate:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("_FusedDense"), std::string::npos) << r.output;
  std::filesystem::remove(csv);
  r = run_command(inspect() + " '" + example() + "' --summary --roofline /nonexistent.csv 2>&1");
  EXPECT_EQ(r.output, "tfaot-inspect: error: /nonexistent.csv: cannot read the roofline file\n");
}

TEST(Inspect, DotAndSvg) {
  auto r = run_command(inspect() + " '" + example() + "' --dot - 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.rfind("digraph tfaot {", 0), 0u) << r.output;
  EXPECT_NE(r.output.find("input x\\nfloat32[1,4]"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("_FusedDense"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("80 FLOP"), std::string::npos) << r.output;  // 1 x 8 x (2 x 4 + 2)
  EXPECT_NE(r.output.find("output y"), std::string::npos) << r.output;
  const auto svg = std::filesystem::temp_directory_path() / "tfaot_inspect_graph.svg";
  r = run_command(inspect() + " '" + example() + "' --svg " + svg.string() + " 2>&1");
  if (run_command("command -v dot >/dev/null 2>&1").exit_code != 0) {
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.output.find("needs Graphviz's 'dot'"), std::string::npos) << r.output;
    EXPECT_FALSE(std::filesystem::exists(svg));
    return;
  }
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::ifstream in(svg);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("<svg"), std::string::npos);
  EXPECT_NE(text.str().find("_FusedDense"), std::string::npos);
  std::filesystem::remove(svg);
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
