// One line per op file: X(function returning that file's ops). Each function is defined in
// its own file in src/ops/ and returns the Op objects it implements (usually one; families
// such as unary elementwise math return several).
#pragma once

#include <vector>

#include "ops/op.h"

#define TFAOT_OP_FILES(X) \
  X(placeholder_ops) \
  X(const_ops) \
  X(binary_elementwise_ops) \
  X(unary_math_ops) \
  X(matmul_ops) \
  X(bias_softmax_ops) \
  X(cast_ops) \
  X(reshape_ops) \
  X(concat_ops) \
  X(strided_slice_ops) \
  X(array_ops) \
  X(reduce_ops) \
  X(gather_ops) \
  X(misc_ops) \
  X(random_ops) \
  X(identity_ops) \
  X(conv2d_ops) \
  X(conv2d_backprop_input_ops) \
  X(space_to_batch_ops) \
  X(pooling_ops) \
  X(fused_batch_norm_ops) \
  X(batch_matmul_ops) \
  X(resize_ops) \
  X(fake_quant_ops) \
  X(einsum_ops) \
  X(fused_dense_ops) \
  X(fused_conv2d_ops) \
  X(tensor_list_ops) \
  X(while_ops) \
  X(conditional_ops) \
  X(lookup_table_ops) \
  X(text_vectorize_ops) \
  X(rejected_ops)

namespace tfaot::ops {
#define TFAOT_DECLARE(fn) std::vector<const Op*> fn();
TFAOT_OP_FILES(TFAOT_DECLARE)
#undef TFAOT_DECLARE
}  // namespace tfaot::ops
