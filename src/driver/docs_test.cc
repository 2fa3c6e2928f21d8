// Generated documentation is up to date: docs/ops.md is exactly what
// `tfaot-check --ops-markdown` prints from the op registry.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "ops/op.h"
#include "test_util.h"

namespace {

TEST(Docs, OpsMarkdownIsUpToDate) {
  auto r = tfaot::test::run_command((tfaot::test::binary_dir() / "tfaot-check").string() + " --ops-markdown 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const auto& name : tfaot::ops::op_names())
    EXPECT_NE(r.output.find("`" + name + "`"), std::string::npos) << name;
  std::ifstream in(tfaot::test::source_dir() / "docs" / "ops.md");
  std::stringstream doc;
  doc << in.rdbuf();
  EXPECT_EQ(doc.str(), r.output) << "docs/ops.md is out of date; regenerate it with\n"
                                    "  build/tfaot-check --ops-markdown > docs/ops.md";
}

}  // namespace
