// tfaot-tune end to end on the shipped example model (quick timing): the table, a rules file
// that tfaot's runtime reads back with only compiled sizes, the SVG plot, and one-line errors.
#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>

#include "tfaot/Batching.h"
#include "test_util.h"

namespace {

using tfaot::test::run_command;
namespace fs = std::filesystem;

std::string tune() { return (tfaot::test::binary_dir() / "tfaot-tune").string(); }
std::string config() {
  return (tfaot::test::source_dir() / "examples" / "models" / "mlp" / "aot_config.yaml").string();
}

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Tune, ExampleModelRulesTableAndPlot) {
  const fs::path dir = fs::temp_directory_path() / ("tfaot_tune_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path rules = dir / "rules.txt", svg = dir / "tune.svg";
  auto r = run_command(tune() + " -c '" + config() + "' --max-batch 12 --quick --batch-sizes 1,4 --target native -j 2 --out '" +
                       rules.string() + "' --plot '" + svg.string() + "' 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("overhead per extra chunk"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("tuned rule"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("mean time per sample over 1..12"), std::string::npos) << r.output;

  auto loaded = tfaot::readBatchRules(rules.string());
  ASSERT_EQ(loaded.size(), 12u);
  for (size_t b = 1; b <= 12; ++b) {
    EXPECT_EQ(loaded[b - 1].getBatchSize(), b);
    for (size_t s : loaded[b - 1].getSizes()) EXPECT_TRUE(s == 1 || s == 4) << s;
  }
  const std::string plot = read(svg);
  EXPECT_EQ(plot.rfind("<svg", 0), 0u);
  EXPECT_NE(plot.find("tuned rules (measured)"), std::string::npos);
  EXPECT_NE(plot.find("default rules (measured)"), std::string::npos);
  EXPECT_NE(plot.find("</svg>"), std::string::npos);
  fs::remove_all(dir);
}

TEST(Tune, ErrorsAreOneLine) {
  auto r = run_command(tune() + " -c '" + config() + "' --package /nonexistent/pkg 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.output, "tfaot-tune: error: --package /nonexistent/pkg: not a tfaot-compile output directory (no lib/)\n");
  r = run_command(tune() + " -c '" + config() + "' --out /nonexistent/dir/rules.txt 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.output, "tfaot-tune: error: /nonexistent/dir/rules.txt: directory does not exist\n");
}

}  // namespace
