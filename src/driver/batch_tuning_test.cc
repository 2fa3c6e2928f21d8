// The batch-rule dynamic program against brute force on synthetic costs, the default rule,
// and the suggestions.
#include "driver/batch_tuning.h"

#include <gtest/gtest.h>

#include <functional>
#include <limits>
#include <random>

namespace tfaot::driver {
namespace {

// Cheapest rule cost for `target` by enumerating every multiset of unpadded chunks plus an
// optional padded last chunk.
double brute_force(const ChunkCosts& c, int64_t target) {
  std::vector<int64_t> sizes;
  for (const auto& [s, t] : c.call) sizes.push_back(s);
  double best = std::numeric_limits<double>::infinity();
  std::vector<int64_t> chosen;
  std::function<void(size_t, int64_t)> go = [&](size_t from, int64_t sum) {
    if (sum == target) best = std::min(best, rule_cost(c, chosen, 0));
    if (sum >= target) return;
    for (int64_t s : sizes)
      if (s > target - sum) {
        chosen.push_back(s);
        best = std::min(best, rule_cost(c, chosen, s - (target - sum)));
        chosen.pop_back();
      }
    for (size_t i = from; i < sizes.size(); ++i) {
      chosen.push_back(sizes[i]);
      go(i, sum + sizes[i]);
      chosen.pop_back();
    }
  };
  go(0, 0);
  return best;
}

void expect_valid(const TunedRule& r, const ChunkCosts& c) {
  int64_t sum = 0;
  for (int64_t s : r.sizes) {
    EXPECT_TRUE(c.call.count(s)) << r.str();
    sum += s;
  }
  ASSERT_FALSE(r.sizes.empty());
  EXPECT_EQ(sum - r.padding, r.batch_size) << r.str();
  EXPECT_GE(r.padding, 0);
  EXPECT_LT(r.padding, r.sizes.back()) << r.str();
  EXPECT_NEAR(rule_cost(c, r.sizes, r.padding), r.predicted_ns, 1e-9) << r.str();
}

TEST(BatchTuning, MatchesBruteForceOnRandomCosts) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(0, 1);
  const std::vector<std::vector<int64_t>> size_sets = {{1}, {2}, {1, 2, 4}, {3, 5}, {1, 3, 4, 7}, {2, 8, 16}};
  for (int round = 0; round < 30; ++round) {
    ChunkCosts c;
    for (int64_t s : size_sets[round % size_sets.size()]) {
      // Fixed cost plus a per-entry cost with noise, sometimes super-linear.
      c.call[s] = 200 * u(rng) + double(s) * (20 + 40 * u(rng)) + (round % 3 == 0 ? 3.0 * double(s * s) : 0);
      c.pad[s] = 10 * u(rng) + double(s) * 5 * u(rng);
    }
    c.chunk_overhead = 30 * u(rng);
    const int64_t max_batch = 18;
    auto rules = tune_rules(c, max_batch);
    ASSERT_EQ(rules.size(), size_t(max_batch));
    for (int64_t b = 1; b <= max_batch; ++b) {
      const TunedRule& r = rules[b - 1];
      EXPECT_EQ(r.batch_size, b);
      expect_valid(r, c);
      EXPECT_NEAR(r.predicted_ns, brute_force(c, b), 1e-9) << "round " << round << " rule " << r.str();
      EXPECT_LE(r.predicted_ns, default_rule(c, b).predicted_ns + 1e-9);
    }
  }
}

TEST(BatchTuning, PrefersFewerChunksThenLessPaddingOnTies) {
  ChunkCosts c;
  c.call = {{1, 10}, {2, 20}, {4, 40}};  // exactly linear: every exact cover costs the same
  auto rules = tune_rules(c, 8);
  EXPECT_EQ(rules[2].str(), "3:2,1");
  EXPECT_EQ(rules[3].str(), "4:4");
  EXPECT_EQ(rules[6].str(), "7:4,2,1");
  EXPECT_EQ(rules[7].str(), "8:4,4");
  // A big fixed cost per call: padding beats stitching.
  c.call = {{1, 100}, {2, 101}, {4, 102}};
  rules = tune_rules(c, 8);
  EXPECT_EQ(rules[2].str(), "3:4");
  EXPECT_EQ(rules[2].padding, 1);
  EXPECT_EQ(rules[4].str(), "5:4,1");  // 202 < 203 for 4 + padded 2
  EXPECT_EQ(rules[4].padding, 0);
  EXPECT_EQ(rules[6].str(), "7:4,4");  // 204 < 303 for 4,2,1
  EXPECT_EQ(rules[6].padding, 1);
}

TEST(BatchTuning, DefaultRuleIsCmsswsAndStringFormat) {
  ChunkCosts c;
  c.call = {{2, 20}, {4, 30}};
  EXPECT_EQ(default_rule(c, 4).str(), "4:4");
  TunedRule d = default_rule(c, 5);
  EXPECT_EQ(d.str(), "5:2,2,2");
  EXPECT_EQ(d.padding, 1);
  EXPECT_EQ(d.predicted_ns, 60);
  c.chunk_overhead = 5;
  c.pad[2] = 7;
  EXPECT_EQ(default_rule(c, 5).predicted_ns, 60 + 2 * 5 + 7);
}

TEST(BatchTuning, SuggestsMissingSizesAndFindsUnusedOnes) {
  ChunkCosts c;
  // Large fixed cost per call: compiling bigger sizes pays off; size 3 is never worth using.
  c.call = {{1, 1000}, {3, 5000}, {8, 1400}};
  auto rules = tune_rules(c, 16);
  EXPECT_EQ(unused_sizes(c, rules), (std::vector<int64_t>{3}));
  auto s = suggest_sizes(c, 16, 3);
  ASSERT_FALSE(s.empty());
  for (const auto& x : s) {
    EXPECT_FALSE(c.call.count(x.size));
    EXPECT_GT(x.mean_saving, 0.01);
  }
  for (size_t i = 1; i < s.size(); ++i) EXPECT_GE(s[i - 1].mean_saving, s[i].mean_saving);
  EXPECT_LE(s.size(), 3u);
}

}  // namespace
}  // namespace tfaot::driver
