// TensorList ops (TF2 TensorArrays) with static element shapes, represented densely: a list of
// n elements of shape E and dtype D is a tensor D[n, E...]. Keras RNNs only reserve, unstack,
// get/set items at run-time indices and stack, which map to zero fill, identity, dynamic slice
// along axis 0, dynamic update along axis 0 and identity. Lists that grow (index beyond the
// reserved size) are not supported. A reserved list whose element shape has unknown dims gets
// its shape from the loop that sets its items (see control_flow.h, kUnresolvedListAttr).
#include <cstring>

#include "ops/control_flow.h"
#include "ops/op.h"
#include "ops/op_util.h"

namespace tfaot::ops {
namespace {

// Element shape operand: -1 scalar (unknown rank) or a vector with -1 for unknown dims.
std::optional<Shape> element_shape(const ir::Node& node, int input) {
  const Tensor& t = require_const(node, input, "element_shape");
  if (t.rank() == 0) {
    if (t.get_int(0) != -1) fail("{}: element_shape scalar must be -1", node.describe());
    return std::nullopt;
  }
  if (t.rank() != 1) fail("{}: element_shape must be a vector", node.describe());
  return t.to_int_vector();
}

// Checks `actual` against a partially known element shape.
void check_element_shape(const ir::Node& node, const std::optional<Shape>& declared,
                         const Shape& actual) {
  if (!declared) return;
  bool ok = declared->size() == actual.size();
  for (size_t i = 0; ok && i < actual.size(); ++i) ok = (*declared)[i] < 0 || (*declared)[i] == actual[i];
  if (!ok)
    fail("{}: element shape {} contradicts element_shape {}", node.describe(), shape_str(actual),
         shape_str(*declared));
}

void check_element_dtype(const ir::Node& node, DType t) {
  if (node.has_attr("element_dtype") && node.attr_type("element_dtype") != t)
    fail("{}: element_dtype is {} but the list holds {}", node.describe(),
         dtype_name(node.attr_type("element_dtype")), dtype_name(t));
}

// The list operand must be dense (rank >= 1).
const ir::TensorType& list_type(const ir::Node& node, int input) {
  const ir::TensorType& t = node.input_type(input);
  if (t.shape.empty())
    fail("{}: operand {} is not a TensorList with a static element shape", node.describe(), input);
  check_element_dtype(node, t.dtype);
  return t;
}

size_t bytes_of(const ir::TensorType& t) {
  return static_cast<size_t>(t.num_elements()) * dtype_size(t.dtype);
}

void emit_copy_all(const ir::Node& node, EmitContext& ctx) {
  size_t bytes = bytes_of(node.output_type(0));
  if (bytes == 0) return;
  std::string src = ctx.input(0), dst = ctx.output(0);
  ctx.code() << "if (static_cast<const void*>(" << dst << ") != static_cast<const void*>(" << src
             << ")) std::memcpy(" << dst << ", " << src << ", " << bytes << ");\n";
}

// Reads the run-time index (int32 scalar) clamped into [0, n) so that generated code stays
// in bounds (TF fails the run on an out-of-range index; the reference does too).
std::string emit_index(const ir::Node& node, EmitContext& ctx, int64_t n) {
  std::string idx = ctx.fresh("idx");
  ctx.code() << "std::int64_t " << idx << " = static_cast<std::int64_t>(" << ctx.input(1)
             << "[0]);\n"
             << "if (" << idx << " < 0) " << idx << " = 0;\n"
             << "if (" << idx << " > " << n - 1 << ") " << idx << " = " << n - 1 << ";\n";
  (void)node;
  return idx;
}

int64_t checked_index(const ir::Node& node, const Tensor& index, int64_t n) {
  int64_t i = index.get_int(0);
  if (i < 0 || i >= n) fail("{}: index {} is outside the list of {} elements", node.describe(), i, n);
  return i;
}

class ReserveOp final : public Op {
 public:
  uint64_t flops(const ir::Node&) const override { return 0; }  // data movement
  std::string_view name() const override { return "TensorListReserve"; }
  void infer(ir::Node& node) const override {
    check_num_inputs(node, 2);
    DType dt = node.attr_type("element_dtype");
    int64_t n = require_const(node, 1, "num_elements").get_int(0);
    if (n < 0) fail("{}: num_elements must be known and >= 0, got {}", node.describe(), n);
    Shape elem;
    if (node.has_attr(kListElementShapeAttr)) {
      elem = node.attr_ints(kListElementShapeAttr);
      check_element_shape(node, element_shape(node, 0), elem);
      node.attrs.erase(kUnresolvedListAttr);
    } else {
      auto declared = element_shape(node, 0);
      bool known = declared.has_value();
      if (declared)
        for (int64_t d : *declared) known = known && d >= 0;
      if (known) {
        elem = *declared;
      } else {
        // Placeholder type (unknown dims as 0) until the filling loop resolves it.
        node.attrs[kUnresolvedListAttr].set_b(true);
        if (declared)
          for (int64_t d : *declared) elem.push_back(std::max<int64_t>(d, 0));
      }
    }
    Shape s{n};
    s.insert(s.end(), elem.begin(), elem.end());
    node.outputs = {ir::TensorType{dt, s, true}};
  }
  std::vector<Tensor> evaluate(const ir::Node& node, std::span<const Tensor* const>) const override {
    check_resolved(node);
    const auto& t = node.output_type(0);
    return {Tensor(t.dtype, t.shape)};
  }
  void emit(const ir::Node& node, EmitContext& ctx) const override {
    check_resolved(node);
    size_t bytes = bytes_of(node.output_type(0));
    if (bytes) ctx.code() << "std::memset(" << ctx.output(0) << ", 0, " << bytes << ");\n";
  }
  // Never folded: its type may still be a placeholder (kUnresolvedListAttr).
  bool foldable() const override { return false; }

