// TensorProto / TensorShapeProto -> tfaot types, validated before anything is allocated.
#pragma once

#include <string>

#include "ir/graph.h"
#include "tensor.pb.h"
#include "tensor_shape.pb.h"

namespace tfaot::frontend {

struct TensorHeader {
  DType dtype;
  Shape shape;
  int64_t num_elements;
};
// Validates dtype, shape, the tensor-bytes limit and tensor_content length without allocating.
TensorHeader check_tensor_proto(const tensorflow::TensorProto& proto, const std::string& what);

// Decodes a TensorProto: tensor_content (raw little-endian) or the typed *_val field, where
// fewer values than elements repeat the last value (TensorFlow's rule) and none means zeros.
// `what` names the node/attribute in error messages.
Tensor tensor_from_proto(const tensorflow::TensorProto& proto, const std::string& what);

// A declared shape: -1 dims allowed; unknown_rank gives rank_known = false.
ir::TensorType type_from_proto(int tf_dtype, const tensorflow::TensorShapeProto& shape,
                               const std::string& what);

// A fully known shape (no -1, no unknown rank); throws naming `what` otherwise.
Shape static_shape_from_proto(const tensorflow::TensorShapeProto& shape, const std::string& what);

}  // namespace tfaot::frontend
