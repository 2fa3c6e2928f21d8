// Batch rules compiled into model.h: reading and checking the file (the runtime's parser, every
// error naming file and line), the config key, and tfaot-compile end to end on the shipped
// example model (model.h lists the rules and tfaot::Model applies them; a bad file writes
// nothing).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "driver/compiled_rules.h"
#include "driver/config.h"
#include "driver/outputs.h"
#include "test_util.h"

namespace tfaot::driver {
namespace {

namespace fs = std::filesystem;
using test::run_command;

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string error_of(const fs::path& file, const std::vector<int64_t>& sizes) {
  try {
    read_compiled_rules(file, sizes, "ORIGIN");
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(CompiledRules, ReadsCanonicalRulesAscending) {
  test::TempDir dir;
  const fs::path f = dir.path() / "rules.txt";
  std::ofstream(f) << "# tuned\n7 : 4, 4  # padded\n\n3:2,1\n1:1\n";
  EXPECT_EQ(read_compiled_rules(f, {1, 2, 4}, "ORIGIN"), (std::vector<std::string>{"1:1", "3:2,1", "7:4,4"}));
  std::ofstream(f) << "# nothing yet\n";
  EXPECT_TRUE(read_compiled_rules(f, {1}, "ORIGIN").empty());
}

TEST(CompiledRules, ErrorsNameFileLineAndOrigin) {
  test::TempDir dir;
  const fs::path f = dir.path() / "rules.txt";
  std::ofstream(f) << "1:1\n\n5:2,2\n";
  EXPECT_EQ(error_of(f, {1, 2}), f.string() +
                                     ":3: invalid batch rule '5:2,2': sum of sizes 4 is smaller than the target "
                                     "batch size 5 (ORIGIN)");
  std::ofstream(f) << "3:4\n# c\n6:4,2\n7:8\n";
  EXPECT_EQ(error_of(f, {1, 2, 4}), f.string() +
                                        ":4: rule for batch size 7 uses size 8, which is not a compiled batch size "
                                        "(compiled: 1,2,4) (ORIGIN)");
  std::ofstream(f) << "3:4\n3:2,1\n";
  EXPECT_NE(error_of(f, {1, 2, 4}).find(":2: second rule for batch size 3 (ORIGIN)"), std::string::npos);
  std::ofstream(f) << "3:4,0\n";
  EXPECT_NE(error_of(f, {4}).find(":1: invalid batch rule '3:4,0'"), std::string::npos);
  EXPECT_EQ(error_of(dir.path() / "none.txt", {1}),
            "cannot read batch rules file '" + (dir.path() / "none.txt").string() + "' (ORIGIN)");
}

TEST(CompiledRules, ConfigKeyIsRelativeToTheConfigAndReadOnlyWhenCompiling) {
  test::TempDir dir;
  fs::create_directories(dir.path() / "cfg" / "saved_model");
  const fs::path file = dir.path() / "cfg" / "aot_config.yaml";
  // The rules file need not exist yet: tfaot-tune writes it with the config naming it.
  Config c = parse_config("model:\n  name: m\ncompilation:\n  batch_sizes: [1]\n  batch_rules: ../r/rules.txt\n", file);
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_EQ(c.compilation.batch_rules, (dir.path() / "r" / "rules.txt").lexically_normal());
  EXPECT_EQ(c.compilation.batch_rules_origin, "compilation.batch_rules, aot_config.yaml:5");
  const auto deps = input_files(c);
  EXPECT_NE(std::find(deps.begin(), deps.end(), c.compilation.batch_rules), deps.end());
  try {
    parse_config("model:\n  name: m\ncompilation:\n  batch_sizes: [1]\n  batch_rules: [a]\n", file);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "aot_config.yaml:5: compilation.batch_rules must be a string");
  }
}

// tfaot-compile with rules: the config key (relative path) puts them into model.h, a program
// built against the package sees tfaot::Model use them; --batch-rules with a bad file fails
// with one line naming file and line, and writes nothing.
TEST(CompiledRules, TfaotCompileEndToEnd) {
  test::TempDir dir;
  const fs::path model = test::source_dir() / "examples" / "models" / "mlp";
  const fs::path cfg = dir.path() / "aot_config.yaml";
  std::ofstream(cfg) << "model:\n  name: example_mlp\n  saved_model: " << model.string()
                     << "\ncompilation:\n  batch_sizes: [1, 2]\n  batch_rules: rules.txt\n";
  std::ofstream(dir.path() / "rules.txt") << "# tuned\n5:2,2,1\n3:2,2\n";
  const std::string compile = (test::binary_dir() / "tfaot-compile").string() + " -j 2 ";
  auto r = run_command(compile + "-c '" + cfg.string() + "' -o '" + (dir.path() / "pkg").string() + "' 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("2 batch rules from " + (dir.path() / "rules.txt").string()), std::string::npos) << r.output;
  const std::string h = read(dir.path() / "pkg" / "include" / "tfaot-model-example-mlp" / "model.h");
  EXPECT_NE(h.find("static constexpr std::array<const char*, 2> batch_rules = {{\n      \"3:2,2\",\n"
                   "      \"5:2,2,1\",\n  }};\n"),
            std::string::npos)
      << h;

  const fs::path main = dir.path() / "main.cc";
  std::ofstream(main) << R"(#include "tfaot-model-example-mlp/model.h"
#include "tfaot/Model.h"
int main() {
  tfaot::Model<tfaot_model::example_mlp> model;
  model.setBatchRule("5:1,2,2");
  tfaot::FloatArrays x(3, std::vector<float>(4, 0.5f));
  auto [y] = model.run<tfaot::FloatArrays>(3, x);
  const auto& s = model.getBatchStrategy();
  return s.getRule(3).getSizes() == std::vector<size_t>{2, 2} && s.getRule(5).getSizes()[0] == 1 &&
                 y.size() == 3 && y[2].size() == 3
             ? 0
             : 1;
}
)";
  const char* cxx = std::getenv("CXX");
  r = run_command(std::string(cxx && *cxx ? cxx : "c++") + " -std=c++17 -Wall -Wextra -Wpedantic -Werror -I '" +
                  (dir.path() / "pkg" / "include").string() + "' -I '" +
                  (test::source_dir() / "runtime" / "include").string() + "' '" + main.string() + "' '" +
                  (dir.path() / "pkg" / "lib").string() + "'/*.o -o '" + (dir.path() / "app").string() + "' 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run_command("'" + (dir.path() / "app").string() + "' 2>&1");
  EXPECT_EQ(r.exit_code, 0) << r.output;

  // --batch-rules overrides the config key; a size that is not compiled is one error.
  std::ofstream(dir.path() / "bad.txt") << "3:2,1\n\n4:4\n";
  const fs::path out = dir.path() / "bad_pkg";
  r = run_command("cd '" + dir.path().string() + "' && " + compile + "-q -c '" + cfg.string() + "' -o '" +
                  out.string() + "' --batch-rules bad.txt 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.output, "tfaot-compile: error: bad.txt:3: rule for batch size 4 uses size 4, which is not a compiled "
                      "batch size (compiled: 1,2) (--batch-rules)\n");
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
}  // namespace tfaot::driver
