// tfaot::Model with a dynamic-batch entry (fake::dyn_doubler): which batch sizes go through it,
// that explicit rules keep their CMSSW semantics, and the flat runDynamic API.
#include <gtest/gtest.h>

#include <vector>

#include "fake_models.h"
#include "tfaot/tfaot.h"

namespace {

using fake::dyn_doubler;

struct DynamicBatch : ::testing::Test {
  void SetUp() override {
    dyn_doubler::log.reset();
    dyn_doubler::dynamicLog.reset();
  }
};

TEST_F(DynamicBatch, UnruledSizesRunInOneZeroCopyCall) {
  tfaot::Model<dyn_doubler> model;
  for (size_t bs : {3, 5, 7, 70}) {
    std::vector<float> x(3 * bs), y(3 * bs, -1.0f);
    for (size_t i = 0; i < x.size(); ++i) x[i] = 0.5f * static_cast<float>(i);
    dyn_doubler::dynamicLog.reset();
    model.runFlat(bs, {x.data()}, {y.data()});
    ASSERT_EQ(dyn_doubler::dynamicLog.calls(), std::vector<size_t>{bs});
    EXPECT_EQ(dyn_doubler::dynamicLog.input0[0], x.data());  // the caller's buffers, no copy
    EXPECT_EQ(dyn_doubler::dynamicLog.output0[0], y.data());
    for (size_t i = 0; i < y.size(); ++i) ASSERT_EQ(y[i], 2.0f * x[i]) << bs << " " << i;
  }
  EXPECT_EQ(dyn_doubler::log.n, 0u);  // no static call
  EXPECT_EQ(dyn_doubler::dynamicLog.badScratch, 0u);
  // As CMSSW, each new batch size got its default rule, which the dynamic entry replaces.
  EXPECT_EQ(model.getBatchStrategy().nRules(), 4u);
  EXPECT_EQ(model.getBatchStrategy().getRule(70).getSizes(), std::vector<size_t>(70, 1));
}

TEST_F(DynamicBatch, CompiledSizesAndExplicitRulesKeepTheirSemantics) {
  tfaot::Model<dyn_doubler> model;
  model.setBatchRule("5:4,2");  // padded by one entry
  std::vector<float> x(3 * 6, 1.0f), y(3 * 6);
  model.runFlat(4, {x.data()}, {y.data()});
  model.runFlat(5, {x.data()}, {y.data()});
  EXPECT_EQ(dyn_doubler::log.calls(), (std::vector<size_t>{4, 4, 2}));
  EXPECT_EQ(dyn_doubler::dynamicLog.n, 0u);
  model.runFlat(6, {x.data()}, {y.data()});
  EXPECT_EQ(dyn_doubler::dynamicLog.calls(), std::vector<size_t>{6});
}

TEST_F(DynamicBatch, VectorApi) {
  tfaot::Model<dyn_doubler> model;
  for (size_t bs : {9, 3, 12}) {  // the io buffers grow, then are reused
    tfaot::FloatArrays x(bs, std::vector<float>(3));
    for (size_t b = 0; b < bs; ++b) x[b] = {float(b), -float(b), 0.25f};
    auto [y] = model.run<tfaot::FloatArrays>(bs, x);
    ASSERT_EQ(y.size(), bs);
    for (size_t b = 0; b < bs; ++b) EXPECT_EQ(y[b], (std::vector<float>{2.0f * b, -2.0f * b, 0.5f}));
  }
  EXPECT_EQ(dyn_doubler::dynamicLog.calls(), (std::vector<size_t>{9, 3, 12}));
  EXPECT_THROW(model.run<tfaot::FloatArrays>(0, tfaot::FloatArrays{}), tfaot::Exception);
}

TEST_F(DynamicBatch, FlatRunDynamic) {
  static_assert(tfaot::hasDynamicBatch<dyn_doubler>());
  static_assert(!tfaot::hasDynamicBatch<fake::doubler>());
  std::vector<float> x(3 * 11, 4.0f), y(3 * 11);
  const void* in[] = {x.data()};
  void* out[] = {y.data()};
  tfaot::AlignedBuffer scratch(dyn_doubler::dynamic_scratch_bytes);
  tfaot::runDynamic<dyn_doubler>(11, in, out, scratch.data());
  EXPECT_EQ(y[32], 8.0f);
  EXPECT_THROW(tfaot::runDynamic<dyn_doubler>(11, in, out, nullptr), tfaot::Exception);
  EXPECT_THROW(tfaot::runDynamic<dyn_doubler>(0, in, out, scratch.data()), tfaot::Exception);
  EXPECT_THROW(tfaot::runDynamic<fake::doubler>(3, in, out, scratch.data()), tfaot::Exception);
}

}  // namespace
