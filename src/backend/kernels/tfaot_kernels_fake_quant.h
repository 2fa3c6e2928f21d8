// FakeQuantWithMinMaxArgs / FakeQuantWithMinMaxVars, in float exactly as TensorFlow's
// fake_quant_ops_functor.h: min/max are nudged so that 0 is exactly representable, x is clamped
// to [nudged_min, nudged_max] and snapped to the grid of `scale`. A quantizer must round exactly
// as specified, so FMA contraction and fast-math rewrites (x / s -> x * (1 / s), reassociation)
// are switched off for these functions whatever flags the generated code is compiled with.
#pragma once

#include <cmath>
#include <cstdint>

#if defined(__clang__)
#define TFAOT_FQ_STRICT_ATTR
#define TFAOT_FQ_STRICT_BODY _Pragma("float_control(precise, on)") _Pragma("clang fp contract(off)")
#elif defined(__GNUC__)
#define TFAOT_FQ_STRICT_ATTR                                                              \
  __attribute__((optimize("fp-contract=off", "no-fast-math", "no-associative-math",      \
                          "no-reciprocal-math", "signed-zeros", "trapping-math")))
#define TFAOT_FQ_STRICT_BODY
#else
#define TFAOT_FQ_STRICT_ATTR
#define TFAOT_FQ_STRICT_BODY
#endif

namespace tfaot_kernels {
namespace {

// A rounded product: clang's -ffp-contract=fast ignores the pragma above, so the value is
// passed through an empty asm that forces it into a register (no FMA can consume it unrounded).
inline float fq_rounded(float v) {
#if defined(__clang__) && (defined(__x86_64__) || defined(__i386__))
  __asm__("" : "+x"(v));
#elif defined(__clang__) && defined(__aarch64__)
  __asm__("" : "+w"(v));
#endif
  return v;
}

TFAOT_FQ_STRICT_ATTR inline void fake_quant_nudge(float min, float max, int quant_min,
                                                  int quant_max, float* nudged_min,
                                                  float* nudged_max, float* scale) {
  TFAOT_FQ_STRICT_BODY
  const float qmin = static_cast<float>(quant_min);
  const float qmax = static_cast<float>(quant_max);
  *scale = (max - min) / (qmax - qmin);
  const float zero_point_from_min = qmin - min / *scale;
  std::uint16_t zero_point;
  if (zero_point_from_min < qmin) zero_point = static_cast<std::uint16_t>(quant_min);
  else if (zero_point_from_min > qmax) zero_point = static_cast<std::uint16_t>(quant_max);
  else zero_point = static_cast<std::uint16_t>(std::round(zero_point_from_min));
  *nudged_min = (qmin - zero_point) * (*scale);
  *nudged_max = (qmax - zero_point) * (*scale);
}

// Quantizes the Count elements x[i * Stride] into y[i * Stride] with one min/max. Inverse:
// multiply by 1/scale (FakeQuantWithMinMaxArgs) instead of dividing by scale (the Vars ops).
// min == max == 0 yields zeros. y may alias x (elementwise).
template <int64_t Count, int64_t Stride, bool Inverse>
TFAOT_FQ_STRICT_ATTR void fake_quant_strided(const float* x, float* y, float min, float max,
                                             int quant_min, int quant_max) {
  TFAOT_FQ_STRICT_BODY
  if (min == 0.0f && max == 0.0f) {
    for (int64_t i = 0; i < Count; ++i) y[i * Stride] = 0.0f;
    return;
  }
  float nudged_min, nudged_max, scale;
  fake_quant_nudge(min, max, quant_min, quant_max, &nudged_min, &nudged_max, &scale);
  const float inv_scale = 1.0f / scale;
  for (int64_t i = 0; i < Count; ++i) {
    float v = x[i * Stride];
    // Eigen's cwiseMin / cwiseMax order: NaN stays NaN.
    v = nudged_max < v ? nudged_max : v;
    v = v < nudged_min ? nudged_min : v;
    const float shifted = v - nudged_min;
    float t;
    if constexpr (Inverse) {
      const float scaled = fq_rounded(shifted * inv_scale);
      t = scaled + 0.5f;
    } else {
      t = shifted / scale + 0.5f;
    }
    const float q = std::floor(t);
    const float back = fq_rounded(q * scale);
    y[i * Stride] = back + nudged_min;
  }
}

// Per-tensor: FakeQuantWithMinMaxArgs (Inverse) and FakeQuantWithMinMaxVars.
template <int64_t Count, bool Inverse>
TFAOT_FQ_STRICT_ATTR void fake_quant(const float* x, float* y, float min, float max,
                                     int quant_min, int quant_max) {
  fake_quant_strided<Count, 1, Inverse>(x, y, min, max, quant_min, quant_max);
}

// FakeQuantWithMinMaxVarsPerChannel: x is [Rows, D], channel c uses min[c] / max[c].
template <int64_t Rows, int64_t D>
TFAOT_FQ_STRICT_ATTR void fake_quant_per_channel(const float* x, float* y, const float* min,
                                                 const float* max, int quant_min,
                                                 int quant_max) {
  for (int64_t c = 0; c < D; ++c)
    fake_quant_strided<Rows, D, false>(x + c, y + c, min[c], max[c], quant_min, quant_max);
}

}  // namespace
}  // namespace tfaot_kernels

#undef TFAOT_FQ_STRICT_ATTR
#undef TFAOT_FQ_STRICT_BODY
