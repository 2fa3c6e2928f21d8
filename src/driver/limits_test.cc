// Resource limits at the driver level: the number of batch sizes (config and --batch-sizes),
// the total weights of the emitted blob, and `--limit NAME=VALUE` on the command line.
#include <gtest/gtest.h>

#include <fstream>

#include "backend/weights.h"
#include "driver/config.h"
#include "support/limits.h"
#include "test_util.h"

namespace tfaot::driver {
namespace {

namespace fs = std::filesystem;

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Limits, BatchSizesInConfigAndOnTheCommandLine) {
  test::TempDir dir;
  fs::create_directories(dir.path() / "m");
  const std::string yaml =
      "model: {name: m, saved_model: m}\n"
      "compilation:\n"
      "  batch_sizes: [1, 2, 3, 4, 5]\n";
  EXPECT_EQ(parse_config(yaml, dir.path() / "aot_config.yaml").compilation.batch_sizes.size(), 5u);
  EXPECT_EQ(parse_batch_sizes("1,2,3,4,5", "--batch-sizes").size(), 5u);
  ScopedLimit low(Limit::BatchSizes, 4);
  const std::string e = error_of([&] { parse_config(yaml, dir.path() / "aot_config.yaml"); });
  EXPECT_NE(e.find("aot_config.yaml:3: compilation.batch_sizes is 5 batch sizes, more than the "
                   "limit batch-sizes=4 (raise it with --limit batch-sizes=N"),
            std::string::npos) << e;
  EXPECT_NE(error_of([] { parse_batch_sizes("1,2,3,4,5", "--batch-sizes"); })
                .find("--batch-sizes is 5 batch sizes, more than the limit batch-sizes=4"),
            std::string::npos);
}

TEST(Limits, EmittedWeightsOverWeightBytes) {
  backend::WeightPool pool;
  ScopedLimit low(Limit::WeightBytes, 160);
  pool.add(Tensor::from_vector<float>({16}, std::vector<float>(16, 1.f)));  // bytes [0, 64)
  pool.add(Tensor::from_vector<float>({16}, std::vector<float>(16, 1.f)));  // deduplicated
  pool.add(Tensor::from_vector<float>({8}, std::vector<float>(8, 2.f)));    // [64, 96)
  const std::string e =
      error_of([&] { pool.add(Tensor::from_vector<float>({16}, std::vector<float>(16, 3.f))); });
  EXPECT_NE(e.find("float32 [16] constant added is 192 bytes, more than the limit weight-bytes=160"),
            std::string::npos) << e;
  EXPECT_EQ(pool.size(), 96u);  // nothing added by the refused call
}

// The CLIs take --limit; a graph over the limit fails with the one-line error and exit 2.
TEST(Limits, CommandLineOption) {
  test::TempDir dir;
  const fs::path graph = dir.path() / "g.pbtxt";
  std::ofstream(graph) << R"(node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } }
  attr { key: "shape" value { shape { dim { size: 1 } dim { size: 4 } } } } }
node { name: "y" op: "Relu" input: "x" attr { key: "T" value { type: DT_FLOAT } } }
)";
  const std::string check = (test::binary_dir() / "tfaot-check").string() + " " + graph.string() +
                            " --input x --output y ";
  auto ok = test::run_command(check + "--limit graph-nodes=2 --limit tensor-bytes=1K 2>&1");
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  auto over = test::run_command(check + "--limit graph-nodes=1 2>&1");
  EXPECT_EQ(over.exit_code, 2) << over.output;
  EXPECT_NE(over.output.find("tfaot-check: error: "), std::string::npos) << over.output;
  EXPECT_NE(over.output.find("is 2 nodes, more than the limit graph-nodes=1 (raise it with --limit "
                             "graph-nodes=N"),
            std::string::npos) << over.output;
  auto bad = test::run_command(check + "--limit nodes=5 2>&1");
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("NAME one of tensor-bytes"), std::string::npos) << bad.output;
  auto help = test::run_command((test::binary_dir() / "tfaot-compile").string() + " --help 2>&1");
  EXPECT_NE(help.output.find("loop-iterations (default 10000000)"), std::string::npos) << help.output;
}

}  // namespace
}  // namespace tfaot::driver
