// Batch-rule tuning (the model behind tfaot-tune): given the measured cost of each compiled
// batch size, find for every target batch size the cheapest BatchRule (runtime/include/tfaot/
// Batching.h): a sequence of compiled sizes whose sum covers the target, the last chunk padded
// with zero entries.
//
// Cost model of a rule s_1..s_n with padding p (all times in nanoseconds):
//   sum_i call[s_i] + (n - 1) * chunk_overhead + (p > 0 ? pad[s_n] : 0)
// call[s] is one warm call of size s through tfaot::Model (unpadded), chunk_overhead the extra
// cost of each further chunk, pad[s] the extra cost of padding a chunk of size s (the copies
// through the model's buffers). The cost does not depend on chunk order, so an exact dynamic
// program over "sum of unpadded chunks" finds the optimum; rules are written largest chunk
// first, the padded chunk last.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace tfaot::driver {

struct ChunkCosts {
  std::map<int64_t, double> call;  // compiled size -> ns per call
  std::map<int64_t, double> pad;   // compiled size -> extra ns when that chunk is padded
  double chunk_overhead = 0;       // extra ns per chunk after the first
};

struct TunedRule {
  int64_t batch_size = 0;
  std::vector<int64_t> sizes;  // call order; only the last may be padded
  int64_t padding = 0;
  double predicted_ns = 0;     // per call of the whole batch

  std::string str() const;     // "batchSize:s1,...,sN" (the BatchRule string format)
};

// Predicted cost of a rule under `costs` (throws if it uses a size without a cost).
double rule_cost(const ChunkCosts& costs, const std::vector<int64_t>& sizes, int64_t padding);

// The rule CMSSW's BatchStrategy::setDefaultRule picks: the size itself if compiled, else the
// smallest compiled size repeated, the last padded.
TunedRule default_rule(const ChunkCosts& costs, int64_t batch_size);

// The cheapest rule for every batch size 1..max_batch (index b-1). Ties go to fewer chunks,
// then fewer padded entries. Exact: O(max_batch * #sizes).
std::vector<TunedRule> tune_rules(const ChunkCosts& costs, int64_t max_batch);

// A batch size worth compiling in addition: the estimated mean saving over 1..max_batch if it
// were compiled, with its call cost extrapolated from the measured sizes (least-squares line
// through ns per call vs. size).
struct Suggestion {
  int64_t size = 0;
  double mean_saving = 0;  // relative: 0.1 = tuned rules 10% cheaper on average
};
std::vector<Suggestion> suggest_sizes(const ChunkCosts& costs, int64_t max_batch, int max_count);

// Compiled sizes that no tuned rule in 1..max_batch uses (candidates to drop).
std::vector<int64_t> unused_sizes(const ChunkCosts& costs, const std::vector<TunedRule>& rules);

}  // namespace tfaot::driver
