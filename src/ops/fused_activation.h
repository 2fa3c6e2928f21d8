// The activations a fused op (_FusedDense, _FusedConv2D, _FusedDepthwiseConv2dNative) applies
// in its GEMM epilogue: names as the TensorFlow ops they replace, the tfaot_kernels::GemmAct
// constant the generated code uses, and the reference function.
#pragma once

#include <cmath>
#include <string>

#include "ir/graph.h"
#include "support/error.h"

namespace tfaot::ops {

struct FusedActivation {
  const char* name;
  const char* kernel;  // tfaot_kernels::GemmAct constant
};
inline constexpr FusedActivation kFusedActivations[] = {{"None", "tfaot_kernels::kGemmNone"},
                                                        {"Relu", "tfaot_kernels::kGemmRelu"},
                                                        {"Relu6", "tfaot_kernels::kGemmRelu6"},
                                                        {"Tanh", "tfaot_kernels::kGemmTanh"},
                                                        {"Sigmoid", "tfaot_kernels::kGemmSigmoid"}};
inline constexpr int kNumFusedActivations = 5;

// Index of activation `name` in kFusedActivations, or -1.
inline int find_fused_activation(const std::string& name) {
  for (int i = 0; i < kNumFusedActivations; ++i)
    if (name == kFusedActivations[i].name) return i;
  return -1;
}

// As find_fused_activation, throwing an Error naming the node when unknown.
inline int fused_activation(const ir::Node& node, const std::string& name) {
  int i = find_fused_activation(name);
  if (i < 0)
    fail("{}: unknown activation '{}' (None, Relu, Relu6, Tanh, Sigmoid)", node.describe(),
         name);
  return i;
}

inline double fused_activate(int act, double v) {
  switch (act) {
    case 1: return v > 0 ? v : 0.0;
    case 2: return v > 0 ? (v < 6 ? v : 6.0) : 0.0;
    case 3: return std::tanh(v);
    case 4: return 1.0 / (1.0 + std::exp(-v));
    default: return v;
  }
}

}  // namespace tfaot::ops
