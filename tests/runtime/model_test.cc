// tfaot::Model::run against the fake models: stitching, padding, mixed types, misuse.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "expect_error.h"
#include "fake_models.h"
#include "tfaot/tfaot.h"

namespace {

using Sizes = std::vector<size_t>;

// Deterministic non-zero test data: entry b, element j.
tfaot::FloatArrays floats(size_t batch, size_t count, float base = 1.0f) {
  tfaot::FloatArrays x(batch, std::vector<float>(count));
  for (size_t b = 0; b < batch; ++b) {
    for (size_t j = 0; j < count; ++j) x[b][j] = base + 0.5f * b - 0.25f * j + 0.125f * (b * j);
  }
  return x;
}
tfaot::DoubleArrays doubles(size_t batch, size_t count) {
  tfaot::DoubleArrays x(batch, std::vector<double>(count));
  for (size_t b = 0; b < batch; ++b) {
    for (size_t j = 0; j < count; ++j) x[b][j] = (b % 3 == 0 ? -1.0 : 1.0) * (1.5 + b + 0.1 * j);
  }
  return x;
}

class ModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tfaot_model::test_simple::log.reset();
    tfaot_model::test_multi::log.reset();
    tfaot_model::test_ints::log.reset();
    fake::doubler::log.reset();
  }
};

TEST_F(ModelTest, NameAndSizes) {
  tfaot::Model<tfaot_model::test_simple> model;
  EXPECT_EQ(model.name(), "tfaot_model_test_simple");  // CMSSW's "<namespace>_<class>"
  EXPECT_EQ(model.batchSizes(), (Sizes{1, 2, 4}));
  EXPECT_EQ(model.getBatchStrategy().nRules(), 0u);
}

TEST_F(ModelTest, DoublerEveryBatchSize) {
  tfaot::Model<fake::doubler> model;
  for (size_t bs = 1; bs <= 13; ++bs) {
    const auto x = floats(bs, 3);
    auto [y] = model.run<tfaot::FloatArrays>(bs, x);
    ASSERT_EQ(y.size(), bs);
    for (size_t b = 0; b < bs; ++b) {
      ASSERT_EQ(y[b].size(), 3u);
      for (size_t j = 0; j < 3; ++j) EXPECT_EQ(y[b][j], 2.0f * x[b][j]) << bs << " " << b;
    }
    // Default rule: the exact size if compiled, else 1 repeated (smallest compiled size).
    const tfaot::BatchRule& rule = model.getBatchStrategy().getRule(bs);
    EXPECT_EQ(rule.getSizes(), (bs == 1 || bs == 2 || bs == 4) ? Sizes{bs} : Sizes(bs, 1));
  }
  EXPECT_EQ(model.getBatchStrategy().nRules(), 13u);
  EXPECT_EQ(fake::doubler::log.badScratch, 0u);
}

TEST_F(ModelTest, StitchesWithPaddingAndZeroFillsIt) {
  tfaot::Model<tfaot_model::test_simple> model;
  model.setBatchRule("7:4,2,2");  // padding 1
  model.setBatchRule(3, {4}, 1);
  auto& log = tfaot_model::test_simple::log;

  // First run a batch that fills all of the bs 4 buffer with non-zero data, so stale data
  // would be visible in the padded run below.
  const auto warm = floats(4, 4, 9.0f);
  model.run<tfaot::FloatArrays>(4, warm);
  log.reset();

  const auto x = floats(7, 4);
  auto [y] = model.run<tfaot::FloatArrays>(7, x);
  ASSERT_EQ(y.size(), 7u);
  for (size_t b = 0; b < 7; ++b) {
    float expected[2];
    fake::simpleEntry(x[b].data(), expected);
    ASSERT_EQ(y[b].size(), 2u);
    EXPECT_EQ(y[b][0], expected[0]) << b;
    EXPECT_EQ(y[b][1], expected[1]) << b;
  }
  EXPECT_EQ(log.calls(), (Sizes{4, 2, 2}));
  EXPECT_EQ(log.zeroEntries[0], 0u);
  EXPECT_EQ(log.zeroEntries[1], 0u);
  EXPECT_EQ(log.zeroEntries[2], 0b10u);  // the padded entry only

  log.reset();
  const auto x3 = floats(3, 4, 2.0f);
  auto [y3] = model.run<tfaot::FloatArrays>(3, x3);
  EXPECT_EQ(log.calls(), (Sizes{4}));
  EXPECT_EQ(log.zeroEntries[0], 0b1000u);
  for (size_t b = 0; b < 3; ++b) {
    float expected[2];
    fake::simpleEntry(x3[b].data(), expected);
    EXPECT_EQ(y3[b][0], expected[0]);
    EXPECT_EQ(y3[b][1], expected[1]);
  }
}

