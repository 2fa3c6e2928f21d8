// What Conv2D, DepthwiseConv2dNative and their fused forms (_FusedConv2D,
// _FusedDepthwiseConv2dNative; passes/fuse_conv.h) share: attribute parsing into a
// geometry, the double-precision reference convolutions, the fused epilogue (bias or folded
// FusedBatchNorm, then an activation) and the emission of the generated kernels.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "ops/nn_util.h"

namespace tfaot::ops::nn {

// An NHWC convolution: input [N,H,W,C], filter [KH,KW,FI,FO] (Conv2D: FI = C / groups,
// FO = output channels; depthwise: FI = C, FO = channel multiplier).
struct ConvGeometry {
  int64_t n, c, kh, kw, fi, fo;
  std::array<Window, 2> win;  // H, W
  int64_t groups() const { return c / fi; }
};

enum class ConvKind { Conv2D, Depthwise };

// Validates data_format, ranks, strides, dilations, padding and the channel counts of `kind`;
// throws naming the node.
ConvGeometry conv_geometry(const ir::Node& node, ConvKind kind, const Shape& in,
                           const Shape& filter);
// Output shape [N, OH, OW, CO].
Shape conv_output_shape(const ConvGeometry& g, ConvKind kind);

// Op::flops: 2 KH KW (input channels per group) per output element, plus `per_output`.
uint64_t conv_flops(const ir::Node& node, ConvKind kind, uint64_t per_output);

// Reference convolutions in double: x [N,H,W,C], f [KH,KW,FI,FO] row-major; returns the
// output, row-major [N,OH,OW,CO].
std::vector<double> conv_reference(const ConvGeometry& g, ConvKind kind,
                                   const std::vector<double>& x, const std::vector<double>& f);

// The epilogue of a fused convolution (attrs fused_ops, num_args, epsilon as TensorFlow's
// _FusedConv2D): "BiasAdd" (args: bias) or "FusedBatchNorm" (args: scale, offset, mean,
// variance; y = (z - mean) * scale / sqrt(variance + epsilon) + offset), then optionally one
// activation, Relu / Relu6 / Tanh / Sigmoid. An empty list is the plain convolution.
struct ConvEpilogue {
  bool bias_add = false, batch_norm = false;
  int activation = 0;  // index into fused activations (ops/fused_activation.h)
  double epsilon = 1e-4;
};
// Parses and validates fused_ops / num_args (`co` = output channels, args are inputs 2...).
ConvEpilogue conv_epilogue(const ir::Node& node, int64_t co);
// Per-channel scale and shift equivalent to the epilogue's affine part, in double:
// y = z * scale[c] + shift[c] (bias: scale 1, shift b).
void epilogue_affine(const ConvEpilogue& e, std::span<const Tensor* const> args, int64_t co,
                     std::vector<double>& scale, std::vector<double>& shift);
// Applies the epilogue to a reference result y (channels innermost, `co` of them).
void apply_epilogue(const ConvEpilogue& e, std::span<const Tensor* const> args, int64_t co,
                    std::vector<double>& y);

// Emits the convolution of node's input 0 with filter `f` (float32 constant) into output 0 as
// the packed implicit GEMM (tfaot_kernels_conv_gemm.h) or, for depthwise, the vectorized
// depthwise kernel, with per-channel bias (null: none) and activation `activation` fused.
void emit_conv_packed(const ir::Node& node, EmitContext& ctx, const ConvGeometry& g,
                      ConvKind kind, const Tensor& f, const Tensor* bias, int activation);
// Emits the plain loop kernels (any float type, filter in input 1), no epilogue.
void emit_conv_loops(const ir::Node& node, EmitContext& ctx, const ConvGeometry& g,
                     ConvKind kind);

}  // namespace tfaot::ops::nn
