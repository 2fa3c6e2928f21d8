// Variable resolution: finds the checkpoint key of every variable node of the main graph and
// replaces variable reads in the flat graph by Const nodes holding the checkpoint values.
#pragma once

#include <map>
#include <string>

#include "frontend/checkpoint.h"
#include "frontend/op_defs.h"
#include "ir/graph.h"
#include "meta_graph.pb.h"

namespace tfaot::frontend {

// Main-graph variable node name (VarHandleOp / VariableV2) -> checkpoint key, from (1) the
// SavedObjectGraph: calls' captured inputs (concrete_functions[f].bound_inputs) -> object node
// -> the checkpoint's TrackableObjectGraph attribute VARIABLE_VALUE; (2) the saver's restore
// graph: RestoreV2 tensor_names -> Assign/AssignVariableOp on the variable; (3) a SavedVariable
// whose name equals the VarHandleOp's shared_name; (4) TF1 variables: the node name.
std::map<std::string, std::string> variable_checkpoint_keys(const tensorflow::MetaGraphDef& meta,
                                                            const OpDefs& ops,
                                                            const CheckpointReader* ckpt,
                                                            const std::string& source);

// Replaces ReadVariableOp / ResourceGather / Identity-of-VariableV2 / VariableV2 in `g` by
// constants (GatherV2 on a constant for ResourceGather), resource inputs of While/If/Case by
// constants with their functions rewritten accordingly, records graph.variables, and removes
// the variable nodes. Throws Error naming the variable on a missing key or a dtype/shape
// mismatch with the checkpoint.
void resolve_variables(ir::Graph& g, const std::map<std::string, std::string>& keys,
                       const CheckpointReader* ckpt, const std::string& source);

}  // namespace tfaot::frontend
