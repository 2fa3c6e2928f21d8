// Misuse of the runtime API that model_test.cc / flat_test.cc / rules_file_test.cc do not
// cover: negative and oversized batch sizes on every entry point, malformed rule strings,
// overflowing rules, and batch rules file errors through Model::setBatchRules. Each throws a
// tfaot::Exception naming the model and the argument, and nothing runs (the fake models log
// every call; the sanitizer build runs these tests too).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "expect_error.h"
#include "fake_models.h"
#include "tfaot/tfaot.h"

namespace {

// What a caller passing int -1 or -5 as the batch size ends up with.
constexpr size_t kMinusOne = static_cast<size_t>(-1);
constexpr size_t kMinusFive = static_cast<size_t>(-5);

class Misuse : public ::testing::Test {
 protected:
  void SetUp() override {
    fake::doubler::log.reset();
    fake::dyn_doubler::log.reset();
    fake::dyn_doubler::dynamicLog.reset();
  }
  // Buffers for a few entries of doubler (3 floats in, 3 out); a wrong batch size must be
  // rejected before any of them is read or written.
  std::vector<float> x = std::vector<float>(12, 1.0f), y = std::vector<float>(12, 0.0f);
  const void* in[1] = {x.data()};
  void* out[1] = {y.data()};
};

TEST_F(Misuse, NegativeBatchSizeVectorApi) {
  tfaot::Model<fake::doubler> model;
  const tfaot::FloatArrays x1(1, std::vector<float>(3, 1.0f));
  expectError([&] { model.run<tfaot::FloatArrays>(kMinusOne, x1); }, "InvalidBatchSize",
              {"model 'fake_doubler'", "batch size 18446744073709551615", "negative number, -1"});
  EXPECT_EQ(model.getBatchStrategy().nRules(), 0u);
  EXPECT_EQ(fake::doubler::log.n, 0u);
}

TEST_F(Misuse, NegativeBatchSizeFlat) {
  tfaot::Model<fake::doubler> model;
  expectError([&] { model.runFlat(kMinusFive, in, out); }, "InvalidBatchSize",
              {"model 'fake_doubler'", "negative number, -5"});
  EXPECT_EQ(model.getBatchStrategy().nRules(), 0u);  // no default rule of 2^64 - 5 chunks
  EXPECT_EQ(fake::doubler::log.n, 0u);
}

TEST_F(Misuse, NegativeBatchSizeDynamicEntry) {
  // Without the check, the dynamic entry would be called with 2^64 - 1 rows.
  tfaot::Model<fake::dyn_doubler> model;
  expectError([&] { model.runFlat(kMinusOne, in, out); }, "InvalidBatchSize",
              {"model 'fake_dyn_doubler'", "negative number, -1"});
  tfaot::AlignedBuffer scratch(fake::dyn_doubler::dynamic_scratch_bytes);
  expectError([&] { tfaot::runDynamic<fake::dyn_doubler>(kMinusOne, in, out, scratch.data()); },
              "InvalidBatchSize", {"model 'dyn_doubler'", "negative number, -1"});
  EXPECT_EQ(fake::dyn_doubler::dynamicLog.n, 0u);
}

TEST_F(Misuse, NegativeBatchSizeRunCompiled) {
  tfaot::AlignedBuffer scratch(fake::doubler::max_scratch_bytes);
  expectError([&] { tfaot::runCompiled<fake::doubler>(kMinusOne, in, out, scratch.data()); },
              "UnknownBatchSize",
              {"model 'doubler'", "batch size 18446744073709551615", "compiled: 1,2,4"});
  EXPECT_EQ(fake::doubler::log.n, 0u);
}

TEST_F(Misuse, BatchSizeWhoseBuffersOverflow) {
  // 12 bytes per entry: this many entries do not fit in the address space.
  const size_t huge = static_cast<size_t>(PTRDIFF_MAX) / 4;
  tfaot::Model<fake::dyn_doubler> model;
  expectError([&] { model.runFlat(huge, in, out); }, "InvalidBatchSize",
              {"model 'fake_dyn_doubler'", "input 0 ('x') would need more than"});
  tfaot::Model<fake::doubler> plain;
  expectError([&] { plain.runFlat(huge, in, out); }, "InvalidBatchSize",
              {"model 'fake_doubler'", std::to_string(huge), "input 0 ('x')"});
  EXPECT_EQ(fake::dyn_doubler::dynamicLog.n, 0u);
  EXPECT_EQ(fake::doubler::log.n, 0u);
}

TEST_F(Misuse, BatchSizeZeroOnEveryEntryPoint) {
  // Model: CMSSW's category (the default rule of batch size 0 has no sizes); the low-level
  // runDynamic is tfaot's own API.
  tfaot::Model<fake::dyn_doubler> model;
  expectError([&] { model.runFlat(0, in, out); }, "EmptySizes",
              {"model 'fake_dyn_doubler'", "batch size 0"});
  expectError([&] { model.run<tfaot::FloatArrays>(0, tfaot::FloatArrays{}); }, "EmptySizes",
              {"model 'fake_dyn_doubler'", "batch size 0"});
  EXPECT_EQ(model.getBatchStrategy().nRules(), 0u);
  tfaot::AlignedBuffer scratch(fake::dyn_doubler::dynamic_scratch_bytes);
  expectError([&] { tfaot::runDynamic<fake::dyn_doubler>(0, in, out, scratch.data()); },
              "InvalidBatchSize", {"model 'dyn_doubler'", "batch size 0"});
  EXPECT_EQ(fake::dyn_doubler::dynamicLog.n, 0u);
  EXPECT_EQ(fake::dyn_doubler::log.n, 0u);
}

TEST_F(Misuse, MalformedRuleStrings) {
  // Messages of rejected rules through Model (categories: cmssw_batching_test.cc's table).
  tfaot::Model<fake::doubler> model;
  struct Case {
    const char* rule;
    const char* category;
    const char* reason;
  };
  const Case cases[] = {
      {"", "InvalidBatchRule", "expected 'batchSize:size1,...,sizeN'"},
      {"5 4", "InvalidBatchRule", "expected 'batchSize:size1,...,sizeN'"},
      {":4", "InvalidBatchRule", "target batch size '' is not a number"},
      {"-1:2", "InvalidBatchRule", "target batch size '-1' is negative"},
      {"x5:4,1", "InvalidBatchRule", "target batch size 'x5' is not a number"},
      {"5:", "InvalidBatchRule", "sum of sizes 0 is smaller than the target batch size 5"},
      {"5:4,,1", "InvalidBatchRule", "size '' is not a number"},
      {"5:,4,1", "InvalidBatchRule", "size '' is not"},
      {"5:4;1", "InvalidBatchRule", "sum of sizes 4 is smaller"},  // "4;1" reads as 4
      {"5:4,-1", "InvalidBatchRule", "size '-1' is negative"},
      {"99999999999999999999999:4", "InvalidBatchRule",
       "target batch size '99999999999999999999999' is out of range"},
      {"5:2,2", "InvalidBatchRule", "sum of sizes 4 is smaller than the target batch size 5"},
      {"1:2,4", "WrongPadding", "padding 5 must be smaller than the last size 4"},
      {"5:4,1,0", "WrongPadding", "padding 0 must be smaller than the last size 0"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.rule);
    expectError([&] { model.setBatchRule(c.rule); }, c.category,
                {"model 'fake_doubler'", std::string("'") + c.rule + "'", c.reason});
  }
  // Accepted by the parser (size 0, as CMSSW), rejected by the model: 0 is not compiled.
  expectError([&] { model.setBatchRule("5:4,0,1"); }, "UnknownBatchSize",
              {"model 'fake_doubler'", "uses size 0"});
  EXPECT_EQ(model.getBatchStrategy().nRules(), 0u);
}

TEST_F(Misuse, PaddingNotSmallerThanLastSize) {
  tfaot::Model<fake::doubler> model;
  expectError([&] { model.setBatchRule(1, {2, 2}, 2); }, "WrongPadding",
              {"model 'fake_doubler'", "batch size 1",
               "padding 2 must be smaller than the last size 2"});
  expectError([&] { model.setBatchRule("2:4,2"); }, "WrongPadding",
              {"model 'fake_doubler'", "'2:4,2'", "padding 4 must be smaller than the last size 2"});
  EXPECT_EQ(model.getBatchStrategy().nRules(), 0u);
}

TEST_F(Misuse, ExplicitRuleWhoseSizesOverflow) {
  // The sum wraps around to 3 = the batch size: accepted without the overflow check (CMSSW).
  tfaot::Model<fake::doubler> model;
  expectError([&] { model.setBatchRule(3, {std::numeric_limits<size_t>::max(), 4}, 0); },
              "WrongBatchSize", {"model 'fake_doubler'", "batch size 3", "sizes overflow"});
  EXPECT_THROW(tfaot::BatchRule(3, {std::numeric_limits<size_t>::max(), 4}, 0), tfaot::Exception);
}

TEST_F(Misuse, RuleForNegativeBatchSize) {
  tfaot::Model<fake::doubler> model;
  expectError([&] { model.setBatchRule(kMinusOne, {4}, 0); }, "WrongBatchSize",
              {"model 'fake_doubler'", "batch size 18446744073709551615"});
  EXPECT_EQ(model.getBatchStrategy().nRules(), 0u);
}

TEST_F(Misuse, RuleForNonCompiledSizeInAStrategy) {
  tfaot::Model<fake::doubler> model;
  tfaot::BatchStrategy strategy;
  strategy.setRule("6:3,3");
  expectError([&] { model.setBatchStrategy(strategy); }, "UnknownBatchSize",
              {"model 'fake_doubler'", "rule for batch size 6 uses size 3", "compiled: 1,2,4"});
  EXPECT_EQ(model.getBatchStrategy().nRules(), 0u);
}

// setBatchRules: every file error names the model and the file, and registers nothing.
class RulesFileMisuse : public Misuse {
 protected:
  std::string write(const std::string& text) {
    path_ = ::testing::TempDir() + "tfaot_misuse_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".txt";
    std::ofstream(path_) << text;
    return path_;
  }
  void TearDown() override {
    if (!path_.empty()) std::remove(path_.c_str());
  }
  std::string path_;
};

TEST_F(RulesFileMisuse, MissingFile) {
  tfaot::Model<fake::doubler> model;
  expectError([&] { model.setBatchRules("/nonexistent/rules.txt"); }, "FileReadError",
              {"model 'fake_doubler'", "cannot read batch rules file '/nonexistent/rules.txt'"});
}

TEST_F(RulesFileMisuse, DirectoryInsteadOfFile) {
  tfaot::Model<fake::doubler> model;
  const std::string dir = ::testing::TempDir();
  expectError([&] { model.setBatchRules(dir); }, "FileReadError",
              {"model 'fake_doubler'", "cannot read batch rules file '" + dir + "'"});
}

TEST_F(RulesFileMisuse, MalformedLine) {
  tfaot::Model<fake::doubler> model;
  const std::string path = write("3:4\n# comment\n5:4,,1\n");
  expectError([&] { model.setBatchRules(path); }, "InvalidBatchRule",
              {"model 'fake_doubler'", path + ":3:", "size '' is not a number"});
  EXPECT_EQ(model.getBatchStrategy().nRules(), 0u);
}

TEST_F(RulesFileMisuse, TwoRulesForOneBatchSize) {
  tfaot::Model<fake::doubler> model;
  const std::string path = write("3:4\n3:2,1\n");
  expectError([&] { model.setBatchRules(path); }, "InvalidBatchRule",
              {"model 'fake_doubler'", path + ":2:", "second rule for batch size 3"});
  EXPECT_EQ(model.getBatchStrategy().nRules(), 0u);
}

TEST_F(RulesFileMisuse, NonCompiledSize) {
  tfaot::Model<fake::doubler> model;
  const std::string path = write("3:4\n6:3,3\n");
  expectError([&] { model.setBatchRules(path); }, "UnknownBatchSize",
              {"model 'fake_doubler'", path + ":2:", "uses size 3"});
  EXPECT_EQ(model.getBatchStrategy().nRules(), 0u);
}

}  // namespace
