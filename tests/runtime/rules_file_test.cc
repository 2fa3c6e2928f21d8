// Batch rules files (what tfaot-tune writes): readBatchRules and Model::setBatchRules, including
// that a bad file names itself and the line, and registers nothing.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "fake_models.h"
#include "tfaot/tfaot.h"

namespace {

using Sizes = std::vector<size_t>;

// A file in the test's temporary directory with `text`; removed at the end of the test.
class RulesFile {
 public:
  explicit RulesFile(const std::string& text)
      : path_(::testing::TempDir() + "tfaot_rules_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".txt") {
    std::ofstream(path_) << text;
  }
  ~RulesFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string errorOf(const std::function<void()>& f, const std::string& category) {
  try {
    f();
  } catch (const tfaot::Exception& e) {
    EXPECT_EQ(e.category(), category) << e.what();
    return e.message();
  }
  ADD_FAILURE() << "no exception";
  return "";
}

TEST(RulesFile, ReadsRulesCommentsAndBlankLines) {
  RulesFile f("# tuned by tfaot-tune\n\n3:4  # padded\n 5 : 4, 1 \r\n8:4,4\n");
  std::vector<size_t> lines;
  auto rules = tfaot::readBatchRules(f.path(), &lines);
  ASSERT_EQ(rules.size(), 3u);
  EXPECT_EQ(lines, (std::vector<size_t>{3, 4, 5}));
  EXPECT_EQ(rules[0], tfaot::BatchRule(3, {4}, 1));
  EXPECT_EQ(rules[1], tfaot::BatchRule(5, {4, 1}, 0));
  EXPECT_EQ(rules[2], tfaot::BatchRule(8, {4, 4}, 0));
}

TEST(RulesFile, ErrorsNameFileAndLine) {
  RulesFile f("3:4\n\n5:2,2\n");
  std::string msg = errorOf([&] { tfaot::readBatchRules(f.path()); }, "InvalidBatchRule");
  EXPECT_NE(msg.find(f.path() + ":3: invalid batch rule '5:2,2'"), std::string::npos) << msg;
  RulesFile twice("3:4\n3:1,2\n");
  msg = errorOf([&] { tfaot::readBatchRules(twice.path()); }, "InvalidBatchRule");
  EXPECT_NE(msg.find(":2: second rule for batch size 3"), std::string::npos) << msg;
  msg = errorOf([] { tfaot::readBatchRules("/nonexistent/rules.txt"); }, "FileReadError");
  EXPECT_EQ(msg, "cannot read batch rules file '/nonexistent/rules.txt'");
  // A rule's own category is kept, the message naming file and line.
  RulesFile padded("3:4\n1:1,1\n");
  msg = errorOf([&] { tfaot::readBatchRules(padded.path()); }, "WrongPadding");
  EXPECT_NE(msg.find(padded.path() + ":2: invalid batch rule '1:1,1'"), std::string::npos) << msg;
}

TEST(RulesFile, ModelLoadsRulesAndRunsThem) {
  tfaot::Model<tfaot_model::test_simple> model;
  RulesFile f("3:4\n7:4,2,1\n");
  model.setBatchRules(f.path());
  EXPECT_EQ(model.getBatchStrategy().getRule(3).getSizes(), (Sizes{4}));
  EXPECT_EQ(model.getBatchStrategy().getRule(7).getSizes(), (Sizes{4, 2, 1}));
  auto& log = tfaot_model::test_simple::log;
  log.reset();
  tfaot::FloatArrays x(7, std::vector<float>(4, 1.5f));
  auto [y] = model.run<tfaot::FloatArrays>(7, x);
  ASSERT_EQ(y.size(), 7u);
  ASSERT_EQ(log.n, 3u);
  EXPECT_EQ(log.sizes[0], 4u);
  EXPECT_EQ(log.sizes[1], 2u);
  EXPECT_EQ(log.sizes[2], 1u);
}

TEST(RulesFile, ModelRejectsNonCompiledSizesAtomically) {
  tfaot::Model<tfaot_model::test_simple> model;
  RulesFile f("3:4\n6:3,3\n");
  std::string msg = errorOf([&] { model.setBatchRules(f.path()); }, "UnknownBatchSize");
  EXPECT_NE(msg.find(f.path() +
                     ":2: model 'tfaot_model_test_simple': rule for batch size 6 uses size 3"),
            std::string::npos)
      << msg;
  EXPECT_EQ(model.getBatchStrategy().nRules(), 0u);  // 3:4 was not registered either
}

}  // namespace
