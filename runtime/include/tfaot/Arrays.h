// Batched array types of the CMSSW API and small template utilities.
//
// An XxxArrays value is one model input or output: the outer vector has one entry per batch
// element, each inner vector holds that element's values flattened row-major (the product of
// the non-batch dimensions).
#ifndef TFAOT_ARRAYS_H
#define TFAOT_ARRAYS_H

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

// The element of a string tensor in the generated code's ABI (also defined, identically and
// under the same guard, by every generated NAME_bsN.h with string inputs or outputs).
#ifndef TFAOT_STRING_REF_DEFINED
#define TFAOT_STRING_REF_DEFINED
namespace tfaot {
// One element of a string tensor: `size` bytes at `data` (no terminator; data may be null
// when size is 0).
struct StringRef {
  const char* data;
  std::size_t size;
};
}  // namespace tfaot
#endif

namespace tfaot {

typedef std::vector<std::vector<bool>> BoolArrays;
typedef std::vector<std::vector<int32_t>> Int32Arrays;
typedef std::vector<std::vector<int64_t>> Int64Arrays;
typedef std::vector<std::vector<float>> FloatArrays;
typedef std::vector<std::vector<double>> DoubleArrays;
// String inputs/outputs (model dtype "string", element type tfaot::StringRef in model.h).
typedef std::vector<std::vector<std::string>> StringArrays;

// CMSSW's Util.h names XLA's allocation mode (tensorflow::XlaCompiledCpuFunction::AllocMode,
// the buffers a compiled function allocates itself). tfaot's generated code allocates nothing
// and tfaot::Model owns every buffer, so no tfaot API takes it: it exists, with XLA's
// enumerators, so that code naming it compiles.
enum class AllocMode { ARGS_VARIABLES_RESULTS_PROFILES_AND_TEMPS, RESULTS_PROFILES_AND_TEMPS_ONLY };

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
// StringArrays hold std::string; the generated code reads and writes StringRef views.
template <>
struct ArraysElement<std::vector<std::vector<std::string>>> {
  using type = StringRef;
};

// Copies one batch entry into the generated code's buffer (strings: views of the caller's
// strings, valid during the call) and back.
template <typename E>
void toBuffer(const std::vector<E>& entry, E* dst) {
  std::copy(entry.begin(), entry.end(), dst);
}
inline void toBuffer(const std::vector<std::string>& entry, StringRef* dst) {
  for (const std::string& s : entry) *dst++ = StringRef{s.data(), s.size()};
}
template <typename E>
void fromBuffer(const E* src, std::vector<E>& entry) {
  std::copy(src, src + entry.size(), entry.begin());
}
inline void fromBuffer(const StringRef* src, std::vector<std::string>& entry) {
  for (std::string& s : entry) {
    s.assign(src->size ? src->data : "", src->size);
    ++src;
  }
}

}  // namespace detail
}  // namespace tfaot

#endif  // TFAOT_ARRAYS_H
