// The zero-copy API: Model::runFlat (all overloads), tfaot::runCompiled, AlignedBuffer.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "expect_error.h"
#include "fake_models.h"
#include "tfaot/tfaot.h"

namespace {

using Sizes = std::vector<size_t>;

std::vector<float> flatFloats(size_t n, float base = 1.0f) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = base + 0.75f * i - 0.01f * (i * i);
  return v;
}

class FlatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tfaot_model::test_simple::log.reset();
    tfaot_model::test_multi::log.reset();
    tfaot_model::test_ints::log.reset();
    fake::doubler::log.reset();
  }
};

TEST_F(FlatTest, DoublerEveryBatchSizeAndRule) {
  tfaot::Model<fake::doubler> model;
  model.setBatchRule("7:4,2,2");
  model.setBatchRule("3:4");
  for (size_t bs = 1; bs <= 11; ++bs) {
    const auto x = flatFloats(3 * bs);
    std::vector<float> y(3 * bs + 3, -7.0f);  // one extra entry that must stay untouched
    const void* in[] = {x.data()};
    void* out[] = {y.data()};
    model.runFlat(bs, in, out);
    for (size_t i = 0; i < 3 * bs; ++i) EXPECT_EQ(y[i], 2.0f * x[i]) << bs << " " << i;
    for (size_t i = 3 * bs; i < y.size(); ++i) EXPECT_EQ(y[i], -7.0f) << "overrun at bs " << bs;
  }
  EXPECT_EQ(fake::doubler::log.badScratch, 0u);
}

TEST_F(FlatTest, UnpaddedChunksRunInPlace) {
  tfaot::Model<fake::doubler> model;
  auto& log = fake::doubler::log;
  log.reset();
  model.setBatchRule("6:2,4");
  const auto x = flatFloats(3 * 6);
  std::vector<float> y(3 * 6);
  model.runFlat(6, {x.data()}, {y.data()});
  ASSERT_EQ(log.calls(), (Sizes{2, 4}));
  EXPECT_EQ(log.input0[0], x.data());
  EXPECT_EQ(log.input0[1], x.data() + 6);
  EXPECT_EQ(log.output0[0], y.data());
  EXPECT_EQ(log.output0[1], y.data() + 6);

  // A padded last chunk goes through internal buffers, with zero padding.
  log.reset();
  model.setBatchRule("5:2,4");
  const auto x5 = flatFloats(3 * 5, 3.0f);
  std::vector<float> y5(3 * 5);
  model.runFlat(5, {x5.data()}, {y5.data()});
  ASSERT_EQ(log.calls(), (Sizes{2, 4}));
  EXPECT_EQ(log.input0[0], x5.data());
  EXPECT_NE(log.input0[1], x5.data() + 6);
  EXPECT_EQ(log.zeroEntries[1], 0b1000u);
  for (size_t i = 0; i < y5.size(); ++i) EXPECT_EQ(y5[i], 2.0f * x5[i]);
}

TEST_F(FlatTest, PaddingIsZeroAfterDirtyRuns) {
  tfaot::Model<tfaot_model::test_multi> model;
  model.setBatchRule("3:4");
  // Make the bs-4 buffers dirty via the vector API (which uses the same buffers).
  tfaot::FloatArrays a(4, std::vector<float>{5, 5, 5, 5});
  tfaot::DoubleArrays d(4, std::vector<double>{6, 6, 6, 6});
  model.run<tfaot::FloatArrays, tfaot::BoolArrays>(4, a, d);
  tfaot_model::test_multi::log.reset();

  const auto af = flatFloats(4 * 3);
  std::vector<double> df(4 * 3);
  for (size_t i = 0; i < df.size(); ++i) df[i] = 0.5 * i - 2.0;
  std::vector<float> f(2 * 3);
  std::unique_ptr<bool[]> flags(new bool[2 * 3]);
  model.runFlat(3, std::make_tuple(af.data(), df.data()), std::make_tuple(f.data(), flags.get()));
  EXPECT_EQ(tfaot_model::test_multi::log.calls(), (Sizes{4}));
  EXPECT_EQ(tfaot_model::test_multi::log.zeroEntries[0], 0b1000u);
  for (size_t e = 0; e < 3; ++e) {
    float ef[2];
    bool eflag[2];
    fake::multiEntry(af.data() + 4 * e, df.data() + 4 * e, ef, eflag);
    EXPECT_EQ(f[2 * e], ef[0]);
    EXPECT_EQ(f[2 * e + 1], ef[1]);
    EXPECT_EQ(flags[2 * e], eflag[0]);
    EXPECT_EQ(flags[2 * e + 1], eflag[1]);
  }
}