 private:
  static void check_resolved(const ir::Node& node) {
    if (node.has_attr(kUnresolvedListAttr))
      fail("{}: the TensorList's element shape is not static and no loop sets its items; "
           "cannot derive it", node.describe());
  }
};

class FromTensorOp final : public Op {
 public:
  uint64_t flops(const ir::Node&) const override { return 0; }  // data movement
  std::string_view name() const override { return "TensorListFromTensor"; }
  void infer(ir::Node& node) const override {
    check_num_inputs(node, 2);
    const ir::TensorType& t = node.input_type(0);
    if (t.shape.empty()) fail("{}: tensor must have rank >= 1", node.describe());
    check_element_shape(node, element_shape(node, 1), Shape(t.shape.begin() + 1, t.shape.end()));
    check_element_dtype(node, t.dtype);
    node.outputs = {t};
  }
  std::vector<Tensor> evaluate(const ir::Node&, std::span<const Tensor* const> in) const override {
    return {*in[0]};
  }
  void emit(const ir::Node& node, EmitContext& ctx) const override { emit_copy_all(node, ctx); }
  int inplace_input(const ir::Node&) const override { return 0; }
};

class StackOp final : public Op {
 public:
  uint64_t flops(const ir::Node&) const override { return 0; }  // data movement
  std::string_view name() const override { return "TensorListStack"; }
  void infer(ir::Node& node) const override {
    check_num_inputs(node, 2);
    const ir::TensorType& t = list_type(node, 0);
    int64_t n = node.attr_int("num_elements", -1);
    if (n >= 0 && n != t.shape[0])
      fail("{}: num_elements is {} but the list has {}", node.describe(), n, t.shape[0]);
    check_element_shape(node, element_shape(node, 1), Shape(t.shape.begin() + 1, t.shape.end()));
    node.outputs = {t};
  }
  std::vector<Tensor> evaluate(const ir::Node&, std::span<const Tensor* const> in) const override {
    return {*in[0]};
  }
  void emit(const ir::Node& node, EmitContext& ctx) const override { emit_copy_all(node, ctx); }
  int inplace_input(const ir::Node&) const override { return 0; }
};

// TensorListGetItem(list, index, element_shape): a dynamic slice along axis 0.
class GetItemOp final : public Op {
 public:
  uint64_t flops(const ir::Node&) const override { return 0; }  // data movement
  std::string_view name() const override { return "TensorListGetItem"; }
  void infer(ir::Node& node) const override {
    check_num_inputs(node, 3);
    const ir::TensorType& t = list_type(node, 0);
    check_dtype(node, node.input_type(1).dtype, {DType::Int32}, "index");
    if (node.input_type(1).num_elements() != 1) fail("{}: index must be a scalar", node.describe());
    Shape elem(t.shape.begin() + 1, t.shape.end());
    check_element_shape(node, element_shape(node, 2), elem);
    if (t.shape[0] == 0) fail("{}: reads from an empty list", node.describe());
    node.outputs = {ir::TensorType{t.dtype, elem, true}};
  }
  std::vector<Tensor> evaluate(const ir::Node& node, std::span<const Tensor* const> in) const override {
    const Tensor& l = *in[0];
    const auto& ot = node.output_type(0);
    Tensor out(ot.dtype, ot.shape);
    int64_t i = checked_index(node, *in[1], l.shape()[0]);
    std::memcpy(out.raw(), l.raw() + i * out.byte_size(), out.byte_size());
    return {out};
  }
  void emit(const ir::Node& node, EmitContext& ctx) const override {
    const auto& ot = node.output_type(0);
    int64_t count = ot.num_elements();
    std::string idx = emit_index(node, ctx, node.input_type(0).shape[0]);
    if (count)
      ctx.code() << "std::memcpy(" << ctx.output(0) << ", " << ctx.input(0) << " + " << idx
                 << " * " << count << ", " << bytes_of(ot) << ");\n";
  }
};

// TensorListSetItem(list, index, item): a dynamic update along axis 0.
class SetItemOp final : public Op {
 public:
  uint64_t flops(const ir::Node&) const override { return 0; }  // data movement
  std::string_view name() const override { return "TensorListSetItem"; }
  void infer(ir::Node& node) const override {
    check_num_inputs(node, 3);
    const ir::TensorType& t = list_type(node, 0);
    check_dtype(node, node.input_type(1).dtype, {DType::Int32}, "index");
    if (node.input_type(1).num_elements() != 1) fail("{}: index must be a scalar", node.describe());
    const ir::TensorType& item = node.input_type(2);
    Shape elem(t.shape.begin() + 1, t.shape.end());
    if (item.dtype != t.dtype || (item.shape != elem && !unresolved(node)))
      fail("{}: item {} does not match the list's elements {}{}", node.describe(), item.str(),
           dtype_name(t.dtype), shape_str(elem));
    if (t.shape[0] == 0) fail("{}: writes to an empty list (growing lists are not supported)",
                              node.describe());
    node.outputs = {t};
  }
  std::vector<Tensor> evaluate(const ir::Node& node, std::span<const Tensor* const> in) const override {
    Tensor out = *in[0];
    const Tensor& item = *in[2];
    int64_t i = checked_index(node, *in[1], out.shape()[0]);
    std::memcpy(out.raw() + i * item.byte_size(), item.raw(), item.byte_size());
    return {out};
  }
  void emit(const ir::Node& node, EmitContext& ctx) const override {
    emit_copy_all(node, ctx);
    const auto& it = node.input_type(2);
    std::string idx = emit_index(node, ctx, node.input_type(0).shape[0]);
    if (it.num_elements())
      ctx.code() << "std::memcpy(" << ctx.output(0) << " + " << idx << " * " << it.num_elements()
                 << ", " << ctx.input(2) << ", " << bytes_of(it) << ");\n";
  }
  int inplace_input(const ir::Node&) const override { return 0; }

