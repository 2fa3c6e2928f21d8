// Scalar functors of the elementwise ops (used inside the loop nests the ops emit) and the
// conversion used by Cast. Integer arithmetic wraps (two's complement) like TensorFlow on
// CPU instead of being undefined; integer division by zero yields 0 (TensorFlow reports an
// error, which compiled code cannot).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

namespace tfaot_kernels {
namespace {

template <class T>
using wrap_t = std::conditional_t<std::is_integral_v<T> && !std::is_same_v<T, bool>,
                                  std::make_unsigned_t<T>, T>;

struct f_add {
  template <class T> T operator()(T a, T b) const {
    if constexpr (std::is_integral_v<T>) return T(wrap_t<T>(a) + wrap_t<T>(b));
    else return a + b;
  }
};
struct f_sub {
  template <class T> T operator()(T a, T b) const {
    if constexpr (std::is_integral_v<T>) return T(wrap_t<T>(a) - wrap_t<T>(b));
    else return a - b;
  }
};
struct f_mul {
  template <class T> T operator()(T a, T b) const {
    if constexpr (std::is_same_v<T, bool>) return a && b;
    else if constexpr (std::is_integral_v<T> && sizeof(T) < sizeof(int))
      return T(unsigned(a) * unsigned(b));  // avoid promotion to int overflowing
    else if constexpr (std::is_integral_v<T>) return T(wrap_t<T>(a) * wrap_t<T>(b));
    else return a * b;
  }
};
// Division truncating toward zero for integers (RealDiv/Div/TruncateDiv on ints).
struct f_div {
  template <class T> T operator()(T a, T b) const {
    if constexpr (std::is_integral_v<T>) {
      if (b == 0) return T(0);
      if constexpr (std::is_signed_v<T>)
        if (b == T(-1)) return T(wrap_t<T>(0) - wrap_t<T>(a));
      return T(a / b);
    } else {
      return a / b;
    }
  }
};
// FloorDiv: rounds toward negative infinity.
struct f_floordiv {
  template <class T> T operator()(T a, T b) const {
    if constexpr (std::is_integral_v<T>) {
      T q = f_div{}(a, b);
      if constexpr (std::is_signed_v<T>)
        if (b != 0 && b != T(-1) && (a % b != 0) && ((a < 0) != (b < 0))) q = T(q - 1);
      return q;
    } else {
      return std::floor(a / b);
    }
  }
};
// FloorMod: result has the sign of the divisor.
struct f_floormod {
  template <class T> T operator()(T a, T b) const {
    if constexpr (std::is_integral_v<T>) {
      if (b == 0) return T(0);
      if constexpr (std::is_signed_v<T>) {
        if (b == T(-1)) return T(0);
        T r = T(a % b);
        if (r != 0 && ((r < 0) != (b < 0))) r = T(r + b);
        return r;
      } else {
        return T(a % b);
      }
    } else {
      T r = std::fmod(a, b);
      if (r != 0 && ((r < 0) != (b < 0))) r += b;
      return r;
    }
  }
};
// Maximum/Minimum propagate NaN (TensorFlow uses Eigen's PropagateNaN variants).
struct f_max {
  template <class T> T operator()(T a, T b) const {
    if constexpr (std::is_floating_point_v<T>)
      if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<T>::quiet_NaN();
    return a < b ? b : a;
  }
};
struct f_min {
  template <class T> T operator()(T a, T b) const {
    if constexpr (std::is_floating_point_v<T>)
      if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<T>::quiet_NaN();
    return b < a ? b : a;
  }
};
struct f_squared_difference {
  template <class T> T operator()(T a, T b) const {
    T d = f_sub{}(a, b);
    return f_mul{}(d, d);
  }
};
struct f_pow {
  template <class T> T operator()(T a, T b) const {
    if constexpr (std::is_integral_v<T>) {
      if (b < 0) return T(0);
      T r = 1, x = a;
      for (T e = b; e > 0; e = T(e / 2)) {
        if (e & 1) r = f_mul{}(r, x);
        x = f_mul{}(x, x);
      }
      return r;
    } else {
      return std::pow(a, b);
    }
  }
};
// DivNoNan: 0 where the divisor is 0.
struct f_div_no_nan {
  template <class T> T operator()(T a, T b) const { return b == T(0) ? T(0) : a / b; }
};
// TruncateMod / Mod: remainder with the sign of the dividend (C fmod / %).
struct f_truncmod {
  template <class T> T operator()(T a, T b) const {
    if constexpr (std::is_integral_v<T>) {
      if (b == 0) return T(0);
      if constexpr (std::is_signed_v<T>)
        if (b == T(-1)) return T(0);
      return T(a % b);
    } else {
      return std::fmod(a, b);
    }
  }
};
struct f_atan2 { template <class T> T operator()(T a, T b) const { return std::atan2(a, b); } };
struct f_greater { template <class T> bool operator()(T a, T b) const { return a > b; } };
struct f_greater_equal { template <class T> bool operator()(T a, T b) const { return a >= b; } };
struct f_less { template <class T> bool operator()(T a, T b) const { return a < b; } };
struct f_less_equal { template <class T> bool operator()(T a, T b) const { return a <= b; } };
struct f_equal { template <class T> bool operator()(T a, T b) const { return a == b; } };
struct f_not_equal { template <class T> bool operator()(T a, T b) const { return a != b; } };
struct f_logical_and { bool operator()(bool a, bool b) const { return a && b; } };
struct f_logical_or { bool operator()(bool a, bool b) const { return a || b; } };

// --- unary ---------------------------------------------------------------------------------
struct f_neg {
  template <class T> T operator()(T x) const {
    if constexpr (std::is_integral_v<T>) return T(wrap_t<T>(0) - wrap_t<T>(x));
    else return -x;
  }
};
struct f_abs {
  template <class T> T operator()(T x) const {
    if constexpr (std::is_unsigned_v<T>) return x;
    else if constexpr (std::is_integral_v<T>) return x < 0 ? f_neg{}(x) : x;
    else return std::fabs(x);
  }
};
struct f_square { template <class T> T operator()(T x) const { return f_mul{}(x, x); } };
struct f_sign {
  template <class T> T operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>)
      if (std::isnan(x)) return x;
    return x > T(0) ? T(1) : (x < T(0) ? T(-1) : T(0));
  }
};
struct f_tanh { template <class T> T operator()(T x) const { return std::tanh(x); } };
struct f_exp { template <class T> T operator()(T x) const { return std::exp(x); } };
struct f_expm1 { template <class T> T operator()(T x) const { return std::expm1(x); } };
struct f_log { template <class T> T operator()(T x) const { return std::log(x); } };
struct f_log1p { template <class T> T operator()(T x) const { return std::log1p(x); } };
struct f_sqrt { template <class T> T operator()(T x) const { return std::sqrt(x); } };
struct f_rsqrt { template <class T> T operator()(T x) const { return T(1) / std::sqrt(x); } };
struct f_reciprocal { template <class T> T operator()(T x) const { return T(1) / x; } };
struct f_floor { template <class T> T operator()(T x) const { return std::floor(x); } };
struct f_ceil { template <class T> T operator()(T x) const { return std::ceil(x); } };
// Round half to even, like TensorFlow's Round.
struct f_round { template <class T> T operator()(T x) const { return std::nearbyint(x); } };
struct f_sin { template <class T> T operator()(T x) const { return std::sin(x); } };
struct f_cos { template <class T> T operator()(T x) const { return std::cos(x); } };
struct f_tan { template <class T> T operator()(T x) const { return std::tan(x); } };
struct f_asin { template <class T> T operator()(T x) const { return std::asin(x); } };
struct f_acos { template <class T> T operator()(T x) const { return std::acos(x); } };
struct f_atan { template <class T> T operator()(T x) const { return std::atan(x); } };
struct f_sinh { template <class T> T operator()(T x) const { return std::sinh(x); } };
struct f_cosh { template <class T> T operator()(T x) const { return std::cosh(x); } };
struct f_asinh { template <class T> T operator()(T x) const { return std::asinh(x); } };
struct f_acosh { template <class T> T operator()(T x) const { return std::acosh(x); } };
struct f_atanh { template <class T> T operator()(T x) const { return std::atanh(x); } };
struct f_erf { template <class T> T operator()(T x) const { return std::erf(x); } };
struct f_sigmoid {
  template <class T> T operator()(T x) const { return T(1) / (T(1) + std::exp(-x)); }
};
// Relu keeps NaN (x < 0 is false for NaN).
struct f_relu { template <class T> T operator()(T x) const { return x < T(0) ? T(0) : x; } };
struct f_relu6 {
  template <class T> T operator()(T x) const { return x < T(0) ? T(0) : (x > T(6) ? T(6) : x); }
};
struct f_elu {
  template <class T> T operator()(T x) const { return x < T(0) ? std::expm1(x) : x; }
};
struct f_selu {
  template <class T> T operator()(T x) const {
    const T scale = T(1.0507009873554804934193349852946);
    const T alpha = T(1.6732632423543772848170429916717);
    return x < T(0) ? scale * alpha * std::expm1(x) : scale * x;
  }
};
struct f_softplus {
  template <class T> T operator()(T x) const {
    // log(1 + exp(x)) without overflow for large x.
    return x > T(0) ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
  }
};
struct f_softsign { template <class T> T operator()(T x) const { return x / (T(1) + std::fabs(x)); } };
struct f_is_nan { template <class T> bool operator()(T x) const { return std::isnan(x); } };
struct f_is_inf { template <class T> bool operator()(T x) const { return std::isinf(x); } };
struct f_is_finite { template <class T> bool operator()(T x) const { return std::isfinite(x); } };
struct f_logical_not { bool operator()(bool x) const { return !x; } };

// Cast: C++ conversion, except that float -> integer truncates toward zero with NaN -> 0 and
// out-of-range values saturated (plain C++ leaves those undefined); to bool is x != 0.
template <class To, class From>
To cast(From x) {
  if constexpr (std::is_same_v<To, bool>) {
    return x != From(0);
  } else if constexpr (std::is_floating_point_v<From> && std::is_integral_v<To>) {
    if (std::isnan(x)) return To(0);
    if (x <= From(std::numeric_limits<To>::min())) return std::numeric_limits<To>::min();
    // max() of 32/64-bit types is not representable in float: compare against 2^bits.
    const From limit = From(2) * From(std::numeric_limits<To>::max() / 2 + 1);
    if (x >= limit) return std::numeric_limits<To>::max();
    return To(x);
  } else {
    return To(x);
  }
}

}  // namespace
}  // namespace tfaot_kernels
