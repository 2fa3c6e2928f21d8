// TF1 control-flow loops -> functional While. A TF1 while loop is a frame of nodes (named by the
// `frame_name` of its Enter nodes) forming Enter -> Merge <- NextIteration, Merge -> Switch
// (pred = LoopCond), Switch:1 -> body, Switch:0 -> Exit. This rewrite replaces every frame
// (innermost first) by one `While` node whose cond/body are new FunctionDefs added to the
// GraphDef's library, so the rest of the pipeline sees exactly what TF2 exports.
//
// Loop variables of the While, in order: one per loop Merge (its Enter's input), then the
// loop-invariant Enters (is_constant) used by cond or body, then values of enclosing frames
// used directly (without an Enter). Invariants are returned unchanged by the body. Exit i of
// loop variable i becomes output i of the While. Constants without inputs used in a loop are
// copied into the functions. Switch/Merge conditionals inside a body stay body nodes.
//
// TensorArray (V3) ops are first rewritten to TensorList ops, the list taking the place of the
// TensorArray's float "flow" scalar (so the flow's Enter/Merge/Switch/Exit/NextIteration/
// Identity carry a variant):
//   TensorArrayV3(size)                       -> TensorListReserve(element_shape, size)
//   TensorArrayScatterV3(h, range(0,n,1), v, fresh flow) -> TensorListFromTensor(v, shape)
//   TensorArrayScatterV3(h, idx, v, flow)     -> TensorListScatterIntoExistingList(flow, v, idx)
//   TensorArrayReadV3(h, i, flow)             -> TensorListGetItem(flow, i, shape)
//   TensorArrayWriteV3(h, i, v, flow)         -> TensorListSetItem(flow, i, v)
//                                                (resize_if_index_out_of_bounds = dynamic_size)
//   TensorArrayGatherV3(h, range(0,size(h,flow),1), flow) -> TensorListStack(flow, shape)
//   TensorArrayGatherV3(h, idx, flow)         -> TensorListGather(flow, idx, shape)
//   TensorArraySizeV3(h, flow)                -> TensorListLength(flow)
//   TensorArrayCloseV3(h)                     -> NoOp
// The handle must come from a TensorArrayV3 through Enter/Identity only; the handle chain is
// removed. Every other TensorArray op (Concat, Split, Grad, V1/V2 ops) is rejected naming it.
// Note: range(0,n,1) scatter into a fresh array (TensorArray.unstack) becomes FromTensor, whose
// size is n, not the array's declared size (they agree for unstack).
#pragma once

#include <string>

#include "graph.pb.h"

namespace tfaot::frontend {

// Rewrites `graph` in place; returns false (untouched) when it has no Enter and no
// TensorArray node. Throws Error naming the node on malformed or unsupported loops.
bool functionalize_tf1_loops(tensorflow::GraphDef& graph, const std::string& source);

// The TensorArray -> TensorList part alone (done first by functionalize_tf1_loops); returns
// false (untouched) when the graph has no TensorArray node.
bool tensor_arrays_to_lists(tensorflow::GraphDef& graph, const std::string& source);

}  // namespace tfaot::frontend
