// BatchRule / BatchStrategy: parsing, validation and CMSSW's default rule.
#include <gtest/gtest.h>

#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "tfaot/Batching.h"

namespace {

using tfaot::BatchRule;
using tfaot::BatchStrategy;
using Sizes = std::vector<size_t>;

TEST(BatchRule, ExplicitConstructor) {
  BatchRule rule(5, {2, 2, 2}, 1);
  EXPECT_EQ(rule.getBatchSize(), 5u);
  EXPECT_EQ(rule.getSizes(), (Sizes{2, 2, 2}));
  EXPECT_EQ(rule.nSizes(), 3u);
  EXPECT_EQ(rule.getSize(2), 2u);
  EXPECT_EQ(rule.getLastPadding(), 1u);

  BatchRule noPadding(3, {1, 2});
  EXPECT_EQ(noPadding.getLastPadding(), 0u);
  EXPECT_EQ(noPadding.nSizes(), 2u);
}

TEST(BatchRule, ParsesStrings) {
  BatchRule a("5:2,2,2");
  EXPECT_EQ(a.getBatchSize(), 5u);
  EXPECT_EQ(a.getSizes(), (Sizes{2, 2, 2}));
  EXPECT_EQ(a.getLastPadding(), 1u);

  BatchRule b("5:1,4");
  EXPECT_EQ(b.getSizes(), (Sizes{1, 4}));
  EXPECT_EQ(b.getLastPadding(), 0u);

  BatchRule c("3:4");
  EXPECT_EQ(c.getSizes(), (Sizes{4}));
  EXPECT_EQ(c.getLastPadding(), 1u);

  BatchRule d(" 7 : 4 , 4 ");
  EXPECT_EQ(d.getBatchSize(), 7u);
  EXPECT_EQ(d.getSizes(), (Sizes{4, 4}));
  EXPECT_EQ(d.getLastPadding(), 1u);

  // String and explicit forms describe the same rule.
  EXPECT_EQ(BatchRule("5:2,2,2"), BatchRule(5, {2, 2, 2}, 1));
  EXPECT_NE(BatchRule("5:1,4"), BatchRule("5:4,1"));
}

// Which strings are accepted, and each rejection's category, is cmssw_batching_test.cc's
// table; here: the messages say what is wrong.
void expectRuleError(const std::string& text, const std::string& category,
                     const std::string& needle) {
  try {
    BatchRule rule(text);
    ADD_FAILURE() << "rule '" << text << "' was accepted: " << rule;
  } catch (const tfaot::Exception& e) {
    EXPECT_EQ(e.category(), category) << text;
    EXPECT_NE(std::string(e.what()).find("invalid batch rule '" + text + "': " + needle),
              std::string::npos)
        << e.what();
  }
}

TEST(BatchRule, RejectedStringsSayWhy) {
  expectRuleError("5", "InvalidBatchRule", "expected 'batchSize:size1,...,sizeN'");
  expectRuleError(":2", "InvalidBatchRule", "target batch size '' is not a number");
  expectRuleError("5:2,x", "InvalidBatchRule", "size 'x' is not a number");
  expectRuleError("5:-2,7", "InvalidBatchRule", "size '-2' is negative");
  expectRuleError("-5:2", "InvalidBatchRule", "target batch size '-5' is negative");
  expectRuleError("5:2147483648", "InvalidBatchRule",
                  "size '2147483648' is out of range (at most 2147483647)");
  expectRuleError("-2147483649:1", "InvalidBatchRule",
                  "target batch size '-2147483649' is out of range");
  expectRuleError("5:2,2", "InvalidBatchRule",
                  "sum of sizes 4 is smaller than the target batch size 5");
  expectRuleError("0:", "EmptySizes", "no sizes given");
  expectRuleError("5:4,2,2", "WrongPadding", "padding 3 must be smaller than the last size 2");
  expectRuleError("4:2,2,0", "WrongPadding", "padding 0 must be smaller than the last size 0");
}

TEST(BatchRule, ValidatesExplicitRules) {
  auto expectError = [](size_t bs, const Sizes& sizes, size_t padding, const char* category,
                        const char* needle) {
    try {
      BatchRule rule(bs, sizes, padding);
      ADD_FAILURE() << "accepted " << rule;
    } catch (const tfaot::Exception& e) {
      EXPECT_EQ(e.category(), category);
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  expectError(3, {}, 0, "EmptySizes", "batch rule for batch size 3: no sizes");
  expectError(3, {2, 2}, 2, "WrongPadding", "padding 2 must be smaller than the last size 2");
  expectError(3, {2, 2}, 0, "WrongBatchSize", "sum of sizes minus padding is 4, not the batch size 3");
  expectError(5, {2, 2}, 0, "WrongBatchSize", "sum of sizes minus padding is 4");
  expectError(3, {2, 2}, 5, "WrongPadding", "padding 5");
  expectError(2, {2, 0}, 0, "WrongPadding", "padding 0 must be smaller than the last size 0");
  expectError(0, {1}, 0, "WrongBatchSize", "sum of sizes minus padding is 1");
  expectError(3, {std::numeric_limits<size_t>::max(), 4}, 0, "WrongBatchSize", "sizes overflow");
  // Sizes of 0 before the last one are accepted, as by CMSSW (Model rejects them: not compiled).
  EXPECT_EQ(BatchRule(4, {0, 4}).getSizes(), (Sizes{0, 4}));
}

TEST(BatchRule, Streams) {
  std::ostringstream out;
  out << BatchRule("5:2,2,2");
  EXPECT_EQ(out.str(), "BatchRule(batchSize=5, sizes=2,2,2, lastPadding=1)");
}

TEST(BatchStrategy, SetHasGet) {
  BatchStrategy strategy;
  EXPECT_EQ(strategy.nRules(), 0u);
  EXPECT_FALSE(strategy.hasRule(3));
  strategy.setRule(BatchRule(3, {2, 2}, 1));
  strategy.setRule("5:2,2,2");
  EXPECT_TRUE(strategy.hasRule(3));
  EXPECT_TRUE(strategy.hasRule(5));
  EXPECT_FALSE(strategy.hasRule(4));
  EXPECT_EQ(strategy.nRules(), 2u);
  EXPECT_EQ(strategy.getRule(5).nSizes(), 3u);

  // Replacing a rule keeps one rule per batch size.
  strategy.setRule("3:1,2");
  EXPECT_EQ(strategy.nRules(), 2u);
  EXPECT_EQ(strategy.getRule(3).getSizes(), (Sizes{1, 2}));
  EXPECT_EQ(strategy.getRule(3).getLastPadding(), 0u);

  try {
    strategy.getRule(4);
    ADD_FAILURE() << "getRule(4) did not throw";
  } catch (const tfaot::Exception& e) {
    EXPECT_EQ(e.category(), "UnknownBatchSize");
    EXPECT_NE(std::string(e.what()).find("batch size 4"), std::string::npos) << e.what();
  }
  EXPECT_THROW(strategy.setRule("3:"), tfaot::Exception);
  EXPECT_EQ(strategy.getRule(3).getSizes(), (Sizes{1, 2}));  // unchanged by the failure
}

TEST(BatchStrategy, DefaultRuleUsesExactSize) {
  BatchStrategy strategy;
  strategy.setDefaultRule(4, {1, 2, 4});
  EXPECT_EQ(strategy.getRule(4).getSizes(), (Sizes{4}));
  EXPECT_EQ(strategy.getRule(4).getLastPadding(), 0u);
  strategy.setDefaultRule(2, {4, 2, 8});  // unsorted lists work too
  EXPECT_EQ(strategy.getRule(2).getSizes(), (Sizes{2}));
}

TEST(BatchStrategy, DefaultRuleRepeatsSmallestSize) {
  struct Case {
    size_t batchSize;
    Sizes available;
    Sizes sizes;
    size_t padding;
  };
  const Case cases[] = {
      {3, {1, 2, 4}, {1, 1, 1}, 0},   // smallest is 1: never padded
      {5, {2, 4}, {2, 2, 2}, 1},      // CMSSW never mixes sizes (not 4 + 2 padded)
      {6, {2, 4}, {2, 2, 2}, 0},
      {1, {2, 4}, {2}, 1},
      {7, {8, 3}, {3, 3, 3}, 2},
      {10, {4}, {4, 4, 4}, 2},
      {100, {16, 32}, Sizes(7, 16), 12},
  };
  for (const Case& c : cases) {
    BatchStrategy strategy;
    strategy.setDefaultRule(c.batchSize, c.available);
    const BatchRule& rule = strategy.getRule(c.batchSize);
    EXPECT_EQ(rule.getSizes(), c.sizes) << rule;
    EXPECT_EQ(rule.getLastPadding(), c.padding) << rule;
    EXPECT_EQ(rule.getBatchSize(), c.batchSize);
  }
}

TEST(BatchStrategy, DefaultRuleErrors) {
  // Categories: cmssw_batching_test.cc (DefaultRules).
  BatchStrategy strategy;
  EXPECT_THROW(strategy.setDefaultRule(3, {}), tfaot::Exception);
  EXPECT_THROW(strategy.setDefaultRule(0, {1, 2}), tfaot::Exception);
  EXPECT_THROW(strategy.setDefaultRule(3, {0, 2}), tfaot::Exception);
  EXPECT_EQ(strategy.nRules(), 0u);
}

}  // namespace
