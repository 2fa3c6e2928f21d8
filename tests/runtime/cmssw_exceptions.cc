// Built only into tfaot_runtime_cmssw_tests (tests/e2e/cmssw_exceptions.cmake), whose include
// path has fake_cmssw/ with a stand-in FWCore/Utilities/interface/Exception.h: the runtime then
// takes its CMSSW branch, and every error must arrive as a cms::Exception with CMSSW's
// category. (The other runtime tests are built into the same binary and catch
// tfaot::Exception, which is cms::Exception there.)
#include <gtest/gtest.h>

#include <cstdio>
#include <exception>
#include <fstream>
#include <string>
#include <type_traits>
#include <vector>

#include "FWCore/Utilities/interface/Exception.h"
#include "PhysicsTools/TensorFlowAOT/interface/Model.h"
#include "fake_models.h"

#ifndef TFAOT_CMS_EXCEPTION
#error "the runtime did not detect FWCore/Utilities/interface/Exception.h"
#endif

namespace fake {

// doubler's interface whose generated code refuses every call (cannot happen for compiled
// sizes of real packages): the only way to reach FailedRun.
struct refusing : doubler {
  static constexpr const char* name = "refusing";
  static bool run(std::size_t, const void* const*, void* const*, void*) noexcept { return false; }
};

}  // namespace fake

namespace {

static_assert(std::is_same<tfaot::Exception, cms::Exception>::value,
              "inside CMSSW, tfaot::Exception is cms::Exception");

// The category of the cms::Exception f throws; fails the test for any other exception.
template <typename F>
std::string cmsCategory(F&& f) {
  try {
    f();
  } catch (const cms::Exception& e) {
    EXPECT_NE(std::string(e.what()).find(e.message()), std::string::npos) << e.what();
    EXPECT_FALSE(e.message().empty());
    return e.category();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not a cms::Exception: " << e.what();
    return "(std::exception)";
  }
  return "(no exception)";
}

TEST(CmsswExceptions, EveryCategoryIsACmsException) {
  using tfaot::FloatArrays;
  tfaot::Model<fake::doubler> model;
  const FloatArrays x(2, std::vector<float>(3, 1.0f));
  std::vector<float> xf(12), yf(12);

  EXPECT_EQ(cmsCategory([] { tfaot::BatchRule("5"); }), "InvalidBatchRule");
  EXPECT_EQ(cmsCategory([] { tfaot::BatchRule("5:2,,2"); }), "InvalidBatchRule");  // stoi's
  EXPECT_EQ(cmsCategory([] { tfaot::BatchRule("99999999999:1"); }), "InvalidBatchRule");
  EXPECT_EQ(cmsCategory([] { tfaot::BatchRule("0:"); }), "EmptySizes");
  EXPECT_EQ(cmsCategory([] { tfaot::BatchRule("1:1,1"); }), "WrongPadding");
  EXPECT_EQ(cmsCategory([] { tfaot::BatchRule(3, {2, 2}, 0); }), "WrongBatchSize");
  EXPECT_EQ(cmsCategory([] { tfaot::BatchStrategy().getRule(3); }), "UnknownBatchSize");
  EXPECT_EQ(cmsCategory([&] { model.setBatchRule("6:3,3"); }), "UnknownBatchSize");
  EXPECT_EQ(cmsCategory([&] { model.setBatchRule("5:2,2"); }), "InvalidBatchRule");
  EXPECT_EQ(cmsCategory([&] { model.run<FloatArrays>(0, x); }), "EmptySizes");
  EXPECT_EQ(cmsCategory([&] { model.run<FloatArrays>(3, x); }), "InputMismatch");
  EXPECT_EQ(cmsCategory([&] { model.run<FloatArrays>(2, x, x); }), "InputMismatch");
  EXPECT_EQ(cmsCategory([&] { model.run<FloatArrays, FloatArrays>(2, x); }), "OutputMismatch");
  EXPECT_EQ(cmsCategory([&] { model.runFlat(2, {nullptr}, {yf.data()}); }), "InputMismatch");
  EXPECT_EQ(cmsCategory([&] { model.runFlat(2, {xf.data()}, {nullptr}); }), "OutputMismatch");
  EXPECT_EQ(cmsCategory([&] { model.runFlat(static_cast<size_t>(-1), {xf.data()}, {yf.data()}); }),
            "InvalidBatchSize");
  EXPECT_EQ(cmsCategory([&] { model.setBatchRules("/nonexistent/rules.txt"); }), "FileReadError");

  tfaot::Model<fake::refusing> refusing;
  EXPECT_EQ(cmsCategory([&] { refusing.run<FloatArrays>(2, x); }), "FailedRun");

  // The low-level functions of Flat.h go through the same detail::fail.
  const void* in[] = {xf.data()};
  void* out[] = {yf.data()};
  EXPECT_EQ(cmsCategory([&] { tfaot::runCompiled<fake::doubler>(3, in, out, nullptr); }),
            "UnknownBatchSize");
  EXPECT_EQ(cmsCategory([&] { tfaot::runDynamic<fake::doubler>(3, in, out, nullptr); }),
            "UnknownBatchSize");
}

TEST(CmsswExceptions, MessagesNameTheModelAndTheRule) {
  tfaot::Model<tfaot_model::test_simple> model;
  try {
    model.setBatchRule("5:2,2");
    FAIL() << "no exception";
  } catch (const cms::Exception& e) {
    EXPECT_EQ(e.category(), "InvalidBatchRule");
    EXPECT_EQ(e.message(),
              "model 'tfaot_model_test_simple': invalid batch rule '5:2,2': sum of sizes 4 is "
              "smaller than the target batch size 5");
  }
}

TEST(CmsswExceptions, RulesFileLineErrorsKeepTheRuleCategory) {
  const std::string path = ::testing::TempDir() + "tfaot_cmssw_rules.txt";
  std::ofstream(path) << "3:4\n1:1,1\n";
  tfaot::Model<fake::doubler> model;
  try {
    model.setBatchRules(path);
    ADD_FAILURE() << "no exception";
  } catch (const cms::Exception& e) {
    EXPECT_EQ(e.category(), "WrongPadding");
    EXPECT_NE(e.message().find(path + ":2: invalid batch rule '1:1,1'"), std::string::npos)
        << e.message();
  }
  std::ofstream(path) << "3:4\n3:2,1\n";
  try {
    model.setBatchRules(path);
    ADD_FAILURE() << "no exception";
  } catch (const cms::Exception& e) {
    EXPECT_EQ(e.category(), "InvalidBatchRule");
  }
  std::remove(path.c_str());
  EXPECT_EQ(model.getBatchStrategy().nRules(), 0u);
}

}  // namespace
