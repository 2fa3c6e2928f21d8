// Batch rules compiled into model.h (M::batch_rules, compilation.batch_rules): tfaot::Model
// registers them on construction, user rules override them per batch size, sizes they do not
// cover keep the default behaviour, and models without the member are unaffected.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "fake_models.h"
#include "tfaot/tfaot.h"

namespace {

using Sizes = std::vector<size_t>;
using fake::doubler;

static_assert(tfaot::detail::HasCompiledRules<fake::ruled_doubler>::value);
static_assert(tfaot::detail::HasCompiledRules<fake::c_array_ruled_doubler>::value);
static_assert(!tfaot::detail::HasCompiledRules<fake::doubler>::value);

struct CompiledRules : ::testing::Test {
  void SetUp() override {
    doubler::log.reset();
    fake::dyn_doubler::dynamicLog.reset();
  }

  // Runs batch size bs through runFlat (inputs 1, 2, 3, ...), checks y = 2x and returns the
  // compiled sizes called.
  template <class M>
  Sizes calls(tfaot::Model<M>& model, size_t bs) {
    std::vector<float> x(3 * bs), y(3 * bs, -1.0f);
    for (size_t i = 0; i < x.size(); ++i) x[i] = 1.0f + static_cast<float>(i);
    doubler::log.reset();
    model.runFlat(bs, {x.data()}, {y.data()});
    for (size_t i = 0; i < y.size(); ++i) EXPECT_EQ(y[i], 2.0f * x[i]) << bs << " " << i;
    return doubler::log.calls();
  }
};

TEST_F(CompiledRules, RegisteredOnConstruction) {
  tfaot::Model<fake::ruled_doubler> model;
  EXPECT_EQ(model.getBatchStrategy().nRules(), 2u);
  EXPECT_EQ(model.getBatchStrategy().getRule(3), tfaot::BatchRule(3, {2, 1}));
  EXPECT_EQ(model.getBatchStrategy().getRule(7), tfaot::BatchRule(7, {4, 4}, 1));
  EXPECT_EQ(calls(model, 3), (Sizes{2, 1}));
  EXPECT_EQ(calls(model, 7), (Sizes{4, 4}));
  EXPECT_EQ(doubler::log.zeroEntries[1], std::uint64_t(1) << 3);  // the padded entry
  // The vector API goes through the same rules.
  doubler::log.reset();
  auto [y] = model.run<tfaot::FloatArrays>(3, tfaot::FloatArrays(3, std::vector<float>{1, 2, 3}));
  EXPECT_EQ(y[2], (std::vector<float>{2, 4, 6}));
  EXPECT_EQ(doubler::log.calls(), (Sizes{2, 1}));
}

TEST_F(CompiledRules, UncoveredSizesKeepTheDefaults) {
  tfaot::Model<fake::ruled_doubler> model;
  EXPECT_EQ(calls(model, 4), (Sizes{4}));           // compiled: runs directly
  EXPECT_EQ(calls(model, 5), (Sizes{1, 1, 1, 1, 1}));  // CMSSW's default rule
  EXPECT_EQ(model.getBatchStrategy().getRule(5).getSizes(), (Sizes{1, 1, 1, 1, 1}));
}

TEST_F(CompiledRules, UserRulesOverrideThemPerBatchSize) {
  tfaot::Model<fake::ruled_doubler> model;
  model.setBatchRule("3:4");
  EXPECT_EQ(calls(model, 3), (Sizes{4}));
  EXPECT_EQ(calls(model, 7), (Sizes{4, 4}));  // still the compiled-in rule
  model.setBatchRule(7, {4, 2, 1});
  EXPECT_EQ(calls(model, 7), (Sizes{4, 2, 1}));

  const std::string path = ::testing::TempDir() + "tfaot_compiled_rules_override.txt";
  std::ofstream(path) << "3:1,2\n";
  tfaot::Model<fake::ruled_doubler> other;
  other.setBatchRules(path);
  std::remove(path.c_str());
  EXPECT_EQ(calls(other, 3), (Sizes{1, 2}));
  EXPECT_EQ(calls(other, 7), (Sizes{4, 4}));

  // Replacing the whole strategy drops them.
  other.setBatchStrategy(tfaot::BatchStrategy());
  EXPECT_EQ(calls(other, 3), (Sizes{1, 1, 1}));
}

TEST_F(CompiledRules, WinOverTheDynamicEntryForTheirSizesOnly) {
  tfaot::Model<fake::ruled_dyn_doubler> model;
  EXPECT_EQ(calls(model, 5), (Sizes{4, 1}));
  EXPECT_EQ(fake::dyn_doubler::dynamicLog.n, 0u);
  EXPECT_EQ(calls(model, 6), Sizes{});  // no rule: one call of the dynamic entry
  EXPECT_EQ(fake::dyn_doubler::dynamicLog.calls(), Sizes{6});
}

TEST_F(CompiledRules, CArrayEmptyArrayAndNoMember) {
  tfaot::Model<fake::c_array_ruled_doubler> c_array;
  EXPECT_EQ(calls(c_array, 3), (Sizes{1, 1, 1}));
  EXPECT_EQ(c_array.getBatchStrategy().nRules(), 1u);
  tfaot::Model<fake::no_rules_doubler> none;
  EXPECT_EQ(none.getBatchStrategy().nRules(), 0u);
  EXPECT_EQ(calls(none, 3), (Sizes{1, 1, 1}));
  tfaot::Model<doubler> old;  // a package from before compiled-in rules
  EXPECT_EQ(old.getBatchStrategy().nRules(), 0u);
}

TEST_F(CompiledRules, MovedModelKeepsThem) {
  tfaot::Model<fake::ruled_doubler> model;
  tfaot::Model<fake::ruled_doubler> moved(std::move(model));
  EXPECT_EQ(calls(moved, 3), (Sizes{2, 1}));
}

TEST_F(CompiledRules, InvalidCompiledRuleNamesTheModel) {
  try {
    tfaot::Model<fake::bad_rules_doubler> model;
    FAIL() << "no exception";
  } catch (const tfaot::Exception& e) {
    EXPECT_EQ(e.category(), "UnknownBatchSize");
    EXPECT_NE(e.message().find("model 'fake_bad_rules_doubler': rule for batch size 6 uses size 3"),
              std::string::npos)
        << e.message();
  }
}

}  // namespace
