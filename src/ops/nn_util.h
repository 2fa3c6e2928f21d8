// Helpers shared by the neural-network op files (convolutions, pooling, batch norm, batched
// matrix products): NHWC attribute parsing, the geometry of sliding windows exactly as
// TensorFlow's GetWindowedOutputSize computes it, and double-precision views of tensors for
// the reference evaluators.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "ops/op_util.h"

namespace tfaot::ops::nn {

enum class Padding { Same, Valid, Explicit };

// Attr "padding" ("SAME", "VALID" or, if `allow_explicit`, "EXPLICIT"); throws naming the node.
Padding parse_padding(const ir::Node& node, bool allow_explicit);

// Throws unless attr "data_format" is absent or "NHWC".
void require_nhwc(const ir::Node& node);

// A 4-element NHWC attr (strides, dilations, ksize) whose N and C entries must be 1; returns
// the {H, W} entries. `dflt` is used when the attr is absent (empty = required).
std::array<int64_t, 2> nhwc_hw_attr(const ir::Node& node, const char* attr,
                                    std::vector<int64_t> dflt = {});

// One spatial dimension of a sliding-window op.
struct Window {
  int64_t in = 0;        // input extent
  int64_t size = 1;      // window (filter) extent
  int64_t stride = 1;
  int64_t dilation = 1;
  int64_t out = 0;       // output extent
  int64_t pad_before = 0, pad_after = 0;
  int64_t effective_size() const { return (size - 1) * dilation + 1; }
};

// Output extent and padding of one dimension, as TF's GetWindowedOutputSizeVerbose:
// VALID: out = (in - eff + stride) / stride; SAME: out = ceil(in / stride), padding
// max(0, (out - 1) * stride + eff - in) split with the smaller half before; EXPLICIT: the given
// paddings, out = (in + before + after - eff + stride) / stride (C++ division, as TF). Throws
// when out < 0. `what` names the dimension in errors.
Window make_window(const ir::Node& node, const char* what, int64_t in, int64_t size,
                   int64_t stride, int64_t dilation, Padding padding, int64_t explicit_before = 0,
                   int64_t explicit_after = 0);

// Both spatial windows (H, W) of an NHWC op with input shape `in` and window extents
// `size`, reading attrs padding/explicit_paddings. `dilations` may be {1, 1}.
std::array<Window, 2> spatial_windows(const ir::Node& node, const Shape& in,
                                      std::array<int64_t, 2> size,
                                      std::array<int64_t, 2> strides,
                                      std::array<int64_t, 2> dilations, bool allow_explicit);

// All elements as double (the reference evaluators compute in double).
std::vector<double> to_doubles(const Tensor& t);
// A tensor of `dtype` and `shape` from doubles (C++ conversion of each value).
Tensor from_doubles(DType dtype, const Shape& shape, const std::vector<double>& v);

// One call of tfaot_kernels::strided_batch_matmul (see its header for the meaning of the
// strides); offsets are per batch entry, in elements.
struct GemmCall {
  int64_t m = 1, n = 1, k = 1;
  int64_t am = 0, ak = 0, bk = 0, bn = 0, cm = 0, cn = 0;
  std::vector<int64_t> a_off, b_off, c_off;  // one entry per batch entry
};
void emit_gemm(EmitContext& ctx, const GemmCall& g, const std::string& a, const std::string& b,
               const std::string& c);

// "a, b, c": template argument lists for emitted kernel calls.
std::string join_args(const std::vector<std::string>& args);
std::string bool_arg(bool b);

}  // namespace tfaot::ops::nn
