// Low-level access to a compiled model (the model.h contract, docs/generated-code.md):
//
//   tfaot::runCompiled<M>(batchSize, inputs, outputs, scratch)
//       runs compiled batch size `batchSize` of model M directly on caller buffers: inputs[i]
//       points to batchSize * M::input_counts_no_batch[i] elements of input i's type (row-major,
//       batch first), outputs[i] likewise; scratch to M::scratch_bytes(batchSize) bytes aligned
//       to 64 (may be null if that is 0). Throws Exception("UnknownBatchSize") if batchSize is
//       not compiled. No allocation, no copy.
//   tfaot::AlignedBuffer
//       a 64-byte aligned byte buffer, e.g. for scratch: AlignedBuffer s(M::max_scratch_bytes).
//   tfaot::isCompiled<M>(batchSize)
//   tfaot::hasDynamicBatch<M>()
//       whether the package has the dynamic-batch entry (compilation.dynamic_batch).
//   tfaot::runDynamic<M>(batchSize, inputs, outputs, scratch)
//       runs any batchSize >= 1 in one call through that entry, directly on the caller's
//       buffers (laid out as for runCompiled); scratch: M::dynamic_scratch_bytes bytes aligned
//       to 64, whatever the batch size. Throws Exception("UnknownBatchSize") without the entry.
//
// For arbitrary batch sizes over contiguous buffers use tfaot::Model<M>::runFlat (Model.h).
#ifndef TFAOT_FLAT_H
#define TFAOT_FLAT_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <new>
#include <sstream>
#include <tuple>
#include <type_traits>
#include <utility>

#include "tfaot/Exception.h"

