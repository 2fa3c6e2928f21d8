// BatchRule / BatchStrategy: parsing, validation and CMSSW's default rule.
#include <gtest/gtest.h>

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

void expectRuleError(const std::string& text) {
  try {
    BatchRule rule(text);
    ADD_FAILURE() << "rule '" << text << "' was accepted: " << rule;
  } catch (const tfaot::Exception& e) {
    EXPECT_EQ(e.category(), "BatchRule") << text;
    EXPECT_NE(std::string(e.what()).find("batch"), std::string::npos) << e.what();
  }
}

TEST(BatchRule, RejectsMalformedStrings) {
  for (const char* text :
       {"", "5", "5;2,2,2", "5:", ":2", "x:2", "5:x", "5:2,", "5:,2", "5:2,,2", "5:2:2",
        "5:-2,7", "-5:2", "5:2.0,3", "5:+2,3", "5:2 3", "5:0x2,3", "5:2,2,2,", "2:1e3",
        "5:99999999999999999999999", "99999999999999999999999:1", "5:18446744073709551615,2"}) {
    expectRuleError(text);
  }
}

TEST(BatchRule, RejectsInconsistentStrings) {
  expectRuleError("5:2,2");    // sum smaller than the target
  expectRuleError("5:4,2,2");  // padding 3 not smaller than the last size 2
  expectRuleError("1:1,1");    // padding 1 == last size 1
  expectRuleError("0:1");      // padding 1 == last size: a batch of 0 is never valid
  expectRuleError("4:2,0,2");  // a size of 0
  expectRuleError("2:2,0");
}

TEST(BatchRule, ValidatesExplicitRules) {
  auto expectError = [](size_t bs, const Sizes& sizes, size_t padding, const char* needle) {
    try {
      BatchRule rule(bs, sizes, padding);
      ADD_FAILURE() << "accepted " << rule;
    } catch (const tfaot::Exception& e) {
      EXPECT_EQ(e.category(), "BatchRule");
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  expectError(3, {}, 0, "no sizes");
  expectError(3, {2, 2}, 2, "padding 2 must be smaller than the last size 2");
  expectError(3, {2, 2}, 0, "sum of sizes minus padding is 4");
  expectError(5, {2, 2}, 0, "sum of sizes minus padding is 4");
  expectError(3, {2, 2}, 5, "padding 5");
  expectError(2, {2, 0}, 0, "size 1 is 0");
  expectError(0, {1}, 0, "sum of sizes minus padding is 1");
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
  BatchStrategy strategy;
  EXPECT_THROW(strategy.setDefaultRule(3, {}), tfaot::Exception);
  EXPECT_THROW(strategy.setDefaultRule(0, {1, 2}), tfaot::Exception);
  EXPECT_THROW(strategy.setDefaultRule(3, {0, 2}), tfaot::Exception);
  EXPECT_EQ(strategy.nRules(), 0u);
}

}  // namespace