TEST_F(ModelTest, RuleStitchingWithoutPadding) {
  tfaot::Model<tfaot_model::test_simple> model;
  model.setBatchRule("5:1,4");
  const auto x = floats(5, 4);
  auto [y] = model.run<tfaot::FloatArrays>(5, x);
  EXPECT_EQ(tfaot_model::test_simple::log.calls(), (Sizes{1, 4}));
  EXPECT_EQ(tfaot_model::test_simple::log.zeroEntries[1], 0u);
  for (size_t b = 0; b < 5; ++b) {
    float expected[2];
    fake::simpleEntry(x[b].data(), expected);
    EXPECT_EQ(y[b], std::vector<float>(expected, expected + 2)) << b;
  }
}

TEST_F(ModelTest, MixedTypes) {
  tfaot::Model<tfaot_model::test_multi> model;
  model.setBatchRule("3:2,2");
  auto& log = tfaot_model::test_multi::log;
  for (size_t bs : {1, 2, 3, 4, 6}) {
    log.reset();
    const auto a = floats(bs, 4, -2.0f);
    const auto d = doubles(bs, 4);
    auto [f, flags] = model.run<tfaot::FloatArrays, tfaot::BoolArrays>(bs, a, d);
    ASSERT_EQ(f.size(), bs);
    ASSERT_EQ(flags.size(), bs);
    for (size_t b = 0; b < bs; ++b) {
      float ef[2];
      bool eflag[2];
      fake::multiEntry(a[b].data(), d[b].data(), ef, eflag);
      EXPECT_EQ(f[b], std::vector<float>(ef, ef + 2)) << bs << " " << b;
      EXPECT_EQ(flags[b], std::vector<bool>(eflag, eflag + 2)) << bs << " " << b;
    }
    if (bs == 3) {
      EXPECT_EQ(log.calls(), (Sizes{2, 2}));
      EXPECT_EQ(log.zeroEntries[1], 0b10u);
    }
    if (bs == 6) {
      EXPECT_EQ(log.calls(), Sizes(6, 1));
    }
  }
  EXPECT_EQ(log.badScratch, 0u);
}

TEST_F(ModelTest, BoolOutputsVaryPerEntry) {
  // Guards against bit-packing mistakes: both true and false must come out where expected.
  tfaot::Model<tfaot_model::test_multi> model;
  tfaot::FloatArrays a = {{1, 1, 1, 1}, {-1, 0, 0, 0}, {5, 0, 0, 0}, {-5, 0, 0, 0}};
  tfaot::DoubleArrays d = {{0, 0, 0, 0}, {0, 0, 0, 9}, {9, 0, 0, 0}, {-9, 0, 0, 0}};
  auto [f, flags] = model.run<tfaot::FloatArrays, tfaot::BoolArrays>(4, a, d);
  EXPECT_EQ(flags, (tfaot::BoolArrays{{true, true}, {false, false}, {false, true}, {true, false}}));
}

