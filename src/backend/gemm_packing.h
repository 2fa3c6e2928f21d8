// Compile-time packing of constant GEMM operands for tfaot_kernels::gemm_packed
// (src/backend/kernels/tfaot_kernels_gemm.h).
//
// Packed layout of B (logically [K,N]) for panel width NR: P = ceil(N/NR) panels of NR
// columns (zero past N), in groups of GW = gemm_group_panels(P, group) panels (the last one
// may be narrower: gw panels), each group a row-major [K][gw*NR] block: column p*NR+j of row k is at
// g*GW*K*NR + k*gw*NR + (p - g*GW)*NR + j for p in group g. The kernel reads a group row by row,
// one sequential stream. Shape of the packed tensor: [P, K, NR] (the same number of floats).
// The bias is padded to [P*NR]. Padding columns are computed by the kernel and never stored.
//
// Header-only because the ops stage (emit() of MatMul / _FusedDense) calls it and the ops
// library links below the back end.
#pragma once

#include <string>
#include <vector>

#include "support/error.h"
#include "support/tensor.h"

namespace tfaot::backend {

// The packing of the constants emitted for code compiled for all of `targets` (-march
// values; a dispatch object compiles one source, hence one set of packed weights, once per
// target).
struct GemmPacking {
  // Panel width NR. Every ISA's tiles read NR = 16: AVX-512 one zmm per panel, AVX2 two ymm,
  // SSE and NEON four 128-bit registers (rows and panels per tile are chosen per ISA by the
  // preprocessor, tfaot_kernels_gemm.h); any other NR is correct but takes the portable tile.
  int nr = 16;
  // Panels per interleaved group at most. 8: a group row is 512 bytes, so a tile of one panel
  // (AVX2 6 x 16, SSE 2 x 16) walks its B column with a 512-byte stride, which maps it onto 8
  // of a 32 KiB L1's 64 sets and evicts it before the next row tile reuses it. 7 (448 bytes)
  // spreads it over all 64 sets: AVX2 gemm_bench 64 x 256 x 256 84 -> 91-93 GFLOP/s (best of
  // 7, AMD EPYC). The AVX-512 tiles (4 panels wide, tuned and measured with 8) keep 8.
  int group = 8;
};

// The host CPU has AVX-512 (what -march=native enables for the tiles).
inline bool gemm_host_has_avx512() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f");
#else
  return false;
#endif
}

inline GemmPacking gemm_packing_for(const std::vector<std::string>& targets) {
  GemmPacking p;
  bool narrow_tiles = !targets.empty();  // every target's tiles are one panel wide
  for (const std::string& t : targets)
    if (!(t == "x86-64" || t == "x86-64-v2" || t == "x86-64-v3" || (t == "native" && !gemm_host_has_avx512())))
      narrow_tiles = false;
  p.group = narrow_tiles ? 7 : 8;
  return p;
}

// Panels per interleaved group, at most `group`; the kernel (gemm_group_panels in
// tfaot_kernels_gemm.h) uses the same rule.
inline int64_t gemm_group_panels(int64_t panels, int group) { return panels < group ? panels : group; }

// Offset of row k, panel p of a [panels, k_rows, nr] matrix packed as above.
inline int64_t gemm_packed_offset(int64_t panels, int64_t k_rows, int nr, int group, int64_t k, int64_t p) {
  const int64_t gw = gemm_group_panels(panels, group), g = p / gw;
  const int64_t width = (g + 1) * gw <= panels ? gw : panels - g * gw;
  return (g * gw * k_rows + k * width + (p - g * gw)) * nr;
}

