// Built as C++17 (see tests/CMakeLists.txt, target tfaot_runtime_cxx17_tests): CMSSW compiles
// the runtime headers with C++17, so they must not use C++20 features. Exercises every public
// entry point once through the CMSSW include path.
#include <gtest/gtest.h>

#include "PhysicsTools/TensorFlowAOT/interface/AOT.h"
#include "PhysicsTools/TensorFlowAOT/interface/Util.h"
#include "fake_models.h"

#if __cplusplus != 201703L
#error "this file must be compiled as C++17"
#endif

namespace {

TEST(Cxx17, EveryEntryPoint) {
  tfaot::Model<tfaot_model::test_multi> model;
  model.setBatchRule("3:2,2");
  model.setBatchRule(5, {4, 2}, 1);
  tfaot::BatchStrategy strategy = model.getBatchStrategy();
  strategy.setDefaultRule(6, model.batchSizes());
  model.setBatchStrategy(strategy);
  EXPECT_EQ(model.getBatchStrategy().getRule(6).getSizes(), (std::vector<size_t>(6, 1)));

  tfaot::FloatArrays a(3, std::vector<float>{1, 2, 3, 4});
  tfaot::DoubleArrays d(3, std::vector<double>{4, 3, 2, 1});
  auto [f, flags] = model.run<tfaot::FloatArrays, tfaot::BoolArrays>(3, a, d);
  EXPECT_EQ(f[2], (std::vector<float>{20, 1}));
  EXPECT_EQ(flags[2], (std::vector<bool>{false, true}));

  std::vector<float> fa(4 * 5, 1.0f), fo(2 * 5);
  std::vector<double> da(4 * 5, 1.0);
  bool bo[2 * 5];
  model.runFlat(5, {fa.data(), da.data()}, {fo.data(), bo});
  model.runFlat(5, std::make_tuple(fa.data(), da.data()), std::make_tuple(fo.data(), &bo[0]));
  EXPECT_EQ(fo[9], 1.0f);

  tfaot::AlignedBuffer scratch(tfaot_model::test_multi::max_scratch_bytes);
  const void* in[] = {fa.data(), da.data()};
  void* out[] = {fo.data(), bo};
  tfaot::runCompiled<tfaot_model::test_multi>(4, in, out, scratch.data());
  EXPECT_THROW(model.setBatchRule("7:3,4"), tfaot::Exception);

  int visited = 0;
  tfaot::createIndexLooper<3>()([&](auto i) { visited += static_cast<int>(i) + 1; });
  EXPECT_EQ(visited, 6);
}

TEST(Cxx17, CompiledInBatchRules) {
  tfaot::Model<fake::ruled_doubler> model;
  EXPECT_EQ(model.getBatchStrategy().getRule(7).getSizes(), (std::vector<size_t>{4, 4}));
  tfaot::Model<fake::c_array_ruled_doubler> cArray;
  EXPECT_EQ(cArray.getBatchStrategy().nRules(), 1u);
  tfaot::Model<fake::no_rules_doubler> none;
  EXPECT_EQ(none.getBatchStrategy().nRules(), 0u);
}

}  // namespace
