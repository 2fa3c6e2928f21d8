// The CMSSW PhysicsTools/TensorFlowAOT interface unit test (test/testInterface.cc) rewritten
// with GoogleTest, against the tfaot-compiled CMS test models `simple` and `multi` linked into
// one binary. Built and run by run_cms_e2e.sh.
#include <gtest/gtest.h>

#include <cmath>
#include <thread>
#include <vector>

#include "tfaot/Model.h"
#include "tfaot-model-simple/model.h"
#include "tfaot-model-multi/model.h"

namespace {

TEST(Interface, Simple) {
  auto model = tfaot::Model<tfaot_model::simple>();

  // register (optional) batch rules
  model.setBatchRule(1, {1});
  model.setBatchRule(3, {2, 2}, 1);
  model.setBatchRule("5:2,2,2");

  // test batching strategies
  EXPECT_TRUE(model.getBatchStrategy().hasRule(1));
  EXPECT_EQ(model.getBatchStrategy().getRule(1).nSizes(), 1u);
  EXPECT_EQ(model.getBatchStrategy().getRule(1).getLastPadding(), 0u);
  EXPECT_FALSE(model.getBatchStrategy().hasRule(2));
  EXPECT_TRUE(model.getBatchStrategy().hasRule(3));
  EXPECT_EQ(model.getBatchStrategy().getRule(3).nSizes(), 2u);
  EXPECT_EQ(model.getBatchStrategy().getRule(3).getLastPadding(), 1u);
  EXPECT_FALSE(model.getBatchStrategy().hasRule(4));
  EXPECT_TRUE(model.getBatchStrategy().hasRule(5));
  EXPECT_EQ(model.getBatchStrategy().getRule(5).nSizes(), 3u);
  EXPECT_EQ(model.getBatchStrategy().getRule(5).getLastPadding(), 1u);

  // evaluate batch size 1
  tfaot::FloatArrays input_bs1 = {{0, 1, 2, 3}};
  tfaot::FloatArrays output_bs1;
  std::tie(output_bs1) = model.run<tfaot::FloatArrays>(1, input_bs1);
  ASSERT_EQ(output_bs1.size(), 1u);
  ASSERT_EQ(output_bs1[0].size(), 2u);

  // evaluate batch size 2
  tfaot::FloatArrays input_bs2 = {{0, 1, 2, 3}, {4, 5, 6, 7}};
  tfaot::FloatArrays output_bs2;
  std::tie(output_bs2) = model.run<tfaot::FloatArrays>(2, input_bs2);
  ASSERT_EQ(output_bs2.size(), 2u);
  ASSERT_EQ(output_bs2[0].size(), 2u);
  ASSERT_EQ(output_bs2[1].size(), 2u);

  // there must be a batch rule for size 2 now
  EXPECT_TRUE(model.getBatchStrategy().hasRule(2));

  // evaluate batch size 3 (2 + 2 with one padded entry)
  tfaot::FloatArrays input_bs3 = {{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9, 10, 11}};
  tfaot::FloatArrays output_bs3;
  std::tie(output_bs3) = model.run<tfaot::FloatArrays>(3, input_bs3);
  ASSERT_EQ(output_bs3.size(), 3u);
  for (const auto& row : output_bs3) ASSERT_EQ(row.size(), 2u);

  // there still should be no batch rule for size 4
  EXPECT_FALSE(model.getBatchStrategy().hasRule(4));

  // Beyond the CMSSW test: softmax rows sum to one, and an entry's result does not depend on
  // the batch it was computed in.
  for (const auto& row : output_bs3) EXPECT_NEAR(row[0] + row[1], 1.0f, 1e-5f);
  for (int k = 0; k < 2; ++k) {
    EXPECT_NEAR(output_bs1[0][k], output_bs2[0][k], 1e-6f);
    EXPECT_NEAR(output_bs2[0][k], output_bs3[0][k], 1e-6f);
    EXPECT_NEAR(output_bs2[1][k], output_bs3[1][k], 1e-6f);
  }
  EXPECT_NE(output_bs3[0][0], output_bs3[2][0]);
}

TEST(Interface, Multi) {
  auto model = tfaot::Model<tfaot_model::multi>();

  // there should be no batch rule for size 2 yet
  EXPECT_FALSE(model.getBatchStrategy().hasRule(2));

  // evaluate batch size 2
  tfaot::FloatArrays input1_bs2 = {{0, 1, 2, 3}, {4, 5, 6, 7}};
  tfaot::DoubleArrays input2_bs2 = {{0, 1, 2, 3}, {4, 5, 6, 7}};
  tfaot::FloatArrays output1_bs2;
  tfaot::BoolArrays output2_bs2;
  std::tie(output1_bs2, output2_bs2) =
      model.run<tfaot::FloatArrays, tfaot::BoolArrays>(2, input1_bs2, input2_bs2);
  ASSERT_EQ(output1_bs2.size(), 2u);
  ASSERT_EQ(output1_bs2[0].size(), 2u);
  ASSERT_EQ(output1_bs2[1].size(), 2u);
  ASSERT_EQ(output2_bs2.size(), 2u);
  ASSERT_EQ(output2_bs2[0].size(), 2u);
  ASSERT_EQ(output2_bs2[1].size(), 2u);
  for (const auto& row : output1_bs2)
    for (float v : row) EXPECT_TRUE(std::isfinite(v));

  // there must be a batch rule for size 2 now
  EXPECT_TRUE(model.getBatchStrategy().hasRule(2));

  // the same entries one at a time give the same results
  for (size_t b = 0; b < 2; ++b) {
    tfaot::FloatArrays o1;
    tfaot::BoolArrays o2;
    std::tie(o1, o2) = model.run<tfaot::FloatArrays, tfaot::BoolArrays>(1, tfaot::FloatArrays{input1_bs2[b]},
                                                                         tfaot::DoubleArrays{input2_bs2[b]});
    for (size_t k = 0; k < 2; ++k) {
      EXPECT_NEAR(o1[0][k], output1_bs2[b][k], 1e-6f);
      EXPECT_EQ(o2[0][k], output2_bs2[b][k]);
    }
  }
}

TEST(Interface, UncompiledRuleIsRejected) {
  auto model = tfaot::Model<tfaot_model::simple>();
  EXPECT_THROW(model.setBatchRule(3, {3}), std::exception);
}

// The generated entry is reentrant: concurrent calls with their own scratch give the same
// results as serial ones.
TEST(Interface, ConcurrentRawCallsAreIndependent) {
  using U = tfaot_model::multi_bs4;
  auto run_once = [](float seed, std::vector<float>& y1, std::vector<unsigned char>& y2) {
    std::vector<float> x1(U::input_counts[0]);
    std::vector<double> x2(U::input_counts[1]);
    for (size_t i = 0; i < x1.size(); ++i) x1[i] = seed * static_cast<float>(i % 5) - 1.0f;
    for (size_t i = 0; i < x2.size(); ++i) x2[i] = 0.5 * seed - 0.1 * static_cast<double>(i % 3);
    y1.assign(U::output_counts[0], 0.f);
    y2.assign(U::output_counts[1], 0);
    alignas(64) static thread_local unsigned char scratch[U::scratch_bytes + 64];
    const void* in[] = {x1.data(), x2.data()};
    void* out[] = {y1.data(), y2.data()};
    U::run(in, out, scratch);
  };
  std::vector<float> s1a, s1b, t1a, t1b;
  std::vector<unsigned char> s2a, s2b, t2a, t2b;
  run_once(0.3f, s1a, s2a);
  run_once(-0.7f, s1b, s2b);
  for (int round = 0; round < 50; ++round) {
    std::thread ta([&] { run_once(0.3f, t1a, t2a); });
    std::thread tb([&] { run_once(-0.7f, t1b, t2b); });
    ta.join();
    tb.join();
    ASSERT_EQ(t1a, s1a);
    ASSERT_EQ(t1b, s1b);
    ASSERT_EQ(t2a, s2a);
    ASSERT_EQ(t2b, s2b);
  }
  EXPECT_NE(s1a, s1b);
}

}  // namespace
