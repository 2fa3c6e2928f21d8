// The dynamic-batch entry NAME_dyn (docs/generated-code.md): runs any number of batch rows in
// one call by walking the caller's row-major buffers in blocks, each block run by the
// static-shape code of a block size (B, B/2, ..., 1), directly on offset pointers: no copy,
// no padding. Valid only for batch-separable models (batch_separability.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backend/emitter.h"
#include "ir/graph.h"

namespace tfaot::backend {

struct DynamicEntry {
  std::string ns = "tfaot_model";
  std::string model;
  std::vector<UnitInfo> blocks;  // one per block size, descending, the last of size 1

  std::string struct_name() const { return model + "_dyn"; }
  uint64_t scratch_bytes() const;
};

// Block sizes for a model whose batched intermediates take `bytes_per_row` bytes per row: the
// powers of two up to the largest B in [8, 64] whose block keeps its intermediates within
// ~512 KiB (L2-sized), descending. rows > 0 forces B = rows (then B, B/2, ..., 1).
std::vector<int64_t> dynamic_block_sizes(uint64_t bytes_per_row, int64_t rows = -1);

// Whether a configured batch size n of a batch-separable model runs as consecutive blocks of
// the dynamic entry's largest block `block` instead of one n-row graph: rows < 0 (auto) when
// n > block and n rows of intermediates exceed the block budget (a CNN at batch 256: 8 MiB
// of activations streamed from L3 ran 1.2x slower than 32 L2-resident blocks of 8), rows == 0
// never, rows > 0 whenever n > block. Row-independence makes the results identical.
bool runs_as_blocks(int64_t n, uint64_t bytes_per_row, int64_t rows, int64_t block);

// Bytes per row of the batched intermediates of `graph` specialized at batch size `n`: the sum
// over every value whose leading dim is n, divided by n (an upper bound; the plan reuses).
uint64_t batched_bytes_per_row(const ir::Graph& graph, int64_t n);

std::string dynamic_header(const DynamicEntry& d);  // NAME_dyn.h (installed)
std::string dynamic_source(const DynamicEntry& d);  // NAME_dyn.cc (includes the block headers)
// NAME_bsN.cc of a configured size that runs as blocks of d (runs_as_blocks): defines
// unit's run over the blocks' code; unit.scratch_bytes must be d.scratch_bytes().
std::string blocked_source(const DynamicEntry& d, const UnitInfo& unit);

}  // namespace tfaot::backend
