// CMSSW's PhysicsTools/TensorFlowAOT/test/testInterface.cc flow, rewritten for gtest: code
// written against the CMSSW API compiles unchanged through the forwarding header.
#include <gtest/gtest.h>

#include "PhysicsTools/TensorFlowAOT/interface/Model.h"
#include "fake_models.h"

namespace {

TEST(CmsswInterface, Simple) {
  // initialize the model
  auto model = tfaot::Model<tfaot_model::test_simple>();

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
  EXPECT_EQ(output_bs1[0], (std::vector<float>{20, -1}));  // 0+2+6+12, 0*3-1

  // evaluate batch size 2
  tfaot::FloatArrays input_bs2 = {{0, 1, 2, 3}, {4, 5, 6, 7}};
  tfaot::FloatArrays output_bs2;
  std::tie(output_bs2) = model.run<tfaot::FloatArrays>(2, input_bs2);
  ASSERT_EQ(output_bs2.size(), 2u);
  EXPECT_EQ(output_bs2[0].size(), 2u);
  EXPECT_EQ(output_bs2[1].size(), 2u);
  EXPECT_EQ(output_bs2[1], (std::vector<float>{60, 23}));  // 4+10+18+28, 4*7-5

  // there must be a batch rule for size 2 now
  EXPECT_TRUE(model.getBatchStrategy().hasRule(2));

  // evaluate batch size 3
  tfaot::FloatArrays input_bs3 = {{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9, 10, 11}};
  tfaot::FloatArrays output_bs3;
  std::tie(output_bs3) = model.run<tfaot::FloatArrays>(3, input_bs3);
  ASSERT_EQ(output_bs3.size(), 3u);
  for (const auto& entry : output_bs3) EXPECT_EQ(entry.size(), 2u);
  EXPECT_EQ(output_bs3[0], output_bs1[0]);
  EXPECT_EQ(output_bs3[1], output_bs2[1]);
  EXPECT_EQ(output_bs3[2], (std::vector<float>{100, 79}));  // 8+18+30+44, 8*11-9

  // there still should be no batch rule for size 4
  EXPECT_FALSE(model.getBatchStrategy().hasRule(4));
}

TEST(CmsswInterface, Multi) {
  // initialize the model
  auto model = tfaot::Model<tfaot_model::test_multi>();

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
  EXPECT_EQ(output1_bs2[0].size(), 2u);
  EXPECT_EQ(output1_bs2[1].size(), 2u);
  ASSERT_EQ(output2_bs2.size(), 2u);
  EXPECT_EQ(output2_bs2[0].size(), 2u);
  EXPECT_EQ(output2_bs2[1].size(), 2u);
  EXPECT_EQ(output1_bs2[1], (std::vector<float>{44, 28}));
  EXPECT_EQ(output2_bs2[1], (std::vector<bool>{false, true}));

  // there must be a batch rule for size 2 now
  EXPECT_TRUE(model.getBatchStrategy().hasRule(2));
}

TEST(CmsswInterface, StructuredBindings) {
  // The documented C++17 usage.
  tfaot::Model<tfaot_model::test_multi> model;
  tfaot::FloatArrays x1 = {{1, 2, 3, 4}};
  tfaot::DoubleArrays x2 = {{1, 1, 1, 1}};
  auto [y1, y2] = model.run<tfaot::FloatArrays, tfaot::BoolArrays>(1, x1, x2);
  EXPECT_EQ(y1, (tfaot::FloatArrays{{14, 1}}));
  EXPECT_EQ(y2, (tfaot::BoolArrays{{true, true}}));
}

}  // namespace