 private:
  // While a loop derives a list's element shape its list operand is a placeholder type.
  static bool unresolved(const ir::Node& node) {
    const ir::Node* n = node.inputs[0].node;
    while (n->op == "Identity" && !n->inputs.empty()) n = n->inputs[0].node;
    return n->has_attr(kUnresolvedListAttr);
  }
};

class LengthOp final : public Op {
 public:
  uint64_t flops(const ir::Node&) const override { return 0; }  // data movement
  std::string_view name() const override { return "TensorListLength"; }
  void infer(ir::Node& node) const override {
    check_num_inputs(node, 1);
    list_type(node, 0);
    node.outputs = {ir::TensorType{DType::Int32, {}, true}};
  }
  std::vector<Tensor> evaluate(const ir::Node&, std::span<const Tensor* const> in) const override {
    return {Tensor::scalar<int32_t>(static_cast<int32_t>(in[0]->shape()[0]))};
  }
  void emit(const ir::Node& node, EmitContext& ctx) const override {
    ctx.code() << ctx.output(0) << "[0] = " << node.input_type(0).shape[0] << ";\n";
  }
};

}  // namespace

std::vector<const Op*> tensor_list_ops() {
  static const ReserveOp reserve;
  static const FromTensorOp from_tensor;
  static const StackOp stack;
  static const GetItemOp get_item;
  static const SetItemOp set_item;
  static const LengthOp length;
  return {&reserve, &from_tensor, &stack, &get_item, &set_item, &length};
}

}  // namespace tfaot::ops