TEST_F(ModelTest, IntegerTypes) {
  tfaot::Model<tfaot_model::test_ints> model;
  auto& log = tfaot_model::test_ints::log;
  for (size_t bs = 1; bs <= 8; ++bs) {
    log.reset();
    tfaot::Int32Arrays a(bs, std::vector<int32_t>(3));
    tfaot::Int64Arrays b(bs, std::vector<int64_t>(2));
    for (size_t e = 0; e < bs; ++e) {
      a[e] = {int32_t(e + 1), -int32_t(3 * e), 7};
      b[e] = {int64_t(1) << 40, int64_t(e) - 2};
    }
    auto [neg, sum] = model.run<tfaot::Int32Arrays, tfaot::Int64Arrays>(bs, a, b);
    ASSERT_EQ(neg.size(), bs);
    ASSERT_EQ(sum.size(), bs);
    for (size_t e = 0; e < bs; ++e) {
      int64_t es;
      int32_t en[3];
      fake::intsEntry(a[e].data(), b[e].data(), &es, en);
      EXPECT_EQ(sum[e], std::vector<int64_t>{es});
      EXPECT_EQ(neg[e], std::vector<int32_t>(en, en + 3));
    }
    // Compiled sizes are 2 and 3: default rules repeat 2, padding odd sizes other than 3.
    const tfaot::BatchRule& rule = model.getBatchStrategy().getRule(bs);
    if (bs == 2 || bs == 3) {
      EXPECT_EQ(rule.getSizes(), Sizes{bs});
    } else {
      EXPECT_EQ(rule.getSizes(), Sizes((bs + 1) / 2, 2));
      EXPECT_EQ(rule.getLastPadding(), bs % 2);
      if (bs % 2 == 1) {
        EXPECT_EQ(log.zeroEntries[log.n - 1], 0b10u);
      }
    }
  }
  EXPECT_EQ(log.badScratch, 0u);
}

TEST_F(ModelTest, AcceptsTemporariesAndConstInputs) {
  tfaot::Model<fake::doubler> model;
  auto [y] = model.run<tfaot::FloatArrays>(2, tfaot::FloatArrays{{1, 2, 3}, {4, 5, 6}});
  EXPECT_EQ(y, (tfaot::FloatArrays{{2, 4, 6}, {8, 10, 12}}));
  const tfaot::FloatArrays x = {{1, 1, 1}};
  tfaot::FloatArrays out;
  std::tie(out) = model.run<tfaot::FloatArrays>(1, x);
  EXPECT_EQ(out, (tfaot::FloatArrays{{2, 2, 2}}));
}

