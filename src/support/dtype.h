// Element types. Values equal TensorFlow's DataType enum so protos convert by cast.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tfaot {

enum class DType : int {
  Invalid = 0,
  Float = 1,
  Double = 2,
  Int32 = 3,
  UInt8 = 4,
  Int16 = 5,
  Int8 = 6,
  String = 7,
  Complex64 = 8,
  Int64 = 9,
  Bool = 10,
  BFloat16 = 14,
  UInt16 = 17,
  Complex128 = 18,
  Half = 19,
  Resource = 20,
  Variant = 21,
  UInt32 = 22,
  UInt64 = 23,
};

// "float32", "int64", ... (numpy/TF python spelling; used in CLIs, JSON and golden files).
std::string dtype_name(DType t);
// Inverse of dtype_name; also accepts TF enum spellings ("DT_FLOAT"). Invalid if unknown.
DType dtype_from_name(std::string_view name);
// TF DataType enum value (refs "DT_FLOAT_REF" = 101.. map to their base type).
DType dtype_from_tf(int tf_enum);
// Bytes per element in generated code (String: a {data, size} view); 0 for
// Resource/Variant/Invalid.
size_t dtype_size(DType t);
// C++ element type in generated code ("float", "int32_t", "bool", ...); throws for others.
std::string dtype_cpp(DType t);
bool dtype_is_float(DType t);    // Half, BFloat16, Float, Double
bool dtype_is_integer(DType t);  // signed and unsigned ints
// Types the compiler can compute with (and the generated code can carry).
bool dtype_is_numeric(DType t);

}  // namespace tfaot
