#include "backend/memory_plan.h"

#include <algorithm>
#include <map>
#include <numeric>

namespace tfaot::backend {

namespace {
uint64_t aligned_size(uint64_t bytes) {
  // Zero-size buffers still get a distinct, valid address.
  return std::max<uint64_t>(kScratchAlignment,
                            (bytes + kScratchAlignment - 1) / kScratchAlignment * kScratchAlignment);
}
}  // namespace

MemoryPlan plan_memory(const std::vector<BufferRequest>& requests) {
  MemoryPlan plan;
  plan.offsets.assign(requests.size(), 0);
  std::vector<size_t> order(requests.size());
  std::iota(order.begin(), order.end(), 0);
  // Deterministic: size descending, then earlier start, then request index.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const auto &ra = requests[a], &rb = requests[b];
    if (aligned_size(ra.bytes) != aligned_size(rb.bytes))
      return aligned_size(ra.bytes) > aligned_size(rb.bytes);
    return ra.first < rb.first;
  });
  std::vector<size_t> placed;
  for (size_t i : order) {
    const BufferRequest& r = requests[i];
    const uint64_t size = aligned_size(r.bytes);
    // Occupied ranges of buffers alive at the same time, sorted by offset.
    std::vector<std::pair<uint64_t, uint64_t>> busy;
    for (size_t j : placed) {
      const BufferRequest& o = requests[j];
      if (o.first <= r.last && r.first <= o.last)
        busy.emplace_back(plan.offsets[j], plan.offsets[j] + aligned_size(o.bytes));
    }
    std::sort(busy.begin(), busy.end());
    uint64_t offset = 0;
    for (const auto& [lo, hi] : busy) {
      if (offset + size <= lo) break;
      offset = std::max(offset, hi);
    }
    plan.offsets[i] = offset;
    plan.total_bytes = std::max(plan.total_bytes, offset + size);
    placed.push_back(i);
  }
  std::map<int, int64_t> delta;  // step -> change of the live bytes
  for (const BufferRequest& r : requests) {
    delta[r.first] += static_cast<int64_t>(aligned_size(r.bytes));
    delta[r.last + 1] -= static_cast<int64_t>(aligned_size(r.bytes));
  }
  int64_t live = 0;
  for (const auto& [step, d] : delta) {
    live += d;
    plan.peak_live_bytes = std::max(plan.peak_live_bytes, static_cast<uint64_t>(live));
  }
  return plan;
}

}  // namespace tfaot::backend