TEST_F(ModelTest, MoveKeepsWorking) {
  tfaot::Model<fake::doubler> a;
  a.setBatchRule("3:4");
  a.run<tfaot::FloatArrays>(3, floats(3, 3));
  tfaot::Model<fake::doubler> b = std::move(a);
  EXPECT_TRUE(b.getBatchStrategy().hasRule(3));
  auto [y] = b.run<tfaot::FloatArrays>(3, tfaot::FloatArrays{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
  EXPECT_EQ(y, (tfaot::FloatArrays{{2, 0, 0}, {0, 2, 0}, {0, 0, 2}}));
}

TEST_F(ModelTest, SetBatchStrategy) {
  tfaot::Model<tfaot_model::test_simple> model;
  tfaot::BatchStrategy strategy;
  strategy.setRule("3:2,2");
  model.setBatchStrategy(strategy);
  EXPECT_TRUE(model.getBatchStrategy().hasRule(3));
  model.run<tfaot::FloatArrays>(3, floats(3, 4));
  EXPECT_EQ(tfaot_model::test_simple::log.calls(), (Sizes{2, 2}));

  tfaot::BatchStrategy bad;
  bad.setRule("6:3,3");  // 3 is not compiled
  expectError([&] { model.setBatchStrategy(bad); }, "UnknownBatchSize",
              {"test_simple", "uses size 3", "compiled: 1,2,4"});
  EXPECT_TRUE(model.getBatchStrategy().hasRule(3));  // the old strategy is kept
  EXPECT_FALSE(model.getBatchStrategy().hasRule(6));
}

// ---- misuse: every case throws tfaot::Exception naming the model ----------------------------

TEST_F(ModelTest, WrongNumberOfInputsOrOutputs) {
  tfaot::Model<tfaot_model::test_multi> model;
  const auto a = floats(2, 4);
  const auto d = doubles(2, 4);
  expectError([&] { model.run<tfaot::FloatArrays, tfaot::BoolArrays>(2, a); }, "InputMismatch",
              {"test_multi", "received 1 inputs, but 2 are expected"});
  expectError([&] { model.run<tfaot::FloatArrays, tfaot::BoolArrays>(2, a, d, d); },
              "InputMismatch", {"test_multi", "received 3 inputs"});
  expectError([&] { model.run<tfaot::FloatArrays>(2, a, d); }, "OutputMismatch",
              {"test_multi", "requested 1 outputs", "2 are provided"});
  expectError(
      [&] { model.run<tfaot::FloatArrays, tfaot::BoolArrays, tfaot::FloatArrays>(2, a, d); },
      "OutputMismatch", {"test_multi", "requested 3 outputs"});
  EXPECT_EQ(tfaot_model::test_multi::log.n, 0u);
}

TEST_F(ModelTest, WrongEntryCounts) {
  tfaot::Model<tfaot_model::test_multi> model;
  auto a = floats(3, 4);
  auto d = doubles(3, 4);
  d[2].push_back(1.0);  // ragged: entry 2 of input 1 has 5 elements
  expectError([&] { model.run<tfaot::FloatArrays, tfaot::BoolArrays>(3, a, d); },
              "InputMismatch",
              {"model 'tfaot_model_test_multi'", "input 1 ('input2')", "entry 2", "has 5 elements",
               "4 are expected"});
  d[2].pop_back();
  a[0].clear();
  expectError([&] { model.run<tfaot::FloatArrays, tfaot::BoolArrays>(3, a, d); },
              "InputMismatch", {"test_multi", "input 0 ('input1') entry 0 has 0 elements"});
  EXPECT_EQ(tfaot_model::test_multi::log.n, 0u);  // nothing ran
}

TEST_F(ModelTest, InputsNeedAtLeastBatchSizeEntries) {
  tfaot::Model<tfaot_model::test_multi> model;
  const auto a = floats(3, 4);
  const auto d = doubles(2, 4);
  expectError([&] { model.run<tfaot::FloatArrays, tfaot::BoolArrays>(3, a, d); },
              "InputMismatch",
              {"model 'tfaot_model_test_multi'", "input 1 ('input2') has 2 batch entries",
               "fewer than the batch size 3"});
  EXPECT_EQ(tfaot_model::test_multi::log.n, 0u);
  // As in CMSSW, the default rule is registered before the inputs are looked at.
  EXPECT_TRUE(model.getBatchStrategy().hasRule(3));
  // More entries than the batch size: the first batchSize are used (CMSSW's behaviour).
  auto [f, flags] = model.run<tfaot::FloatArrays, tfaot::BoolArrays>(2, a, d);
  EXPECT_EQ(f.size(), 2u);
  EXPECT_EQ(flags.size(), 2u);
}

TEST_F(ModelTest, BatchSizeZero) {
  tfaot::Model<fake::doubler> model;
  expectError([&] { model.run<tfaot::FloatArrays>(0, tfaot::FloatArrays{}); }, "EmptySizes",
              {"fake_doubler", "batch size 0"});
}

TEST_F(ModelTest, RulesForNonCompiledSizes) {
  tfaot::Model<tfaot_model::test_simple> model;
  expectError([&] { model.setBatchRule("6:3,3"); }, "UnknownBatchSize",
              {"model 'tfaot_model_test_simple'", "uses size 3", "compiled: 1,2,4"});
  expectError([&] { model.setBatchRule(8, {8}); }, "UnknownBatchSize",
              {"test_simple", "uses size 8"});
  EXPECT_EQ(model.getBatchStrategy().nRules(), 0u);
}

TEST_F(ModelTest, InvalidRulesNameTheModel) {
  tfaot::Model<tfaot_model::test_simple> model;
  for (const char* rule : {"5", "5:", "5:2,2", "a:1", "5:2,,2"}) {
    expectError([&] { model.setBatchRule(rule); }, "InvalidBatchRule",
                {"model 'tfaot_model_test_simple'"});
  }
  for (const char* rule : {"5:4,2,2", "1:1,1"}) {
    expectError([&] { model.setBatchRule(rule); }, "WrongPadding",
                {"model 'tfaot_model_test_simple'"});
  }
  expectError([&] { model.setBatchRule(3, {2, 2}, 2); }, "WrongPadding",
              {"model 'tfaot_model_test_simple'", "padding 2 must be smaller than the last size 2"});
  expectError([&] { model.setBatchRule(3, {}, 0); }, "EmptySizes",
              {"model 'tfaot_model_test_simple'", "no sizes"});
  expectError([&] { model.setBatchRule(3, {2, 2}, 0); }, "WrongBatchSize",
              {"model 'tfaot_model_test_simple'", "sum of sizes minus padding is 4"});
  EXPECT_EQ(model.getBatchStrategy().nRules(), 0u);
}

}  // namespace
