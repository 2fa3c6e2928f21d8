#include "support/tensor.h"

#include <fmt/ranges.h>

namespace tfaot {

int64_t num_elements(const Shape& shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0) fail("shape {} is not fully known", shape_str(shape));
    if (d != 0 && n > INT64_MAX / d) fail("shape {} has too many elements", shape_str(shape));
    n *= d;
  }
  return n;
}

std::string shape_str(const Shape& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ",";
    s += shape[i] < 0 ? "?" : std::to_string(shape[i]);
  }
  return s + "]";
}

Tensor::Tensor(DType dtype, Shape shape) : dtype_(dtype), shape_(std::move(shape)) {
  num_elements_ = tfaot::num_elements(shape_);
  if (dtype_ == DType::String) {
    strings_.resize(static_cast<size_t>(num_elements_));
    return;
  }
  size_t es = dtype_size(dtype_);
  if (es == 0) fail("cannot hold a tensor of dtype {}", dtype_name(dtype_));
  if (static_cast<uint64_t>(num_elements_) > SIZE_MAX / es)
    fail("tensor of shape {} is too large", shape_str(shape_));
  bytes_.assign(static_cast<size_t>(num_elements_) * es, 0);
}

double Tensor::get_double(int64_t i) const {
  return dispatch_dtype(dtype_, [&](auto tag) -> double {
    using T = typename decltype(tag)::type;
    return static_cast<double>(data<T>()[i]);
  });
}

int64_t Tensor::get_int(int64_t i) const {
  return dispatch_dtype(dtype_, [&](auto tag) -> int64_t {
    using T = typename decltype(tag)::type;
    return static_cast<int64_t>(data<T>()[i]);
  });
}

void Tensor::set_double(int64_t i, double v) {
  dispatch_dtype(dtype_, [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_same_v<T, bool>) {
      data<T>()[i] = v != 0.0;
    } else {
      data<T>()[i] = static_cast<T>(v);
    }
  });
}

std::vector<int64_t> Tensor::to_int_vector() const {
  std::vector<int64_t> v(static_cast<size_t>(num_elements_));
  for (int64_t i = 0; i < num_elements_; ++i) v[i] = get_int(i);
  return v;
}

Tensor Tensor::reshaped(Shape shape) const {
  if (tfaot::num_elements(shape) != num_elements_)
    fail("cannot reshape tensor of shape {} to {}", shape_str(shape_), shape_str(shape));
  Tensor t = *this;
  t.shape_ = std::move(shape);
  return t;
}

bool Tensor::operator==(const Tensor& o) const {
  return dtype_ == o.dtype_ && shape_ == o.shape_ && bytes_ == o.bytes_ && strings_ == o.strings_;
}

}  // namespace tfaot
