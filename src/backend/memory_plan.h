// Static memory planning: every intermediate buffer of a run function gets an offset in the
// caller's scratch arena; buffers whose lifetimes do not overlap may share bytes.
#pragma once

#include <cstdint>
#include <vector>

namespace tfaot::backend {

inline constexpr uint64_t kScratchAlignment = 64;

struct BufferRequest {
  uint64_t bytes = 0;
  int first = 0;  // step that writes it first
  int last = 0;   // last step that reads it (>= first)
};

struct MemoryPlan {
  std::vector<uint64_t> offsets;  // per request, multiples of kScratchAlignment
  uint64_t total_bytes = 0;       // multiple of kScratchAlignment (0 if no requests)
  // Largest sum of (aligned) buffers live at one step: no plan can use less than this.
  uint64_t peak_live_bytes = 0;
};

// Greedy placement, largest buffers first, each at the lowest aligned offset that does not
// collide with an already placed buffer whose lifetime [first, last] intersects its own.
MemoryPlan plan_memory(const std::vector<BufferRequest>& requests);

}  // namespace tfaot::backend
