#include "support/limits.h"

#include <gtest/gtest.h>

namespace tfaot {
namespace {

TEST(Limits, CheckedArithmetic) {
  EXPECT_EQ(checked_mul(3, 4), 12);
  EXPECT_EQ(checked_mul(INT64_MAX, 2), std::nullopt);
  EXPECT_EQ(checked_mul(-1, 2), std::nullopt);
  EXPECT_EQ(checked_bytes({2, 3}, 4), 24);
  EXPECT_EQ(checked_bytes({}, 8), 8);
  EXPECT_EQ(checked_bytes({int64_t{1} << 40, int64_t{1} << 30}, 4), std::nullopt);
  // An empty tensor is empty however large its other dims.
  EXPECT_EQ(checked_bytes({int64_t{1} << 40, int64_t{1} << 40, 0}, 4), 0);
  EXPECT_EQ(saturated_bytes({int64_t{1} << 40, int64_t{1} << 30}, 4), INT64_MAX);
}

TEST(Limits, ParseNamesAndSuffixes) {
  EXPECT_EQ(parse_limit("tensor-bytes=1024"), std::make_pair(Limit::TensorBytes, int64_t{1024}));
  EXPECT_EQ(parse_limit("weight-bytes=3G"), std::make_pair(Limit::WeightBytes, int64_t{3} << 30));
  EXPECT_EQ(parse_limit("graph-nodes=2M").second, int64_t{2} << 20);
  EXPECT_EQ(parse_limit("batch-sizes=8k").second, 8192);
  EXPECT_EQ(parse_limit("loop-iterations=5").first, Limit::LoopIterations);
  for (const char* bad : {"tensor-bytes", "tensor-bytes=", "tensor-bytes=0", "tensor-bytes=-3",
                          "tensor-bytes=1.5G", "tensor-bytes=99999999999G", "bytes=5", "=5"})
    EXPECT_THROW(parse_limit(bad), Error) << bad;
  try {
    parse_limit("nodes=5");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("graph-nodes"), std::string::npos) << e.what();
  }
}

TEST(Limits, ErrorNamesWhatTheLimitAndHowToRaiseIt) {
  ScopedLimit low(Limit::GraphNodes, 10);
  EXPECT_EQ(limit(Limit::GraphNodes), 10);
  check_limit(Limit::GraphNodes, 10, "fine");
  try {
    check_limit(Limit::GraphNodes, 11, "model.pb: the graph");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "model.pb: the graph is 11 nodes, more than the limit graph-nodes=10 (raise it "
                 "with --limit graph-nodes=N if this is intended)");
  }
  try {
    check_limit(Limit::GraphNodes, INT64_MAX, "x");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("more than 2^63 nodes"), std::string::npos) << e.what();
  }
}

TEST(Limits, ScopedLimitRestores) {
  const int64_t before = limit(Limit::BatchSizes);
  {
    ScopedLimit s(Limit::BatchSizes, 3);
    EXPECT_EQ(limit(Limit::BatchSizes), 3);
  }
  EXPECT_EQ(limit(Limit::BatchSizes), before);
  EXPECT_NE(limits_help().find("batch-sizes (default 64)"), std::string::npos) << limits_help();
}

}  // namespace
}  // namespace tfaot
