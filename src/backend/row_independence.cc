// Per-op rules of batch separability (batch_separability.h): which ops compute output row r
// (axis 0) from row r of their batched inputs only. An op missing here is conservatively
// "not row-independent", so a model using it on batched values gets no dynamic-batch entry.
#include <algorithm>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "backend/batch_separability.h"

namespace tfaot::backend {

namespace {

using Batched = std::function<bool(const ir::Value&)>;

// Ops whose output element depends on the input elements at the same (broadcast) position.
const std::set<std::string_view>& elementwise_ops() {
  static const std::set<std::string_view> ops = {
      // binary
      "Add", "AddV2", "Sub", "Mul", "RealDiv", "Div", "TruncateDiv", "FloorDiv", "DivNoNan", "TruncateMod", "Mod",
      "Atan2", "FloorMod", "Maximum", "Minimum", "SquaredDifference", "Pow", "Greater", "GreaterEqual", "Less",
      "LessEqual", "Equal", "NotEqual", "LogicalAnd", "LogicalOr",
      // unary
      "Tanh", "Rsqrt", "Sqrt", "Sigmoid", "Exp", "Expm1", "Log", "Log1p", "Floor", "Ceil", "Round", "Sin", "Cos",
      "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "Rint", "Erf", "Reciprocal", "Inv",
      "Softplus", "Softsign", "Elu", "Selu", "Relu", "Relu6", "Neg", "Abs", "Square", "Sign", "IsNan", "IsInf",
      "IsFinite", "LogicalNot", "LeakyRelu", "Cast", "Bucketize", "ClipByValue", "ZerosLike", "OnesLike",
      "FakeQuantWithMinMaxArgs", "FakeQuantWithMinMaxVars", "FakeQuantWithMinMaxVarsPerChannel",
      // n-ary, bias, pass-through, broadcasting
      "AddN", "SelectV2", "BiasAdd", "BiasAddV1", "Identity", "Snapshot", "StopGradient", "PreventGradient",
      "CheckNumerics", "EnsureShape", "BroadcastTo", "Fill"};
  return ops;
}

// Batch-first image / feature-map ops (NHWC and NCHW both lead with the batch): the data input
// is batched, every other input (filters, statistics, sizes) is not.
int image_data_input(std::string_view op) {
  static const std::set<std::string_view> ops = {
      "Conv2D", "DepthwiseConv2dNative", "MaxPool", "MaxPoolV2", "AvgPool", "FusedBatchNorm", "FusedBatchNormV2",
      "FusedBatchNormV3", "ResizeBilinear", "ResizeNearestNeighbor", "_FusedDense", "_FusedConv2D",
      "_FusedDepthwiseConv2dNative", "Softmax", "LogSoftmax",
      "TopKV2", "MatMul"};
  if (op == "Conv2DBackpropInput") return 2;
  return ops.count(op) ? 0 : -1;
}

int64_t rank_of(const ir::Node& n, int i) { return static_cast<int64_t>(n.input_type(i).shape.size()); }

// Constant integer operand, normalized axes; nullopt-like empty + flag when not constant.
bool const_ints(const ir::Node& n, int i, std::vector<int64_t>& out) {
  if (i < 0 || static_cast<size_t>(i) >= n.inputs.size()) return false;
  const Tensor* t = n.const_input(i);
  if (!t) return false;
  out = t->to_int_vector();
  return true;
}

bool touches_axis0(const std::vector<int64_t>& axes, int64_t rank) {
  return std::any_of(axes.begin(), axes.end(), [&](int64_t a) { return a == 0 || a + rank == 0; });
}

// Elementwise with broadcasting: a batched input must have the output's rank, so its axis 0 is
// the output's axis 0 (a lower-rank batched input would broadcast along an inner axis).
std::string check_broadcast(const ir::Node& n, const Batched& batched) {
  const int64_t out_rank = static_cast<int64_t>(n.output_type(0).shape.size());
  for (size_t i = 0; i < n.inputs.size(); ++i) {
    if (!batched(n.inputs[i]) || is_shape_operand(n, static_cast<int>(i))) continue;
    if (rank_of(n, static_cast<int>(i)) != out_rank)
      return fmt::format("batched input {} of rank {} broadcasts along an inner axis of the rank-{} result", i,
                         rank_of(n, static_cast<int>(i)), out_rank);
  }
  return "";
}

std::string only_batched(const ir::Node& n, const Batched& batched, int data) {
  for (size_t i = 0; i < n.inputs.size(); ++i)
    if (static_cast<int>(i) != data && batched(n.inputs[i]) && !is_shape_operand(n, static_cast<int>(i)))
      return fmt::format("input {} (not the data input) depends on the batch", i);
  if (data >= 0 && batched(n.inputs[data]) && rank_of(n, data) < 2)
    return fmt::format("its batched input has rank {}: the op works along axis 0", rank_of(n, data));
  return "";
}

// Ops with an axis operand (or attribute) that must not be the batch axis.
std::string check_axis_ops(const ir::Node& n) {
  const std::string& op = n.op;
  std::vector<int64_t> axes;
  auto need_axes = [&](int input) -> std::string {
    return const_ints(n, input, axes) ? "" : fmt::format("its axis operand (input {}) is not a constant", input);
  };
  auto axis_rule = [&](int64_t rank) -> std::string {
    return touches_axis0(axes, rank) ? "it works along the batch axis 0" : "";
  };
  static const std::set<std::string_view> reductions = {"Sum", "Mean", "Max", "Min", "Prod", "All", "Any",
                                                          "ArgMax", "ArgMin", "Cumsum", "ReverseV2"};
  if (reductions.count(op)) {
    if (auto e = need_axes(1); !e.empty()) return e;
    return axis_rule(rank_of(n, 0));
  }
  if (op == "ConcatV2") {
    const int last = static_cast<int>(n.inputs.size()) - 1;
    if (auto e = need_axes(last); !e.empty()) return e;
    return axis_rule(rank_of(n, 0));
  }
  if (op == "Split" || op == "SplitV") {
    const int axis_input = op == "Split" ? 0 : 2, data = op == "Split" ? 1 : 0;
    if (auto e = need_axes(axis_input); !e.empty()) return e;
    return axis_rule(rank_of(n, data));
  }
  if (op == "Pack" || op == "Unpack" || op == "ExpandDims") {
    const int64_t rank = rank_of(n, 0) + (op == "Unpack" ? 0 : 1);
    if (op == "ExpandDims") {
      if (auto e = need_axes(1); !e.empty()) return e;
    } else {
      axes = {n.attr_int("axis", 0)};
    }
    return axis_rule(rank);
  }
  if (op == "Squeeze") {
    axes = n.attr_ints("squeeze_dims", std::vector<int64_t>{});
    if (axes.empty()) axes = n.attr_ints("axis", std::vector<int64_t>{});
    // No dims given: every size-1 dim goes; a batch of 1 row then loses axis 0, which keeps
    // the bytes (and so the row layout) unchanged.
    return axis_rule(rank_of(n, 0));
  }
  if (op == "Transpose") {
    if (auto e = need_axes(1); !e.empty()) return e;
    return !axes.empty() && axes[0] == 0 ? "" : "its permutation moves the batch axis 0";
  }
  if (op == "Tile") {
    if (auto e = need_axes(1); !e.empty()) return e;
    return !axes.empty() && axes[0] == 1 ? "" : "it repeats along the batch axis 0";
  }
  if (op == "Pad" || op == "PadV2" || op == "MirrorPad") {
    if (auto e = need_axes(1); !e.empty()) return e;
    return axes.size() >= 2 && axes[0] == 0 && axes[1] == 0 ? "" : "it pads the batch axis 0";
  }
  if (op == "Slice") {
    if (auto e = need_axes(1); !e.empty()) return e;
    // The output keeps all rows (checked on the shapes), so from row 0 it takes every row.
    return !axes.empty() && axes[0] == 0 ? "" : "it slices the batch axis 0";
  }
  if (op == "StridedSlice") {
    if (n.attr_int("ellipsis_mask", 0) & 1) return "";
    if ((n.attr_int("new_axis_mask", 0) & 1) || (n.attr_int("shrink_axis_mask", 0) & 1))
      return "it inserts or removes the batch axis 0";
    if (auto e = need_axes(3); !e.empty()) return e;
    // Stride 1 and all rows kept (checked on the shapes): the identity on axis 0.
    return !axes.empty() && axes[0] == 1 ? "" : "it strides over the batch axis 0";
  }
  return "-";  // not an axis op
}

// Ops selecting rows of a non-batched table with batched indices (embedding lookups).
std::string check_gather(const ir::Node& n, const Batched& batched) {
  if (n.op != "GatherV2" && n.op != "Gather" && n.op != "GatherNd" && n.op != "OneHot") return "-";
  if (n.op == "OneHot") {
    const int64_t axis = n.attr_int("axis", -1);
    if (axis == 0) return "it puts the one-hot axis first";
    return only_batched(n, batched, 0) == "" ? "" : "only its indices may depend on the batch";
  }
  if (batched(n.inputs[0])) {
    if (n.op != "GatherV2") return "it indexes into the batch axis 0 of its batched params";
    std::vector<int64_t> axis;
    if (!const_ints(n, 2, axis) || axis.empty()) return "its axis is not a constant";
    if (touches_axis0(axis, rank_of(n, 0))) return "it gathers along the batch axis 0";
    return batched(n.inputs[1]) ? "both params and indices depend on the batch" : "";
  }
  // Indices batched: output leads with the indices' dims at axis 0 (batch_dims = 0).
  if (n.op == "GatherV2") {
    std::vector<int64_t> axis;
    if (!const_ints(n, 2, axis) || axis.empty() || !(axis[0] == 0 || axis[0] + rank_of(n, 0) == 0))
      return "it gathers along an inner axis with batched indices";
  }
  return "";
}

std::string check_batch_matmul(const ir::Node& n, const Batched& batched) {
  const bool bx = batched(n.inputs[0]), by = batched(n.inputs[1]);
  const int64_t rx = rank_of(n, 0), ry = rank_of(n, 1), ro = static_cast<int64_t>(n.output_type(0).shape.size());
  if (bx && rx == 2) {
    if (by) return "both operands are batched matrices";
    return n.attr_bool("adj_x", false) ? "it contracts over the batch axis 0 (adj_x)" : "";
  }
  if ((bx && rx != ro) || (by && ry != ro)) return "a batched operand broadcasts along an inner axis";
  return "";
}

}  // namespace

bool is_shape_operand(const ir::Node& n, int i) {
  const std::string& op = n.op;
  return (op == "Reshape" && i == 1) || (op == "Fill" && i == 0) || (op == "BroadcastTo" && i == 1) ||
         (op == "Slice" && i == 2) || (op == "StridedSlice" && i == 2) ||
         (op == "Conv2DBackpropInput" && i == 0);
}

std::string row_independent(const ir::Node& n, const Batched& batched) {
  const std::string& op = n.op;
  if (elementwise_ops().count(op)) return check_broadcast(n, batched);
  if (op == "Select") {
    // Select (v1) with a vector condition picks whole rows: row-independent.
    if (rank_of(n, 0) == 1 && static_cast<int64_t>(n.output_type(0).shape.size()) > 1)
      return batched(n.inputs[0]) || !batched(n.inputs[1]) ? "" : "its vector condition is not batched";
    return check_broadcast(n, batched);
  }
  if (op == "Reshape") return "";  // all rows kept with the same row size: checked on the shapes
  if (op == "_TableFind" || op == "_TextVectorize") {
    // Element (_TextVectorize: output row) i comes from key/string i alone; the table is fixed.
    for (size_t i = 1; i < n.inputs.size(); ++i)
      if (batched(n.inputs[i])) return fmt::format("input {} (not the keys) depends on the batch", i);
    return "";
  }
  if (op == "FusedBatchNorm" || op == "FusedBatchNormV2" || op == "FusedBatchNormV3")
    if (n.attr_bool("is_training", true)) return "training-mode batch norm uses batch statistics";
  if (op == "MatMul" && n.attr_bool("transpose_a", false)) return "it contracts over the batch axis 0 (transpose_a)";
  if (const int data = image_data_input(op); data >= 0) return only_batched(n, batched, data);
  if (op == "BatchMatMul" || op == "BatchMatMulV2" || op == "BatchMatMulV3") return check_batch_matmul(n, batched);
  if (auto e = check_axis_ops(n); e != "-") return e;
  if (auto e = check_gather(n, batched); e != "-") return e;
  return "op " + op + " has no row-independence rule";
}

}  // namespace tfaot::backend