TEST_F(FlatTest, FlatMatchesVectorApi) {
  tfaot::Model<tfaot_model::test_ints> flatModel;
  tfaot::Model<tfaot_model::test_ints> vecModel;
  for (size_t bs = 1; bs <= 9; ++bs) {
    std::vector<int32_t> a(3 * bs);
    std::vector<int64_t> b(2 * bs);
    for (size_t i = 0; i < a.size(); ++i) a[i] = int32_t(i * 7) - 11;
    for (size_t i = 0; i < b.size(); ++i) b[i] = (int64_t(1) << 35) - int64_t(i);
    std::vector<int32_t> neg(3 * bs);
    std::vector<int64_t> sum(bs);
    flatModel.runFlat(bs, {a.data(), b.data()}, {neg.data(), sum.data()});

    tfaot::Int32Arrays av(bs);
    tfaot::Int64Arrays bv(bs);
    for (size_t e = 0; e < bs; ++e) {
      av[e].assign(a.begin() + 3 * e, a.begin() + 3 * e + 3);
      bv[e].assign(b.begin() + 2 * e, b.begin() + 2 * e + 2);
    }
    auto [negv, sumv] = vecModel.run<tfaot::Int32Arrays, tfaot::Int64Arrays>(bs, av, bv);
    for (size_t e = 0; e < bs; ++e) {
      EXPECT_EQ(sumv[e][0], sum[e]);
      for (size_t j = 0; j < 3; ++j) EXPECT_EQ(negv[e][j], neg[3 * e + j]);
    }
  }
  EXPECT_EQ(tfaot_model::test_ints::log.badScratch, 0u);
}

TEST_F(FlatTest, Misuse) {
  tfaot::Model<tfaot_model::test_multi> model;
  std::vector<float> a(8), f(4);
  std::vector<double> d(8);
  bool flags[4];
  const void* in[] = {a.data(), d.data()};
  void* out[] = {f.data(), flags};
  expectError([&] { model.runFlat(0, in, out); }, "EmptySizes", {"tfaot_model_test_multi"});
  expectError([&] { model.runFlat(2, nullptr, out); }, "InputMismatch",
              {"test_multi", "null input array"});
  expectError([&] { model.runFlat(2, in, nullptr); }, "OutputMismatch",
              {"test_multi", "null output array"});
  const void* inNull[] = {a.data(), nullptr};
  expectError([&] { model.runFlat(2, inNull, out); }, "InputMismatch",
              {"test_multi", "input 1 ('input2') is null"});
  void* outNull[] = {nullptr, flags};
  expectError([&] { model.runFlat(2, in, outNull); }, "OutputMismatch",
              {"test_multi", "output 0 ('output1') is null"});
  EXPECT_EQ(tfaot_model::test_multi::log.n, 0u);
  model.runFlat(2, in, out);
  EXPECT_EQ(tfaot_model::test_multi::log.n, 1u);
}

TEST_F(FlatTest, RunCompiled) {
  std::vector<float> x = flatFloats(3 * 4), y(3 * 4);
  const void* in[] = {x.data()};
  void* out[] = {y.data()};
  tfaot::AlignedBuffer scratch(fake::doubler::max_scratch_bytes);
  tfaot::runCompiled<fake::doubler>(4, in, out, scratch.data());
  for (size_t i = 0; i < y.size(); ++i) EXPECT_EQ(y[i], 2.0f * x[i]);
  EXPECT_EQ(fake::doubler::log.calls(), (Sizes{4}));
  EXPECT_EQ(fake::doubler::log.input0[0], x.data());

  expectError([&] { tfaot::runCompiled<fake::doubler>(3, in, out, scratch.data()); },
              "UnknownBatchSize", {"model 'doubler'", "batch size 3", "compiled: 1,2,4"});
  expectError([&] { tfaot::runCompiled<fake::doubler>(2, in, out, nullptr); }, "InputMismatch",
              {"doubler", "64 bytes of 64-byte aligned scratch"});
  expectError([&] { tfaot::runCompiled<fake::doubler>(1, in, out, scratch.bytes() + 4); },
              "InputMismatch", {"doubler", "aligned scratch"});
  expectError([&] { tfaot::runCompiled<fake::doubler>(1, nullptr, out, scratch.data()); },
              "InputMismatch", {"doubler", "null"});
  EXPECT_EQ(fake::doubler::log.n, 1u);
  // No scratch needed: null is fine.
  std::vector<float> ys(2);
  void* outS[] = {ys.data()};
  tfaot::runCompiled<tfaot_model::test_simple>(1, in, outS, nullptr);
  float expected[2];
  fake::simpleEntry(x.data(), expected);
  EXPECT_EQ(ys[0], expected[0]);
  EXPECT_EQ(ys[1], expected[1]);
  static_assert(tfaot::isCompiled<fake::doubler>(4) && !tfaot::isCompiled<fake::doubler>(3));
}

TEST(AlignedBuffer, AlignmentAndMove) {
  for (size_t bytes : {1, 63, 64, 65, 1000}) {
    tfaot::AlignedBuffer b(bytes);
    ASSERT_NE(b.data(), nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(b.data()) % 64, 0u);
    EXPECT_EQ(b.size(), bytes);
    void* p = b.data();
    tfaot::AlignedBuffer moved(std::move(b));
    EXPECT_EQ(moved.data(), p);
    EXPECT_EQ(b.data(), nullptr);  // NOLINT(bugprone-use-after-move): defined as empty
    tfaot::AlignedBuffer assigned;
    assigned = std::move(moved);
    EXPECT_EQ(assigned.data(), p);
  }
  EXPECT_EQ(tfaot::AlignedBuffer(0).data(), nullptr);
}

}  // namespace
