#include "support/dtype.h"

#include "support/error.h"

namespace tfaot {

namespace {
struct DTypeInfo {
  DType type;
  const char* name;
  const char* tf_name;
  size_t size;
  const char* cpp;
};

constexpr DTypeInfo kInfos[] = {
    {DType::Float, "float32", "DT_FLOAT", 4, "float"},
    {DType::Double, "float64", "DT_DOUBLE", 8, "double"},
    {DType::Int32, "int32", "DT_INT32", 4, "int32_t"},
    {DType::UInt8, "uint8", "DT_UINT8", 1, "uint8_t"},
    {DType::Int16, "int16", "DT_INT16", 2, "int16_t"},
    {DType::Int8, "int8", "DT_INT8", 1, "int8_t"},
    // Generated code carries strings as views {const char* data; size_t size} (LP64: 16 bytes).
    {DType::String, "string", "DT_STRING", 16, "::tfaot::StringRef"},
    {DType::Complex64, "complex64", "DT_COMPLEX64", 8, nullptr},
    {DType::Int64, "int64", "DT_INT64", 8, "int64_t"},
    {DType::Bool, "bool", "DT_BOOL", 1, "bool"},
    {DType::BFloat16, "bfloat16", "DT_BFLOAT16", 2, nullptr},
    {DType::UInt16, "uint16", "DT_UINT16", 2, "uint16_t"},
    {DType::Complex128, "complex128", "DT_COMPLEX128", 16, nullptr},
    {DType::Half, "float16", "DT_HALF", 2, nullptr},
    {DType::Resource, "resource", "DT_RESOURCE", 0, nullptr},
    {DType::Variant, "variant", "DT_VARIANT", 0, nullptr},
    {DType::UInt32, "uint32", "DT_UINT32", 4, "uint32_t"},
    {DType::UInt64, "uint64", "DT_UINT64", 8, "uint64_t"},
};

const DTypeInfo* info(DType t) {
  for (const auto& i : kInfos)
    if (i.type == t) return &i;
  return nullptr;
}
}  // namespace

std::string dtype_name(DType t) {
  if (const auto* i = info(t)) return i->name;
  return fmt::format("dtype({})", static_cast<int>(t));
}

DType dtype_from_name(std::string_view name) {
  for (const auto& i : kInfos)
    if (name == i.name || name == i.tf_name) return i.type;
  if (name == "float") return DType::Float;
  if (name == "double") return DType::Double;
  if (name == "half") return DType::Half;
  return DType::Invalid;
}

DType dtype_from_tf(int tf_enum) {
  if (tf_enum > 100) tf_enum -= 100;
  return static_cast<DType>(tf_enum);
}

size_t dtype_size(DType t) {
  const auto* i = info(t);
  return i ? i->size : 0;
}

std::string dtype_cpp(DType t) {
  const auto* i = info(t);
  if (!i || !i->cpp) fail("dtype {} has no C++ element type in generated code", dtype_name(t));
  return i->cpp;
}

bool dtype_is_float(DType t) {
  return t == DType::Float || t == DType::Double || t == DType::Half || t == DType::BFloat16;
}

bool dtype_is_integer(DType t) {
  switch (t) {
    case DType::Int8:
    case DType::Int16:
    case DType::Int32:
    case DType::Int64:
    case DType::UInt8:
    case DType::UInt16:
    case DType::UInt32:
    case DType::UInt64:
      return true;
    default:
      return false;
  }
}

bool dtype_is_numeric(DType t) {
  return t == DType::Float || t == DType::Double || t == DType::Bool || dtype_is_integer(t);
}

}  // namespace tfaot
