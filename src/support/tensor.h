// A host tensor: dtype, static shape and owned row-major data. Used for constants (weights),
// checkpoint values, the reference evaluator and test data. Not used by generated code.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "support/dtype.h"
#include "support/error.h"

namespace tfaot {

using Shape = std::vector<int64_t>;

// Product of dims (1 for a scalar). Throws on a negative dim or on overflow.
int64_t num_elements(const Shape& shape);
// "[2,3,4]", "[]" for a scalar, "?" for unknown dims (-1).
std::string shape_str(const Shape& shape);

// Maps a C++ element type to its DType.
template <typename T>
constexpr DType dtype_of() {
  if constexpr (std::is_same_v<T, float>) return DType::Float;
  else if constexpr (std::is_same_v<T, double>) return DType::Double;
  else if constexpr (std::is_same_v<T, int32_t>) return DType::Int32;
  else if constexpr (std::is_same_v<T, int64_t>) return DType::Int64;
  else if constexpr (std::is_same_v<T, bool>) return DType::Bool;
  else if constexpr (std::is_same_v<T, uint8_t>) return DType::UInt8;
  else if constexpr (std::is_same_v<T, int8_t>) return DType::Int8;
  else if constexpr (std::is_same_v<T, int16_t>) return DType::Int16;
  else if constexpr (std::is_same_v<T, uint16_t>) return DType::UInt16;
  else if constexpr (std::is_same_v<T, uint32_t>) return DType::UInt32;
  else if constexpr (std::is_same_v<T, uint64_t>) return DType::UInt64;
  else static_assert(sizeof(T) == 0, "no DType for this C++ type");
}

// Calls fn(std::type_identity<T>{}) with the C++ type of a numeric dtype; throws otherwise.
template <typename Fn>
decltype(auto) dispatch_dtype(DType t, Fn&& fn) {
  switch (t) {
    case DType::Float: return fn(std::type_identity<float>{});
    case DType::Double: return fn(std::type_identity<double>{});
    case DType::Int32: return fn(std::type_identity<int32_t>{});
    case DType::Int64: return fn(std::type_identity<int64_t>{});
    case DType::Bool: return fn(std::type_identity<bool>{});
    case DType::UInt8: return fn(std::type_identity<uint8_t>{});
    case DType::Int8: return fn(std::type_identity<int8_t>{});
    case DType::Int16: return fn(std::type_identity<int16_t>{});
    case DType::UInt16: return fn(std::type_identity<uint16_t>{});
    case DType::UInt32: return fn(std::type_identity<uint32_t>{});
    case DType::UInt64: return fn(std::type_identity<uint64_t>{});
    default: fail("unsupported dtype {}", dtype_name(t));
  }
}

class Tensor {
 public:
  Tensor() = default;
  // Zero-initialized tensor (empty strings for DType::String).
  Tensor(DType dtype, Shape shape);

  template <typename T>
  static Tensor from_vector(Shape shape, const std::vector<T>& values) {
    Tensor t(dtype_of<T>(), std::move(shape));
    if (static_cast<int64_t>(values.size()) != t.num_elements())
      fail("tensor of shape {} needs {} values, got {}", shape_str(t.shape()), t.num_elements(),
           values.size());
    for (size_t i = 0; i < values.size(); ++i) t.data<T>()[i] = values[i];
    return t;
  }
  template <typename T>
  static Tensor scalar(T value) {
    return from_vector<T>({}, {value});
  }

  DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  int rank() const { return static_cast<int>(shape_.size()); }
  int64_t num_elements() const { return num_elements_; }
  size_t byte_size() const { return bytes_.size(); }

  // Typed element access; T must match dtype() exactly.
  template <typename T>
  T* data() {
    check_type(dtype_of<T>());
    return reinterpret_cast<T*>(bytes_.data());
  }
  template <typename T>
  const T* data() const {
    check_type(dtype_of<T>());
    return reinterpret_cast<const T*>(bytes_.data());
  }
  template <typename T>
  std::span<const T> values() const {
    return {data<T>(), static_cast<size_t>(num_elements_)};
  }

  // Raw bytes (row-major, little-endian host layout). Empty for strings.
  uint8_t* raw() { return bytes_.data(); }
  const uint8_t* raw() const { return bytes_.data(); }

  std::vector<std::string>& strings() { return strings_; }
  const std::vector<std::string>& strings() const { return strings_; }

  // Element i converted to double / int64 (numeric dtypes; for index-like operands).
  double get_double(int64_t i) const;
  int64_t get_int(int64_t i) const;
  // Sets element i from a double with C++ conversion semantics of the element type.
  void set_double(int64_t i, double v);
  // All elements as int64 (for shape/axis operands).
  std::vector<int64_t> to_int_vector() const;

  // Same data, new shape with the same element count.
  Tensor reshaped(Shape shape) const;
  bool operator==(const Tensor& other) const;

 private:
  void check_type(DType t) const {
    if (t != dtype_) fail("tensor access as {} but tensor is {}", dtype_name(t), dtype_name(dtype_));
  }
  DType dtype_ = DType::Invalid;
  Shape shape_;
  int64_t num_elements_ = 0;
  std::vector<uint8_t> bytes_;
  std::vector<std::string> strings_;
};

}  // namespace tfaot