namespace tfaot {

// Alignment of scratch memory required by the generated code (and used for all internal
// buffers of tfaot::Model).
inline constexpr size_t kBufferAlignment = 64;

// Owning, move-only, 64-byte aligned, uninitialized byte buffer. Size 0 holds no memory.
class AlignedBuffer {
 public:
  AlignedBuffer() = default;
  explicit AlignedBuffer(size_t bytes)
      : data_(bytes == 0 ? nullptr
                         : ::operator new(bytes, std::align_val_t(kBufferAlignment))),
        size_(bytes) {}
  AlignedBuffer(AlignedBuffer&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  AlignedBuffer& operator=(AlignedBuffer&& other) noexcept {
    if (this != &other) {
      release();
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
    }
    return *this;
  }
  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;
  ~AlignedBuffer() { release(); }

  void* data() const { return data_; }
  unsigned char* bytes() const { return static_cast<unsigned char*>(data_); }
  size_t size() const { return size_; }

 private:
  void release() {
    if (data_ != nullptr) ::operator delete(data_, std::align_val_t(kBufferAlignment));
    data_ = nullptr;
    size_ = 0;
  }
  void* data_ = nullptr;
  size_t size_ = 0;
};

namespace detail {

// Element sizes of a std::tuple of element types, as a constexpr array.
template <typename Tuple>
struct ElementSizes;
template <typename... E>
struct ElementSizes<std::tuple<E...>> {
  static constexpr std::array<size_t, sizeof...(E)> value = {{sizeof(E)...}};
};

inline size_t roundUp(size_t bytes) {
  return (bytes + kBufferAlignment - 1) / kBufferAlignment * kBufferAlignment;
}

// Compile-time sanity checks of a model.h struct M (clear messages instead of deep errors).
template <class M>
struct CheckModel {
  static_assert(std::tuple_size<typename M::input_types>::value == M::num_inputs,
                "tfaot: M::input_types must list M::num_inputs element types");
  static_assert(std::tuple_size<typename M::output_types>::value == M::num_outputs,
                "tfaot: M::output_types must list M::num_outputs element types");
  static_assert(M::input_counts_no_batch.size() == M::num_inputs,
                "tfaot: M::input_counts_no_batch must have M::num_inputs entries");
  static_assert(M::output_counts_no_batch.size() == M::num_outputs,
                "tfaot: M::output_counts_no_batch must have M::num_outputs entries");
  static_assert(M::batch_sizes.size() > 0, "tfaot: M::batch_sizes must not be empty");
  static_assert(sizeof(bool) == 1, "tfaot: the generated code's bool is one byte");
  static constexpr bool ok = true;
};

template <class M, class = void>
struct HasDynamicBatch : std::false_type {};
template <class M>
struct HasDynamicBatch<M, std::void_t<decltype(M::has_dynamic_batch)>>
    : std::integral_constant<bool, M::has_dynamic_batch> {};

template <class M>
void checkPointers(size_t batchSize, const void* const* inputs, void* const* outputs,
                   void* scratch, size_t scratchBytes) {
  if ((M::num_inputs > 0 && inputs == nullptr) || (M::num_outputs > 0 && outputs == nullptr)) {
    fail("InputMismatch", "model '", M::name, "': null input or output pointer array");
  }
  if (scratchBytes > 0 &&
      (scratch == nullptr || reinterpret_cast<uintptr_t>(scratch) % kBufferAlignment != 0)) {
    fail("InputMismatch", "model '", M::name, "': batch size ", batchSize, " needs ",
         scratchBytes, " bytes of 64-byte aligned scratch");
  }
}

// Rejects batch sizes no call can have: 0, a negative number converted to size_t, and sizes
// whose buffers would exceed PTRDIFF_MAX bytes (no pointer arithmetic over them is defined).
template <class M>
void checkBatchSize(size_t batchSize) {
  constexpr size_t kMaxBytes = static_cast<size_t>(PTRDIFF_MAX);
  if (batchSize == 0) fail("InvalidBatchSize", "model '", M::name, "' cannot run batch size 0");
  if (batchSize > kMaxBytes) {
    fail("InvalidBatchSize", "model '", M::name, "' cannot run batch size ", batchSize,
         " (a negative number, ", static_cast<std::ptrdiff_t>(batchSize), ", converted to size_t)");
  }
  constexpr auto inSizes = ElementSizes<typename M::input_types>::value;
  constexpr auto outSizes = ElementSizes<typename M::output_types>::value;
  auto check = [&](const char* kind, size_t index, const char* name, size_t entryBytes) {
    if (entryBytes > 0 && batchSize > kMaxBytes / entryBytes) {
      fail("InvalidBatchSize", "model '", M::name, "' cannot run batch size ", batchSize, ": ", kind,
           " ", index, " ('", name, "') would need more than ", kMaxBytes, " bytes");
    }
  };
  for (size_t i = 0; i < M::num_inputs; ++i) {
    check("input", i, M::input_names[i], M::input_counts_no_batch[i] * inSizes[i]);
  }
  for (size_t o = 0; o < M::num_outputs; ++o) {
    check("output", o, M::output_names[o], M::output_counts_no_batch[o] * outSizes[o]);
  }
}

}  // namespace detail

template <class M>
constexpr bool hasDynamicBatch() {
  return detail::HasDynamicBatch<M>::value;
}

template <class M>
constexpr bool isCompiled(size_t batchSize) {
  for (size_t bs : M::batch_sizes) {
    if (bs == batchSize) return true;
  }
  return false;
}

template <class M>
void runCompiled(size_t batchSize, const void* const* inputs, void* const* outputs,
                 void* scratch) {
  static_assert(detail::CheckModel<M>::ok);
  if (!isCompiled<M>(batchSize)) {
    std::ostringstream sizes;
    for (size_t i = 0; i < M::batch_sizes.size(); ++i) {
      sizes << (i == 0 ? "" : ",") << M::batch_sizes[i];
    }
    detail::fail("UnknownBatchSize", "model '", M::name, "' is not compiled for batch size ",
                 batchSize, " (compiled: ", sizes.str(), ")");
  }
  detail::checkPointers<M>(batchSize, inputs, outputs, scratch, M::scratch_bytes(batchSize));
  if (!M::run(batchSize, inputs, outputs, scratch)) {
    detail::fail(category::FailedRun, "model '", M::name, "' refused to run batch size ", batchSize);
  }
}

template <class M>
void runDynamic(size_t batchSize, const void* const* inputs, void* const* outputs,
                void* scratch) {
  static_assert(detail::CheckModel<M>::ok);
  if constexpr (!hasDynamicBatch<M>()) {
    (void)inputs, (void)outputs, (void)scratch;
    detail::fail("UnknownBatchSize", "model '", M::name, "' has no dynamic-batch entry (batch size ",
                 batchSize, "; see compilation.dynamic_batch)");
  } else {
    detail::checkBatchSize<M>(batchSize);
    detail::checkPointers<M>(batchSize, inputs, outputs, scratch, M::dynamic_scratch_bytes);
    M::run_dynamic(batchSize, inputs, outputs, scratch);
  }
}

}  // namespace tfaot

#endif  // TFAOT_FLAT_H
