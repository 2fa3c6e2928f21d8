#include "frontend/tensor_proto.h"

#include <cstring>

#include "support/limits.h"

namespace tfaot::frontend {

namespace {

// Fills `n` elements of `out` from the repeated field `vals` with TF's fill rule.
template <typename T, typename Field>
void fill(T* out, int64_t n, const Field& vals) {
  const int64_t have = vals.size();
  for (int64_t i = 0; i < n; ++i) out[i] = have == 0 ? T{} : static_cast<T>(vals[std::min(i, have - 1)]);
}

}  // namespace

ir::TensorType type_from_proto(int tf_dtype, const tensorflow::TensorShapeProto& shape,
                               const std::string& what) {
  ir::TensorType t;
  t.dtype = dtype_from_tf(tf_dtype);
  if (shape.unknown_rank()) {
    t.rank_known = false;
    return t;
  }
  for (const auto& d : shape.dim()) {
    if (d.size() < -1) fail("{}: invalid dimension {} in shape", what, d.size());
    t.shape.push_back(d.size());
  }
  return t;
}

Shape static_shape_from_proto(const tensorflow::TensorShapeProto& shape, const std::string& what) {
  if (shape.unknown_rank()) fail("{}: shape has unknown rank", what);
  Shape s;
  for (const auto& d : shape.dim()) {
    if (d.size() < 0) fail("{}: negative dimension {} in shape", what, d.size());
    s.push_back(d.size());
  }
  return s;
}

TensorHeader check_tensor_proto(const tensorflow::TensorProto& p, const std::string& what) {
  DType dt = dtype_from_tf(p.dtype());
  if (dt == DType::Invalid) fail("{}: tensor has invalid dtype {}", what, static_cast<int>(p.dtype()));
  if (dt == DType::Resource || dt == DType::Variant || dt == DType::Complex64 ||
      dt == DType::Complex128)
    fail("{}: constant tensors of dtype {} are not supported", what, dtype_name(dt));
  TensorHeader h{dt, static_shape_from_proto(p.tensor_shape(), what), 0};
  // Strings cost at least their vector slot each; bound the element count like bytes.
  const int64_t es = dt == DType::String ? sizeof(std::string) : static_cast<int64_t>(dtype_size(dt));
  if (es == 0)  // e.g. quantized or reference dtypes: no element layout we know
    fail("{}: constant tensors of dtype {} are not supported", what, dtype_name(dt));
  check_limit(Limit::TensorBytes, saturated_bytes(h.shape, static_cast<size_t>(es)),
              fmt::format("{}: {} tensor of shape {}", what, dtype_name(dt), shape_str(h.shape)));
  h.num_elements = num_elements(h.shape);  // cannot overflow: the byte count did not
  const int64_t n = h.num_elements;
  if (dt == DType::String) {
    if (!p.tensor_content().empty())
      fail("{}: string tensor with tensor_content is not supported", what);
    if (p.string_val_size() > n)
      fail("{}: {} string values for shape {}", what, p.string_val_size(), shape_str(h.shape));
    return h;
  }
  if (!p.tensor_content().empty() && static_cast<int64_t>(p.tensor_content().size()) != n * es)
    fail("{}: tensor_content has {} bytes, shape {} of {} needs {}", what,
         p.tensor_content().size(), shape_str(h.shape), dtype_name(dt), n * es);
  return h;
}

Tensor tensor_from_proto(const tensorflow::TensorProto& p, const std::string& what) {
  const TensorHeader h = check_tensor_proto(p, what);
  const DType dt = h.dtype;
  const Shape& shape = h.shape;
  const int64_t n = h.num_elements;
  if (dt == DType::String) {
    Tensor t(dt, shape);
    const int64_t have = p.string_val_size();
    for (int64_t i = 0; i < n && have > 0; ++i) t.strings()[i] = p.string_val(std::min(i, have - 1));
    return t;
  }
  if (!p.tensor_content().empty()) {
    Tensor t(dt, shape);
    std::memcpy(t.raw(), p.tensor_content().data(), t.byte_size());
    if (dt == DType::Bool)  // normalize to 0/1 so that bool reads are defined
      for (int64_t i = 0; i < n; ++i) t.raw()[i] = t.raw()[i] != 0;
    return t;
  }

  auto check_count = [&](int count) {
    if (count > n)
      fail("{}: {} values for shape {} ({} elements)", what, count, shape_str(shape), n);
  };
  Tensor t(dt, shape);
  switch (dt) {
    case DType::Float: check_count(p.float_val_size()); fill(t.data<float>(), n, p.float_val()); break;
    case DType::Double: check_count(p.double_val_size()); fill(t.data<double>(), n, p.double_val()); break;
    case DType::Int32: check_count(p.int_val_size()); fill(t.data<int32_t>(), n, p.int_val()); break;
    case DType::Int16: check_count(p.int_val_size()); fill(t.data<int16_t>(), n, p.int_val()); break;
    case DType::Int8: check_count(p.int_val_size()); fill(t.data<int8_t>(), n, p.int_val()); break;
    case DType::UInt8: check_count(p.int_val_size()); fill(t.data<uint8_t>(), n, p.int_val()); break;
    case DType::UInt16: check_count(p.int_val_size()); fill(t.data<uint16_t>(), n, p.int_val()); break;
    case DType::Int64: check_count(p.int64_val_size()); fill(t.data<int64_t>(), n, p.int64_val()); break;
    case DType::UInt32: check_count(p.uint32_val_size()); fill(t.data<uint32_t>(), n, p.uint32_val()); break;
    case DType::UInt64: check_count(p.uint64_val_size()); fill(t.data<uint64_t>(), n, p.uint64_val()); break;
    case DType::Bool: {
      check_count(p.bool_val_size());
      const int64_t have = p.bool_val_size();
      for (int64_t i = 0; i < n; ++i) t.raw()[i] = have > 0 && p.bool_val(std::min(i, have - 1));
      break;
    }
    case DType::Half:
    case DType::BFloat16: {
      // half_val carries the 16-bit patterns (also for bfloat16); kept as raw bits.
      check_count(p.half_val_size());
      const int64_t have = p.half_val_size();
      auto* out = reinterpret_cast<uint16_t*>(t.raw());
      for (int64_t i = 0; i < n; ++i)
        out[i] = have == 0 ? 0 : static_cast<uint16_t>(p.half_val(std::min(i, have - 1)));
      break;
    }
    default: fail("{}: constant tensors of dtype {} are not supported", what, dtype_name(dt));
  }
  return t;
}

}  // namespace tfaot::frontend
