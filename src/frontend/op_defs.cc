#include "frontend/op_defs.h"

#include <sstream>

#include "support/error.h"

namespace tfaot::frontend {

namespace {

// Output args of common ops (from tensorflow/core/ops/*.cc). Syntax per op:
//   Op: arg[, arg...]   where arg is  name  (one tensor),  name*Attr  (number_attr: Attr
//   tensors) or  name*[Attr]  (type_list_attr: one tensor per type in Attr).
// Ops with no outputs are listed with an empty arg list.
constexpr const char* kBuiltinTable = R"(
Abs: y
Add: z
AddN: sum
AddV2: z
ArgMax: output
ArgMin: output
Assert:
AssignVariableOp:
AvgPool: output
BatchMatMul: output
BatchMatMulV2: output
BatchMatMulV3: output
BiasAdd: output
Bincount: bins
BroadcastTo: output
Bucketize: output
Case: output*[Tout]
Cast: y
Ceil: y
ConcatV2: output
Const: output
Conv1D: output
Conv2D: output
Conv3D: output
Cos: y
Cumsum: out
DepthwiseConv2dNative: output
Einsum: output
Elu: activations
Enter: output
Equal: z
Erf: y
Exit: output
Exp: y
ExpandDims: output
FakeQuantWithMinMaxArgs: outputs
FakeQuantWithMinMaxVars: outputs
Fill: output
Floor: y
FloorDiv: z
FloorMod: z
FusedBatchNorm: y, batch_mean, batch_variance, reserve_space_1, reserve_space_2
FusedBatchNormV2: y, batch_mean, batch_variance, reserve_space_1, reserve_space_2
FusedBatchNormV3: y, batch_mean, batch_variance, reserve_space_1, reserve_space_2, reserve_space_3
Gather: output
GatherNd: output
GatherV2: output
Greater: z
GreaterEqual: z
HashTableV2: table_handle
Identity: output
IdentityN: output*[T]
If: output*[Tout]
InitializeTableV2:
IsNan: y
LeakyRelu: activations
Less: z
LessEqual: z
Log: y
Log1p: y
LogSoftmax: logsoftmax
LogicalAnd: z
LogicalNot: y
LogicalOr: z
LookupTableFindV2: values
LookupTableImportV2:
LoopCond: output
MatMul: product
Max: output
MaxPool: output
Maximum: z
Mean: output
Merge: output, value_index
Min: output
Minimum: z
Mul: z
MutableHashTableV2: table_handle
Neg: y
NextIteration: output
NoOp:
NotEqual: z
OneHot: output
Pack: output
Pad: output
PadV2: output
PartitionedCall: output*[Tout]
Placeholder: output
PlaceholderWithDefault: output
Pow: z
Prod: output
RaggedTensorToTensor: result
RandomUniform: output
Range: output
ReadVariableOp: value
RealDiv: z
Reciprocal: y
Relu: activations
Relu6: activations
Reshape: output
ResizeBilinear: resized_images
ResizeNearestNeighbor: resized_images
ResourceGather: output
RestoreV2: tensors*[dtypes]
ReverseV2: output
Round: y
Rsqrt: y
SaveV2:
Select: output
SelectV2: output
Selu: activations
Shape: output
Sigmoid: y
Sign: y
Sin: y
Size: output
Slice: output
Softmax: softmax
Softplus: activations
SparseToDense: dense
Split: output*num_split
SplitV: output*num_split
Sqrt: y
Square: y
SquaredDifference: z
Squeeze: output
StatefulPartitionedCall: output*[Tout]
StatelessCase: output*[Tout]
StatelessIf: output*[Tout]
StatelessWhile: output*[T]
StaticRegexReplace: output
StopGradient: output
StridedSlice: output
StringJoin: output
StringLower: output
StringSplitV2: indices, values, shape
Sub: z
Sum: output
Switch: output_false, output_true
Tanh: y
TensorArrayGatherV3: value
TensorArrayReadV3: value
TensorArrayScatterV3: flow_out
TensorArraySizeV3: size
TensorArrayV3: handle, flow
TensorArrayWriteV3: flow_out
TensorListFromTensor: output_handle
TensorListGetItem: item
TensorListReserve: handle
TensorListSetItem: output_handle
TensorListStack: tensor
Tile: output
TopKV2: values, indices
Transpose: y
Unique: y, idx
Unpack: output*num
VarHandleOp: resource
VariableV2: ref
Where: index
While: output*[T]
ZerosLike: y
)";

tensorflow::OpList parse_table() {
  tensorflow::OpList list;
  std::istringstream in(kBuiltinTable);
  std::string line;
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    auto* op = list.add_op();
    op->set_name(line.substr(0, colon));
    std::istringstream args(line.substr(colon + 1));
    std::string arg;
    while (std::getline(args, arg, ',')) {
      auto b = arg.find_first_not_of(' ');
      if (b == std::string::npos) continue;
      arg = arg.substr(b);
      auto* a = op->add_output_arg();
      auto star = arg.find('*');
      a->set_name(arg.substr(0, star));
      if (star == std::string::npos) continue;
      std::string attr = arg.substr(star + 1);
      if (attr.front() == '[')
        a->set_type_list_attr(attr.substr(1, attr.size() - 2));
      else
        a->set_number_attr(attr);
    }
  }
  return list;
}

}  // namespace