// b: float32 [K,N], or [N,K] when transpose_b (MatMul's transpose_b). Returns [P, K, nr].
inline Tensor pack_gemm_weights(const Tensor& b, bool transpose_b, int nr, int group = 8) {
  if (b.dtype() != DType::Float || b.shape().size() != 2)
    fail("pack_gemm_weights: weights must be a float32 matrix, got {} {}", dtype_name(b.dtype()),
         shape_str(b.shape()));
  if (nr <= 0 || group <= 0)
    fail("pack_gemm_weights: panel width and group must be positive, got {} and {}", nr, group);
  const int64_t k = transpose_b ? b.shape()[1] : b.shape()[0];
  const int64_t n = transpose_b ? b.shape()[0] : b.shape()[1];
  const int64_t panels = (n + nr - 1) / nr;
  Tensor out(DType::Float, {panels, k, nr});
  const float* src = b.data<float>();
  float* dst = out.data<float>();
  for (int64_t p = 0; p < panels; ++p)
    for (int64_t kk = 0; kk < k; ++kk) {
      float* row = dst + gemm_packed_offset(panels, k, nr, group, kk, p);
      for (int64_t j = 0; j < nr; ++j) {
        const int64_t col = p * nr + j;
        if (col >= n) continue;  // stays zero
        row[j] = transpose_b ? src[col * k + kk] : src[kk * n + col];
      }
    }
  return out;
}

// bias: float32 [N]. Returns [P*nr], zero-padded.
inline Tensor pack_gemm_bias(const Tensor& bias, int nr) {
  if (bias.dtype() != DType::Float || bias.shape().size() != 1)
    fail("pack_gemm_bias: bias must be a float32 vector, got {} {}", dtype_name(bias.dtype()),
         shape_str(bias.shape()));
  if (nr <= 0) fail("pack_gemm_bias: panel width must be positive, got {}", nr);
  const int64_t n = bias.shape()[0];
  Tensor out(DType::Float, {(n + nr - 1) / nr * nr});
  for (int64_t j = 0; j < n; ++j) out.data<float>()[j] = bias.data<float>()[j];
  return out;
}

// Conv2D filter, float32 HWIO [KH,KW,CG,CO] with CO = groups * COG, for
// tfaot_kernels::conv2d_packed: per group g, the matrix [KH*KW*CG, COG] (columns g*COG...)
// packed as above, one after the other. Returns [groups * P, KH*KW*CG, nr], P = ceil(COG/nr).
inline Tensor pack_conv_filter(const Tensor& f, int64_t groups, int nr, int group = 8) {
  if (f.dtype() != DType::Float || f.shape().size() != 4)
    fail("pack_conv_filter: filter must be a float32 HWIO tensor, got {} {}",
         dtype_name(f.dtype()), shape_str(f.shape()));
  if (groups <= 0 || f.shape()[3] % groups != 0 || nr <= 0 || group <= 0)
    fail("pack_conv_filter: {} output channels do not split into {} groups (panel width {})",
         f.shape()[3], groups, nr);
  const int64_t k = f.shape()[0] * f.shape()[1] * f.shape()[2], co = f.shape()[3];
  const int64_t cog = co / groups, panels = (cog + nr - 1) / nr;
  Tensor out(DType::Float, {groups * panels, k, nr});
  const float* src = f.data<float>();
  float* dst = out.data<float>();
  for (int64_t g = 0; g < groups; ++g)
    for (int64_t p = 0; p < panels; ++p)
      for (int64_t kk = 0; kk < k; ++kk) {
        float* row = dst + g * panels * k * nr + gemm_packed_offset(panels, k, nr, group, kk, p);
        for (int64_t j = 0; j < nr && p * nr + j < cog; ++j)
          row[j] = src[kk * co + g * cog + p * nr + j];
      }
  return out;
}

// Conv2D bias [CO] for `groups` groups: each group's COG values padded to P * nr.
inline Tensor pack_conv_bias(const Tensor& bias, int64_t groups, int nr) {
  if (bias.dtype() != DType::Float || bias.shape().size() != 1 || groups <= 0 ||
      bias.shape()[0] % groups != 0 || nr <= 0)
    fail("pack_conv_bias: bias must be a float32 vector splitting into {} groups, got {} {}",
         groups, dtype_name(bias.dtype()), shape_str(bias.shape()));
  const int64_t cog = bias.shape()[0] / groups, padded = (cog + nr - 1) / nr * nr;
  Tensor out(DType::Float, {groups * padded});
  for (int64_t g = 0; g < groups; ++g)
    for (int64_t j = 0; j < cog; ++j)
      out.data<float>()[g * padded + j] = bias.data<float>()[g * cog + j];
  return out;
}

}  // namespace tfaot::backend
