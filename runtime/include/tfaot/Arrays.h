// Batched array types of the CMSSW API and small template utilities.
//
// An XxxArrays value is one model input or output: the outer vector has one entry per batch
// element, each inner vector holds that element's values flattened row-major (the product of
// the non-batch dimensions).
#ifndef TFAOT_ARRAYS_H
#define TFAOT_ARRAYS_H

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

namespace tfaot {

typedef std::vector<std::vector<bool>> BoolArrays;
typedef std::vector<std::vector<int32_t>> Int32Arrays;
typedef std::vector<std::vector<int64_t>> Int64Arrays;
typedef std::vector<std::vector<float>> FloatArrays;
typedef std::vector<std::vector<double>> DoubleArrays;

// Returns a callable invoking f(std::integral_constant<size_t, I>{}) for I = Index... in order
// (as CMSSW's Util.h provides it).
template <size_t... Index>
auto createIndexLooper(std::index_sequence<Index...>) {
  return [](auto&& f) { (f(std::integral_constant<size_t, Index>{}), ...); };
}

// Same for I in [0, N).
template <size_t N>
auto createIndexLooper() {
  return createIndexLooper(std::make_index_sequence<N>{});
}

namespace detail {

// Element type of a batched array type (void if the type is not std::vector<std::vector<E>>).
template <typename A>
struct ArraysElement {
  using type = void;
};
template <typename E>
struct ArraysElement<std::vector<std::vector<E>>> {
  using type = E;
};

}  // namespace detail
}  // namespace tfaot

#endif  // TFAOT_ARRAYS_H
