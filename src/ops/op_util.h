// Helpers shared by the op files: input/attribute validation, shape arithmetic
// (broadcasting, strides, axes) and emission of loop nests with constant bounds.
#pragma once

#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "ops/op.h"

namespace tfaot::ops {

// --- validation -------------------------------------------------------------------------
// Throws unless the node has exactly `n` data inputs.
void check_num_inputs(const ir::Node& node, int n);
// Throws unless the node has at least `n` data inputs.
void check_min_inputs(const ir::Node& node, int n);
// The dtype of attr `attr` (default: the type of input 0 when the attr is absent); throws
// unless it is one of `allowed` and equals the type of every input listed in `inputs`.
DType check_type_attr(const ir::Node& node, const char* attr, std::initializer_list<int> inputs,
                      std::initializer_list<DType> allowed);
// Throws unless `t` is one of `allowed`, naming the node and what `what` is.
void check_dtype(const ir::Node& node, DType t, std::initializer_list<DType> allowed,
                 const char* what);
// The constant value of a shape-determining input, or an Error naming the node and operand.
const Tensor& require_const(const ir::Node& node, int input, const char* operand);
// Every input's type must be static (true after specialization).
void check_static_inputs(const ir::Node& node);

// Common dtype sets.
extern const std::initializer_list<DType> kFloatTypes;    // float, double
extern const std::initializer_list<DType> kNumberTypes;   // float, double, ints (no bool)
extern const std::initializer_list<DType> kIndexTypes;    // int32, int64
extern const std::initializer_list<DType> kAllTypes;      // numbers + bool

// --- shapes -------------------------------------------------------------------------------
// Row-major element strides of `shape`.
std::vector<int64_t> row_major_strides(const Shape& shape);
// numpy broadcast of two shapes, or an Error naming the node.
Shape broadcast_shapes(const ir::Node& node, const Shape& a, const Shape& b);
// Strides to read an operand of shape `in` broadcast to `out` (0 on broadcast dims).
std::vector<int64_t> broadcast_strides(const Shape& in, const Shape& out);
// Normalizes axis `axis` for a rank-`rank` tensor (negative counts from the end); throws
// naming the node when it is outside [-rank, rank).
int64_t normalize_axis(const ir::Node& node, int64_t axis, int64_t rank);
// Multi-index of linear index `i` in `shape` (row-major).
std::vector<int64_t> unravel(int64_t i, const Shape& shape);

// --- emission -----------------------------------------------------------------------------
// A loop nest over `dims`; operand k is addressed as base[k] + sum_d(index_d * strides[k][d]).
struct LoopNest {
  Shape dims;
  std::vector<int64_t> bases;                  // per operand
  std::vector<std::vector<int64_t>> strides;   // per operand, one per dim
};
// Drops size-1 dims and merges adjacent dims that are contiguous for every operand.
LoopNest simplify(LoopNest nest);
// Emits the loops of `nest` (after simplify); `body` receives one index expression per
// operand and writes the innermost statement(s). Emits nothing when a dim is 0.
void emit_loops(EmitContext& ctx, const LoopNest& nest,
                const std::function<void(const std::vector<std::string>&)>& body);
// Emits out[...] = in[...] over `dims` with the given element strides (a strided copy).
void emit_copy(EmitContext& ctx, const std::string& in, const std::string& out, const Shape& dims,
               int64_t in_base, const std::vector<int64_t>& in_strides, int64_t out_base,
               const std::vector<int64_t>& out_strides);
// C++ literal of value `v` for element type `t` ("1.5f", "3", "true", ...), exact.
std::string cpp_literal(DType t, double v);

}  // namespace tfaot::ops

namespace tfaot::ops {
// Emits out = functor(a, b) elementwise with numpy broadcasting of the static shapes of a and
// b to `out_shape`. `functor` is a kernel functor expression ("tfaot_kernels::f_add{}").
void emit_broadcast_binary(EmitContext& ctx, const std::string& functor, const Shape& a,
                           const Shape& b, const Shape& out_shape);
// Emits out = functor(in) over `count` contiguous elements.
void emit_unary_map(EmitContext& ctx, const std::string& functor, int64_t count);
}  // namespace tfaot::ops

namespace tfaot::ops {
// Reference counterpart of emit_copy: a tensor of shape `dims` whose element at multi-index i
// is in[base + sum_d(i_d * strides[d])].
Tensor strided_gather(const Tensor& in, const Shape& dims, int64_t base,
                      const std::vector<int64_t>& strides);
// Emits emit_copy from input `input` into output `output` with a dense row-major output,
// wrapped in its own block.
void emit_strided_gather(EmitContext& ctx, int input, int output, const Shape& dims,
                         int64_t base, const std::vector<int64_t>& strides);
}  // namespace tfaot::ops