const tensorflow::OpList& builtin_op_list() {
  static const tensorflow::OpList list = parse_table();
  return list;
}

OpDefs::OpDefs(const tensorflow::OpList* stripped, const tensorflow::FunctionDefLibrary* library) {
  // Priority: the model's own op list, then library functions, then the built-in table.
  for (const auto& op : builtin_op_list().op()) by_name_[op.name()] = &op;
  if (library)
    for (const auto& f : library->function()) by_name_[f.signature().name()] = &f.signature();
  if (stripped)
    for (const auto& op : stripped->op()) by_name_[op.name()] = &op;
}

const tensorflow::OpDef* OpDefs::find(const std::string& op) const {
  auto it = by_name_.find(op);
  return it == by_name_.end() ? nullptr : it->second;
}

std::optional<int> OpDefs::arg_length(const tensorflow::NodeDef& node,
                                      const tensorflow::OpDef::ArgDef& arg) {
  if (!arg.number_attr().empty()) {
    auto it = node.attr().find(arg.number_attr());
    if (it == node.attr().end()) return std::nullopt;
    if (it->second.i() < 0 || it->second.i() > (1 << 24))
      fail("node '{}' ({}): attribute '{}' = {} is not a valid count", node.name(), node.op(),
           arg.number_attr(), it->second.i());
    return static_cast<int>(it->second.i());
  }
  if (!arg.type_list_attr().empty()) {
    auto it = node.attr().find(arg.type_list_attr());
    if (it == node.attr().end()) return std::nullopt;
    return it->second.list().type_size();
  }
  return 1;
}

std::optional<int> OpDefs::flat_index(const tensorflow::NodeDef& node, const std::string& arg,
                                      int index) const {
  const auto* def = find(node.op());
  if (!def) return std::nullopt;
  int offset = 0;
  for (const auto& a : def->output_arg()) {
    auto len = arg_length(node, a);
    if (a.name() == arg) {
      if (index < 0 || (len && index >= *len))
        fail("node '{}' ({}): output {}:{} is out of range", node.name(), node.op(), arg, index);
      return offset + index;
    }
    if (!len) return std::nullopt;
    offset += *len;
  }
  fail("node '{}' ({}) has no output arg '{}'", node.name(), node.op(), arg);
}

std::optional<int> OpDefs::num_outputs(const tensorflow::NodeDef& node) const {
  const auto* def = find(node.op());
  if (!def) return std::nullopt;
  int n = 0;
  for (const auto& a : def->output_arg()) {
    auto len = arg_length(node, a);
    if (!len) return std::nullopt;
    n += *len;
  }
  return n;
}

}  // namespace tfaot::frontend
