#include "driver/batch_tuning.h"

#include <algorithm>
#include <tuple>

#include "support/error.h"

namespace tfaot::driver {

std::string TunedRule::str() const {
  std::string s = std::to_string(batch_size) + ":";
  for (size_t i = 0; i < sizes.size(); ++i) s += (i ? "," : "") + std::to_string(sizes[i]);
  return s;
}

namespace {

double call_cost(const ChunkCosts& costs, int64_t size) {
  auto it = costs.call.find(size);
  if (it == costs.call.end()) fail("internal error: no measured cost for batch size {}", size);
  return it->second;
}

double pad_cost(const ChunkCosts& costs, int64_t size) {
  auto it = costs.pad.find(size);
  return it == costs.pad.end() ? 0.0 : it->second;
}

// Lexicographic key of a partial solution: cost, then number of chunks.
struct Best {
  double cost = 0;
  int chunks = 0;
  int64_t last = 0;  // size of the chunk that ends this prefix (0: empty)
  bool operator<(const Best& o) const { return std::tie(cost, chunks) < std::tie(o.cost, o.chunks); }
};

}  // namespace

double rule_cost(const ChunkCosts& costs, const std::vector<int64_t>& sizes, int64_t padding) {
  if (sizes.empty()) fail("internal error: empty rule");
  double total = static_cast<double>(sizes.size() - 1) * costs.chunk_overhead;
  for (int64_t s : sizes) total += call_cost(costs, s);
  if (padding > 0) total += pad_cost(costs, sizes.back());
  return total;
}

TunedRule default_rule(const ChunkCosts& costs, int64_t batch_size) {
  if (costs.call.empty()) fail("internal error: no compiled batch sizes");
  TunedRule r;
  r.batch_size = batch_size;
  if (costs.call.count(batch_size)) {
    r.sizes = {batch_size};
  } else {
    const int64_t smallest = costs.call.begin()->first;
    const int64_t n = (batch_size + smallest - 1) / smallest;
    r.sizes.assign(static_cast<size_t>(n), smallest);
    r.padding = n * smallest - batch_size;
  }
  r.predicted_ns = rule_cost(costs, r.sizes, r.padding);
  return r;
}

std::vector<TunedRule> tune_rules(const ChunkCosts& costs, int64_t max_batch) {
  if (costs.call.empty()) fail("internal error: no compiled batch sizes");
  const double ovh = costs.chunk_overhead;
  // prefix[b]: cheapest unpadded chunks summing to exactly b, every chunk charged call + ovh
  // (so a rule of n chunks costs prefix - ovh, as in rule_cost).
  std::vector<Best> prefix(static_cast<size_t>(max_batch) + 1);
  std::vector<bool> reachable(prefix.size(), false);
  reachable[0] = true;
  for (int64_t b = 1; b <= max_batch; ++b)
    for (const auto& [s, t] : costs.call) {
      if (s > b || !reachable[b - s]) continue;
      Best cand{prefix[b - s].cost + t + ovh, prefix[b - s].chunks + 1, s};
      if (!reachable[b] || cand < prefix[b]) prefix[b] = cand, reachable[b] = true;
    }
  auto unpadded_sizes = [&](int64_t b) {
    std::vector<int64_t> sizes;
    for (; b > 0; b -= prefix[b].last) sizes.push_back(prefix[b].last);
    std::sort(sizes.rbegin(), sizes.rend());
    return sizes;
  };

  std::vector<TunedRule> rules;
  for (int64_t target = 1; target <= max_batch; ++target) {
    // Best ending: (key, padding, prefix length, padded chunk size or 0).
    std::tuple<Best, int64_t, int64_t, int64_t> best{{}, 0, -1, 0};
    auto consider = [&](Best key, int64_t padding, int64_t pre, int64_t last) {
      auto& [bk, bp, bpre, blast] = best;
      if (bpre < 0 || key < bk || (!(bk < key) && padding < bp)) best = {key, padding, pre, last};
    };
    if (reachable[target]) consider(prefix[target], 0, target, 0);
    for (int64_t pre = 0; pre < target; ++pre) {
      if (!reachable[pre]) continue;
      for (const auto& [s, t] : costs.call) {
        if (s <= target - pre) continue;  // not padded: covered by prefix[target]
        consider({prefix[pre].cost + t + ovh + pad_cost(costs, s), prefix[pre].chunks + 1, s},
                 s - (target - pre), pre, s);
      }
    }
    const auto& [key, padding, pre, last] = best;
    TunedRule r;
    r.batch_size = target;
    r.sizes = unpadded_sizes(pre);
    if (last > 0) r.sizes.push_back(last);
    r.padding = padding;
    r.predicted_ns = key.cost - ovh;
    rules.push_back(std::move(r));
  }
  return rules;
}

std::vector<Suggestion> suggest_sizes(const ChunkCosts& costs, int64_t max_batch, int max_count) {
  // Least-squares line ns = a + b * size through the measured call costs.
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const auto& [s, t] : costs.call) {
    n += 1, sx += double(s), sy += t, sxx += double(s) * double(s), sxy += double(s) * t;
  }
  const double denom = n * sxx - sx * sx;
  const double slope = denom > 0 ? (n * sxy - sx * sy) / denom : sy / std::max(1.0, sx);
  const double intercept = denom > 0 ? (sy - slope * sx) / n : 0.0;
  const std::vector<TunedRule> base = tune_rules(costs, max_batch);
  std::vector<Suggestion> out;
  for (int64_t c = 1; c <= max_batch; ++c) {
    if (costs.call.count(c)) continue;
    ChunkCosts with = costs;
    with.call[c] = std::max(0.0, intercept + slope * double(c));
    // Padding copies scale with the chunk: take the nearest measured size's per-entry cost.
    auto near = costs.pad.lower_bound(c);
    if (near == costs.pad.end() && !costs.pad.empty()) --near;
    if (near != costs.pad.end()) with.pad[c] = near->second * double(c) / double(near->first);
    const std::vector<TunedRule> tuned = tune_rules(with, max_batch);
    double saving = 0;
    for (size_t i = 0; i < tuned.size(); ++i)
      if (base[i].predicted_ns > 0) saving += 1.0 - tuned[i].predicted_ns / base[i].predicted_ns;
    out.push_back({c, saving / double(max_batch)});
  }
  std::sort(out.begin(), out.end(), [](const Suggestion& a, const Suggestion& b) {
    return a.mean_saving != b.mean_saving ? a.mean_saving > b.mean_saving : a.size < b.size;
  });
  std::erase_if(out, [](const Suggestion& s) { return s.mean_saving < 0.01; });
  if (out.size() > static_cast<size_t>(std::max(0, max_count))) out.resize(static_cast<size_t>(std::max(0, max_count)));
  return out;
}

std::vector<int64_t> unused_sizes(const ChunkCosts& costs, const std::vector<TunedRule>& rules) {
  std::vector<int64_t> unused;
  for (const auto& [s, t] : costs.call) {
    bool used = false;
    for (const auto& r : rules) used = used || std::count(r.sizes.begin(), r.sizes.end(), s) > 0;
    if (!used) unused.push_back(s);
  }
  return unused;
}

}  // namespace tfaot::driver
