// CMSSW's batching semantics (PhysicsTools/TensorFlowAOT src/Batching.cc, interface/Model.h),
// one row per case: the rule is accepted as CMSSW accepts it (same batch size, sizes and
// padding) or rejected with the category CMSSW throws. Rows marked `cmssw` are the deviations
// of docs/cmssw-runtime.md: there CMSSW throws a non-cms std exception from std::stoi, accepts
// a wrapped-around negative number, or has undefined behaviour, and tfaot throws the closest
// CMSSW category instead. Built into tfaot_runtime_tests and, against the fake cms::Exception,
// into tfaot_runtime_cmssw_tests: tfaot::Exception is cms::Exception there.
#include <gtest/gtest.h>

#include <climits>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "fake_models.h"
#include "tfaot/tfaot.h"

namespace {

using Sizes = std::vector<size_t>;
constexpr size_t kMax = std::numeric_limits<size_t>::max();
constexpr size_t kIntMax = static_cast<size_t>(INT_MAX);

// category == nullptr: accepted with batchSize / sizes / padding. cmssw: what CMSSW does
// instead, for the deviations (nullptr: the same as tfaot).
struct StringRow {
  const char* rule;
  const char* category;
  size_t batchSize;
  Sizes sizes;
  size_t padding;
  const char* cmssw;
};

const StringRow kStringRows[] = {
    // accepted
    {"5:2,2,2", nullptr, 5, {2, 2, 2}, 1, nullptr},
    {"5:1,4", nullptr, 5, {1, 4}, 0, nullptr},
    {"4:2,2", nullptr, 4, {2, 2}, 0, nullptr},
    {"1:1", nullptr, 1, {1}, 0, nullptr},
    {"3:4", nullptr, 3, {4}, 1, nullptr},
    {"5:10", nullptr, 5, {10}, 5, nullptr},
    {"5:4,2", nullptr, 5, {4, 2}, 1, nullptr},
    {"5:2,2,2,", nullptr, 5, {2, 2, 2}, 1, nullptr},          // a trailing comma ends the list
    {" 5: 2, 2 ,2", nullptr, 5, {2, 2, 2}, 1, nullptr},       // stoi skips leading space
    {"\t5:\n2,\v2,\f2\r", nullptr, 5, {2, 2, 2}, 1, nullptr},  // any isspace; "\r" trails
    {"5 :2 ,3 ", nullptr, 5, {2, 3}, 0, nullptr},             // stoi ignores what follows
    {"1x:1", nullptr, 1, {1}, 0, nullptr},
    {"5:2x,3y", nullptr, 5, {2, 3}, 0, nullptr},
    {"5:2.5,3", nullptr, 5, {2, 3}, 0, nullptr},
    {"5:2 2,3", nullptr, 5, {2, 3}, 0, nullptr},
    {"5:4,1 # tuned", nullptr, 5, {4, 1}, 0, nullptr},
    {"2:2:3", nullptr, 2, {2}, 0, nullptr},  // "2:3" reads as 2
    {"+5:+2,+3", nullptr, 5, {2, 3}, 0, nullptr},
    {"007:004,004", nullptr, 7, {4, 4}, 1, nullptr},
    {"5:0,5", nullptr, 5, {0, 5}, 0, nullptr},  // size 0 before the last one
    {"5:-0,5", nullptr, 5, {0, 5}, 0, nullptr},
    {"2147483647:2147483647", nullptr, kIntMax, {kIntMax}, 0, nullptr},
    // rejected with CMSSW's category
    {"", "InvalidBatchRule", 0, {}, 0, nullptr},  // no ':'
    {"5", "InvalidBatchRule", 0, {}, 0, nullptr},
    {"5;2,2,2", "InvalidBatchRule", 0, {}, 0, nullptr},
    {"5:2,2", "InvalidBatchRule", 0, {}, 0, nullptr},  // sum 4 < 5
    {"5:", "InvalidBatchRule", 0, {}, 0, nullptr},     // sum 0 < 5
    {"5:2:3", "InvalidBatchRule", 0, {}, 0, nullptr},  // sizes {2}
    {"5:0x2,3", "InvalidBatchRule", 0, {}, 0, nullptr},  // sizes {0, 3}
    {"-1:2", "InvalidBatchRule", 0, {}, 0, nullptr},   // CMSSW: SIZE_MAX > sum 2
    {"5:2,-1", "InvalidBatchRule", 0, {}, 0, nullptr},  // CMSSW: the sum wraps to 1 < 5
    {"0:", "EmptySizes", 0, {}, 0, nullptr},
    {"-0:", "EmptySizes", 0, {}, 0, nullptr},
    {"0:1", "WrongPadding", 0, {}, 0, nullptr},
    {"0:0", "WrongPadding", 0, {}, 0, nullptr},
    {"0x5:5", "WrongPadding", 0, {}, 0, nullptr},  // batch size 0, padding 5
    {"1:1,1", "WrongPadding", 0, {}, 0, nullptr},
    {"5:3,3,3", "WrongPadding", 0, {}, 0, nullptr},
    {"5:4,2,2", "WrongPadding", 0, {}, 0, nullptr},
    {"2:4,2", "WrongPadding", 0, {}, 0, nullptr},
    {"4:4,0", "WrongPadding", 0, {}, 0, nullptr},  // last size 0
    // deviations: CMSSW throws std::invalid_argument (std::stoi finds no digits)
    {":2", "InvalidBatchRule", 0, {}, 0, "std::invalid_argument"},
    {":", "InvalidBatchRule", 0, {}, 0, "std::invalid_argument"},
    {"x:2", "InvalidBatchRule", 0, {}, 0, "std::invalid_argument"},
    {"5:x", "InvalidBatchRule", 0, {}, 0, "std::invalid_argument"},
    {"5:2,,2", "InvalidBatchRule", 0, {}, 0, "std::invalid_argument"},
    {"5:,2,3", "InvalidBatchRule", 0, {}, 0, "std::invalid_argument"},
    {"5: ", "InvalidBatchRule", 0, {}, 0, "std::invalid_argument"},
    {"5:2,2,2, ", "InvalidBatchRule", 0, {}, 0, "std::invalid_argument"},
    {"5:2,2,2,,", "InvalidBatchRule", 0, {}, 0, "std::invalid_argument"},
    {"5::2", "InvalidBatchRule", 0, {}, 0, "std::invalid_argument"},
    {"- 1:1", "InvalidBatchRule", 0, {}, 0, "std::invalid_argument"},
    {"+-1:1", "InvalidBatchRule", 0, {}, 0, "std::invalid_argument"},
    // deviations: CMSSW throws std::out_of_range (beyond int)
    {"2147483648:1", "InvalidBatchRule", 0, {}, 0, "std::out_of_range"},
    {"99999999999999999999999:1", "InvalidBatchRule", 0, {}, 0, "std::out_of_range"},
    {"5:99999999999", "InvalidBatchRule", 0, {}, 0, "std::out_of_range"},
    // deviations: CMSSW accepts a negative size wrapped to SIZE_MAX (the sum wraps back)
    {"5:-1,6", "InvalidBatchRule", 0, {}, 0, "accepted: sizes {SIZE_MAX, 6}"},
    {"-1:-1", "InvalidBatchRule", 0, {}, 0, "accepted: batch size SIZE_MAX"},
};

TEST(CmsswBatching, RuleStrings) {
  for (const StringRow& row : kStringRows) {
    SCOPED_TRACE(std::string("rule '") + row.rule + "'" +
                 (row.cmssw ? std::string(" (CMSSW: ") + row.cmssw + ")" : std::string()));
    if (row.category == nullptr) {
      const tfaot::BatchRule rule{std::string(row.rule)};
      EXPECT_EQ(rule.getBatchSize(), row.batchSize);
      EXPECT_EQ(rule.getSizes(), row.sizes);
      EXPECT_EQ(rule.getLastPadding(), row.padding);
      continue;
    }
    try {
      const tfaot::BatchRule rule{std::string(row.rule)};
      ADD_FAILURE() << "accepted: " << rule;
    } catch (const tfaot::Exception& e) {
      EXPECT_EQ(e.category(), row.category) << e.what();
      // Every message quotes the rule.
      EXPECT_NE(std::string(e.what()).find(std::string("'") + row.rule + "'"), std::string::npos)
          << e.what();
    }
  }
}

struct NumericRow {
  size_t batchSize;
  Sizes sizes;
  size_t padding;
  const char* category;
  const char* cmssw;
};

const NumericRow kNumericRows[] = {
    {5, {2, 2, 2}, 1, nullptr, nullptr},
    {3, {1, 2}, 0, nullptr, nullptr},
    {4, {0, 4}, 0, nullptr, nullptr},
    {5, {}, 0, "EmptySizes", nullptr},
    {0, {}, 0, "EmptySizes", nullptr},
    {3, {2, 2}, 2, "WrongPadding", nullptr},
    {3, {2, 2}, 5, "WrongPadding", nullptr},
    {2, {2, 0}, 0, "WrongPadding", nullptr},
    {0, {1}, 0, "WrongBatchSize", nullptr},
    {5, {2, 2}, 0, "WrongBatchSize", nullptr},
    {3, {2, 2}, 0, "WrongBatchSize", nullptr},
    {3, {kMax, 4}, 0, "WrongBatchSize", "accepted: the sum wraps around to 3"},
};

TEST(CmsswBatching, NumericRules) {
  for (const NumericRow& row : kNumericRows) {
    SCOPED_TRACE(::testing::Message() << "batch size " << row.batchSize << ", "
                                      << row.sizes.size() << " sizes, padding " << row.padding
                                      << (row.cmssw ? std::string(" (CMSSW: ") + row.cmssw + ")"
                                                    : std::string()));
    try {
      const tfaot::BatchRule rule(row.batchSize, row.sizes, row.padding);
      EXPECT_EQ(row.category, nullptr) << "accepted: " << rule;
      EXPECT_EQ(rule.getSizes(), row.sizes);
    } catch (const tfaot::Exception& e) {
      ASSERT_NE(row.category, nullptr) << e.what();
      EXPECT_EQ(e.category(), row.category) << e.what();
    }
  }
}

TEST(CmsswBatching, DefaultRules) {
  struct Row {
    size_t batchSize;
    Sizes available;
    const char* category;
    const char* cmssw;
  };
  const Row rows[] = {
      {0, {1, 2, 4}, "EmptySizes", nullptr},     // 0 chunks of the smallest size
      {0, {0, 2}, "WrongPadding", nullptr},      // exact match: sizes {0}
      {3, {}, "EmptySizes", "undefined (min_element of an empty list)"},
      {3, {0, 2}, "InvalidBatchRule", "undefined (division by zero)"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(::testing::Message() << "batch size " << row.batchSize);
    tfaot::BatchStrategy strategy;
    try {
      strategy.setDefaultRule(row.batchSize, row.available);
      ADD_FAILURE() << "accepted: " << strategy.getRule(row.batchSize);
    } catch (const tfaot::Exception& e) {
      EXPECT_EQ(e.category(), row.category) << e.what();
    }
    EXPECT_EQ(strategy.nRules(), 0u);
  }
  try {
    tfaot::BatchStrategy().getRule(3);
    ADD_FAILURE() << "getRule(3) of an empty strategy";
  } catch (const tfaot::Exception& e) {
    EXPECT_EQ(e.category(), "UnknownBatchSize") << e.what();
  }
}

template <typename F>
std::string categoryOf(F&& f) {
  try {
    f();
  } catch (const tfaot::Exception& e) {
    return e.category();
  }
  return "(no exception)";
}

// Model.h: the categories of run() and of rules for sizes that are not compiled.
TEST(CmsswBatching, ModelCategories) {
  using Model = tfaot::Model<tfaot_model::test_multi>;
  Model model;
  const tfaot::FloatArrays a(2, std::vector<float>(4, 1.0f));
  const tfaot::DoubleArrays d(2, std::vector<double>(4, 1.0));
  using F = tfaot::FloatArrays;
  using B = tfaot::BoolArrays;
  EXPECT_EQ(categoryOf([&] { model.run<F, B>(2, a); }), "InputMismatch");
  EXPECT_EQ(categoryOf([&] { model.run<F>(2, a, d); }), "OutputMismatch");
  // CMSSW: the default rule of batch size 0 has no sizes.
  EXPECT_EQ(categoryOf([&] { model.run<F, B>(0, a, d); }), "EmptySizes");
  EXPECT_FALSE(model.getBatchStrategy().hasRule(0));
  // CMSSW: element count checked per entry.
  tfaot::FloatArrays ragged = a;
  ragged[1].pop_back();
  EXPECT_EQ(categoryOf([&] { model.run<F, B>(2, ragged, d); }), "InputMismatch");
  // CMSSW reads past the end of an input with fewer entries (undefined).
  EXPECT_EQ(categoryOf([&] { model.run<F, B>(3, a, d); }), "InputMismatch");
  // CMSSW registered the default rule before looking at the inputs.
  EXPECT_TRUE(model.getBatchStrategy().hasRule(3));
  // CMSSW accepts these rules and throws UnknownBatchSize when run() reaches size 3 / 0.
  EXPECT_EQ(categoryOf([&] { model.setBatchRule("6:3,3"); }), "UnknownBatchSize");
  EXPECT_EQ(categoryOf([&] { model.setBatchRule("4:0,4"); }), "UnknownBatchSize");
  EXPECT_EQ(categoryOf([&] { model.setBatchRule(8, {8}); }), "UnknownBatchSize");
  // Rule errors keep BatchRule's categories.
  EXPECT_EQ(categoryOf([&] { model.setBatchRule("5:2,,2"); }), "InvalidBatchRule");
  EXPECT_EQ(categoryOf([&] { model.setBatchRule(3, {}, 0); }), "EmptySizes");
  EXPECT_EQ(categoryOf([&] { model.setBatchRule("1:1,1"); }), "WrongPadding");
  EXPECT_EQ(categoryOf([&] { model.setBatchRule(3, {2, 2}, 0); }), "WrongBatchSize");
  EXPECT_FALSE(model.getBatchStrategy().hasRule(6));
}

// Model.h's run() registers the default rule of every new batch size, also when tfaot's
// dynamic-batch entry serves the call (and keeps serving it while the rule is that default).
TEST(CmsswBatching, RunRegistersTheDefaultRule) {
  tfaot::Model<tfaot_model::test_simple> plain;
  EXPECT_FALSE(plain.getBatchStrategy().hasRule(3));
  plain.run<tfaot::FloatArrays>(3, tfaot::FloatArrays(3, std::vector<float>(4, 1.0f)));
  ASSERT_TRUE(plain.getBatchStrategy().hasRule(3));
  EXPECT_EQ(plain.getBatchStrategy().getRule(3).getSizes(), (Sizes{1, 1, 1}));
  EXPECT_FALSE(plain.getBatchStrategy().hasRule(4));

  fake::dyn_doubler::log.reset();
  fake::dyn_doubler::dynamicLog.reset();
  tfaot::Model<fake::dyn_doubler> dynamic;
  const tfaot::FloatArrays x(5, std::vector<float>{1.0f, 2.0f, 3.0f});
  dynamic.run<tfaot::FloatArrays>(5, x);
  ASSERT_TRUE(dynamic.getBatchStrategy().hasRule(5));
  EXPECT_EQ(dynamic.getBatchStrategy().getRule(5).getSizes(), (Sizes{1, 1, 1, 1, 1}));
  std::vector<float> xf(3 * 5, 1.0f), yf(3 * 5);
  dynamic.runFlat(5, {xf.data()}, {yf.data()});  // still the dynamic entry
  EXPECT_EQ(fake::dyn_doubler::dynamicLog.calls(), (Sizes{5, 5}));
  EXPECT_EQ(fake::dyn_doubler::log.n, 0u);
  // A copy of the strategy set back keeps that; an explicit rule for 5 replaces it.
  dynamic.setBatchStrategy(tfaot::BatchStrategy(dynamic.getBatchStrategy()));
  dynamic.runFlat(5, {xf.data()}, {yf.data()});
  EXPECT_EQ(fake::dyn_doubler::dynamicLog.n, 3u);
  dynamic.setBatchRule("5:4,1");
  dynamic.runFlat(5, {xf.data()}, {yf.data()});
  EXPECT_EQ(fake::dyn_doubler::log.calls(), (Sizes{4, 1}));
  EXPECT_EQ(fake::dyn_doubler::dynamicLog.n, 3u);
}

// CMSSW reads the first batchSize entries of each input: pre-allocated, larger inputs work.
TEST(CmsswBatching, InputsWithMoreEntriesThanTheBatchSize) {
  tfaot::Model<tfaot_model::test_simple> model;
  tfaot::FloatArrays x(8, std::vector<float>(4, 0.0f));
  for (size_t b = 0; b < x.size(); ++b) x[b][0] = static_cast<float>(b + 1);
  x[7].clear();  // entries past the batch size are not looked at
  for (size_t bs : {1, 3, 4}) {
    SCOPED_TRACE(bs);
    auto [y] = model.run<tfaot::FloatArrays>(bs, x);
    ASSERT_EQ(y.size(), bs);
    for (size_t b = 0; b < bs; ++b) EXPECT_EQ(y[b][0], static_cast<float>(b + 1));
  }
  fake::dyn_doubler::dynamicLog.reset();
  tfaot::Model<fake::dyn_doubler> dynamic;
  const tfaot::FloatArrays d(10, std::vector<float>{1.0f, 2.0f, 3.0f});
  auto [y] = dynamic.run<tfaot::FloatArrays>(7, d);
  EXPECT_EQ(y, tfaot::FloatArrays(7, std::vector<float>{2.0f, 4.0f, 6.0f}));
  EXPECT_EQ(fake::dyn_doubler::dynamicLog.calls(), (Sizes{7}));
}

// name() is CMSSW's wrapper name "<namespace>_<class>"; AllocMode has XLA's enumerators.
TEST(CmsswBatching, NameAndAllocMode) {
  EXPECT_EQ(tfaot::Model<tfaot_model::test_simple>().name(), "tfaot_model_test_simple");
  EXPECT_EQ(tfaot::Model<tfaot_model::test_multi>().name(), "tfaot_model_test_multi");
  EXPECT_EQ(tfaot::Model<fake::doubler>().name(), "fake_doubler");
  const tfaot::AllocMode modes[] = {tfaot::AllocMode::ARGS_VARIABLES_RESULTS_PROFILES_AND_TEMPS,
                                    tfaot::AllocMode::RESULTS_PROFILES_AND_TEMPS_ONLY};
  EXPECT_NE(modes[0], modes[1]);
}

}  // namespace
