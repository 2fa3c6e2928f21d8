// Test fixtures built with the protobuf classes (header-only; used by the front-end tests and
// by examples/tools/make_example_model.cc): small NodeDef helpers and a Keras-2-style MLP
// SavedModel (StatefulPartitionedCall into library functions, resource variables captured by
// the serving function, object graph in the checkpoint).
#pragma once

#include <filesystem>
#include <fstream>
#include <google/protobuf/text_format.h>
#include <string>
#include <vector>

#include "bundle_writer.h"
#include "saved_model.pb.h"
#include "support/tensor.h"
#include "trackable_object_graph.pb.h"

namespace tfaot::frontend::fixtures {

namespace fs = std::filesystem;
using tensorflow::AttrValue;
using tensorflow::NodeDef;

inline AttrValue type_attr(DType t) {
  AttrValue a;
  a.set_type(static_cast<tensorflow::DataType>(t));
  return a;
}
inline AttrValue shape_attr(const Shape& s) {
  AttrValue a;
  auto* sh = a.mutable_shape();
  for (int64_t d : s) sh->add_dim()->set_size(d);
  return a;
}
inline AttrValue types_attr(const std::vector<DType>& ts) {
  AttrValue a;
  for (DType t : ts) a.mutable_list()->add_type(static_cast<tensorflow::DataType>(t));
  return a;
}
inline AttrValue func_attr(const std::string& name) {
  AttrValue a;
  a.mutable_func()->set_name(name);
  return a;
}
inline AttrValue string_attr(const std::string& s) {
  AttrValue a;
  a.set_s(s);
  return a;
}
inline tensorflow::TensorProto tensor_proto(const Tensor& t) {
  tensorflow::TensorProto p;
  p.set_dtype(static_cast<tensorflow::DataType>(t.dtype()));
  for (int64_t d : t.shape()) p.mutable_tensor_shape()->add_dim()->set_size(d);
  if (t.dtype() == DType::String) {
    for (const auto& s : t.strings()) p.add_string_val(s);
  } else {
    p.set_tensor_content(std::string(reinterpret_cast<const char*>(t.raw()), t.byte_size()));
  }
  return p;
}

inline NodeDef* add(google::protobuf::RepeatedPtrField<NodeDef>* nodes, const std::string& name,
                    const std::string& op, const std::vector<std::string>& inputs = {},
                    const std::map<std::string, AttrValue>& attrs = {}) {
  NodeDef* n = nodes->Add();
  n->set_name(name);
  n->set_op(op);
  for (const auto& i : inputs) n->add_input(i);
  for (const auto& [k, v] : attrs) (*n->mutable_attr())[k] = v;
  return n;
}
inline NodeDef* add_const(google::protobuf::RepeatedPtrField<NodeDef>* nodes,
                          const std::string& name, const Tensor& t) {
  AttrValue v;
  *v.mutable_tensor() = tensor_proto(t);
  return add(nodes, name, "Const", {}, {{"dtype", type_attr(t.dtype())}, {"value", v}});
}
inline void add_arg(tensorflow::OpDef* sig, const std::string& name, DType t, bool output) {
  auto* a = output ? sig->add_output_arg() : sig->add_input_arg();
  a->set_name(name);
  a->set_type(static_cast<tensorflow::DataType>(t));
}

// Writes `msg` as binary or text proto.
inline void write_proto(const fs::path& file, const google::protobuf::Message& msg, bool text) {
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary);
  std::string data;
  if (text)
    google::protobuf::TextFormat::PrintToString(msg, &data);
  else
    msg.SerializeToString(&data);
  out << data;
  if (!out) fail("cannot write {}", file.string());
}

// The example MLP: x float32[-1,4] -> Dense(8, tanh) -> Dense(3) -> Softmax = y float32[-1,3].
struct MlpWeights {
  Tensor k0, b0, k1, b1;
};

inline MlpWeights default_mlp_weights() {
  // Deterministic, varied values (a small LCG), so tests can check exact constants.
  uint32_t s = 12345;
  auto next = [&] {
    s = s * 1664525u + 1013904223u;
    return static_cast<float>(static_cast<int>((s >> 9) % 2001) - 1000) / 1000.0f;
  };
  auto make = [&](Shape shape) {
    Tensor t(DType::Float, shape);
    for (int64_t i = 0; i < t.num_elements(); ++i) t.data<float>()[i] = next();
    return t;
  };
  return {make({4, 8}), make({8}), make({8, 3}), make({3})};
}

inline const char* kMlpVarNames[4] = {"dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias"};
inline const char* kMlpKeys[4] = {"layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE",
                                  "layer_with_weights-0/bias/.ATTRIBUTES/VARIABLE_VALUE",
                                  "layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE",
                                  "layer_with_weights-1/bias/.ATTRIBUTES/VARIABLE_VALUE"};

// The stripped op list of a Keras export: each op's (single) output arg name, "" for none, plus
// StatefulPartitionedCall with its list output (a real export carries full OpDefs here).
inline void add_stripped_ops(tensorflow::MetaGraphDef* mg,
                             const std::vector<std::pair<const char*, const char*>>& op_outputs) {
  auto* ops = mg->mutable_meta_info_def()->mutable_stripped_op_list();
  for (auto [op, out] : op_outputs) {
    auto* d = ops->add_op();
    d->set_name(op);
    if (*out) d->add_output_arg()->set_name(out);
  }
  auto* spc = ops->add_op();
  spc->set_name("StatefulPartitionedCall");
  spc->add_output_arg()->set_name("output");
  spc->mutable_output_arg(0)->set_type_list_attr("Tout");
}

// Builds the MetaGraphDef of the MLP (tags {"serve"}, signature "serving_default").
inline tensorflow::SavedModel mlp_saved_model(const MlpWeights& w) {
  using T = DType;
  tensorflow::SavedModel sm;
  sm.set_saved_model_schema_version(1);
  auto* mg = sm.add_meta_graphs();
  mg->mutable_meta_info_def()->add_tags("serve");
  mg->mutable_meta_info_def()->set_tensorflow_version("tfaot-example");
  add_stripped_ops(mg, {{"MatMul", "product"}, {"BiasAdd", "output"}, {"Tanh", "y"}, {"Softmax", "softmax"},
                        {"Identity", "output"}, {"ReadVariableOp", "value"}, {"NoOp", ""},
                        {"Placeholder", "output"}, {"VarHandleOp", "resource"}});

  const Tensor* ws[4] = {&w.k0, &w.b0, &w.k1, &w.b1};
  auto* g = mg->mutable_graph_def();
  auto* nodes = g->mutable_node();
  for (int i = 0; i < 4; ++i)
    add(nodes, kMlpVarNames[i], "VarHandleOp", {},
        {{"dtype", type_attr(T::Float)}, {"shape", shape_attr(ws[i]->shape())},
         {"shared_name", string_attr(kMlpVarNames[i])}});
  add(nodes, "serving_default_x", "Placeholder", {},
      {{"dtype", type_attr(T::Float)}, {"shape", shape_attr({-1, 4})}});
  add(nodes, "StatefulPartitionedCall", "StatefulPartitionedCall",
      {"serving_default_x", "dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias"},
      {{"Tin", types_attr({T::Float, T::Resource, T::Resource, T::Resource, T::Resource})},
       {"Tout", types_attr({T::Float})},
       {"f", func_attr("__inference_signature_wrapper_120")}});

  // Signature wrapper: calls the model function, as Keras 2 exports do.
  auto* wrap = g->mutable_library()->add_function();
  auto* ws_sig = wrap->mutable_signature();
  ws_sig->set_name("__inference_signature_wrapper_120");
  add_arg(ws_sig, "x", T::Float, false);
  for (const char* a : {"unknown", "unknown_0", "unknown_1", "unknown_2"}) add_arg(ws_sig, a, T::Resource, false);
  add_arg(ws_sig, "identity", T::Float, true);
  ws_sig->set_is_stateful(true);
  add(wrap->mutable_node_def(), "StatefulPartitionedCall", "StatefulPartitionedCall",
      {"x", "unknown", "unknown_0", "unknown_1", "unknown_2"},
      {{"Tin", types_attr({T::Float, T::Resource, T::Resource, T::Resource, T::Resource})},
       {"Tout", types_attr({T::Float})}, {"f", func_attr("__inference_model_call_90")}});
  add(wrap->mutable_node_def(), "Identity", "Identity",
      {"StatefulPartitionedCall:output:0", "^NoOp"}, {{"T", type_attr(T::Float)}});
  add(wrap->mutable_node_def(), "NoOp", "NoOp", {"^StatefulPartitionedCall"});
  (*wrap->mutable_ret())["identity"] = "Identity:output:0";

  // The model: Dense + tanh, Dense, Softmax; weights read from the resource arguments.
  auto* fn = g->mutable_library()->add_function();
  auto* sig = fn->mutable_signature();
  sig->set_name("__inference_model_call_90");
  add_arg(sig, "inputs", T::Float, false);
  const char* res[4] = {"dense_matmul_readvariableop_resource", "dense_biasadd_readvariableop_resource",
                        "dense_1_matmul_readvariableop_resource",
                        "dense_1_biasadd_readvariableop_resource"};
  for (const char* r : res) add_arg(sig, r, T::Resource, false);
  add_arg(sig, "identity", T::Float, true);
  sig->set_is_stateful(true);
  auto* b = fn->mutable_node_def();
  auto f32 = std::map<std::string, AttrValue>{{"T", type_attr(T::Float)}};
  auto rv = std::map<std::string, AttrValue>{{"dtype", type_attr(T::Float)}};
  add(b, "dense/MatMul/ReadVariableOp", "ReadVariableOp", {res[0]}, rv);
  add(b, "dense/MatMul", "MatMul", {"inputs", "dense/MatMul/ReadVariableOp:value:0"}, f32);
  add(b, "dense/BiasAdd/ReadVariableOp", "ReadVariableOp", {res[1]}, rv);
  add(b, "dense/BiasAdd", "BiasAdd", {"dense/MatMul:product:0", "dense/BiasAdd/ReadVariableOp:value:0"}, f32);
  add(b, "dense/Tanh", "Tanh", {"dense/BiasAdd:output:0"}, f32);
  add(b, "dense_1/MatMul/ReadVariableOp", "ReadVariableOp", {res[2]}, rv);
  add(b, "dense_1/MatMul", "MatMul", {"dense/Tanh:y:0", "dense_1/MatMul/ReadVariableOp:value:0"}, f32);
  add(b, "dense_1/BiasAdd/ReadVariableOp", "ReadVariableOp", {res[3]}, rv);
  add(b, "dense_1/BiasAdd", "BiasAdd",
      {"dense_1/MatMul:product:0", "dense_1/BiasAdd/ReadVariableOp:value:0"}, f32);
  add(b, "dense_1/Softmax", "Softmax", {"dense_1/BiasAdd:output:0"}, f32);
  add(b, "NoOp", "NoOp",
      {"^dense/BiasAdd/ReadVariableOp", "^dense/MatMul/ReadVariableOp",
       "^dense_1/BiasAdd/ReadVariableOp", "^dense_1/MatMul/ReadVariableOp"});
  add(b, "Identity", "Identity", {"dense_1/Softmax:softmax:0", "^NoOp"}, f32);
  (*fn->mutable_ret())["identity"] = "Identity:output:0";
  (*fn->mutable_control_ret())["NoOp"] = "NoOp";

  auto& sd = (*mg->mutable_signature_def())["serving_default"];
  sd.set_method_name("tensorflow/serving/predict");
  auto& in = (*sd.mutable_inputs())["x"];
  in.set_name("serving_default_x:0");
  in.set_dtype(tensorflow::DT_FLOAT);
  *in.mutable_tensor_shape() = shape_attr({-1, 4}).shape();
  auto& out = (*sd.mutable_outputs())["y"];
  out.set_name("StatefulPartitionedCall:0");
  out.set_dtype(tensorflow::DT_FLOAT);
  *out.mutable_tensor_shape() = shape_attr({-1, 3}).shape();

  // Object graph: 0 root, 1-2 layers, 3-6 variables, 7 signatures, 8 serving function.
  auto* og = mg->mutable_object_graph_def();
  auto child = [](tensorflow::SavedObject* o, int id, const char* name) {
    auto* c = o->add_children();
    c->set_node_id(id);
    c->set_local_name(name);
  };
  auto* root = og->add_nodes();
  root->mutable_user_object()->set_identifier("_generic_user_object");
  child(root, 1, "layer_with_weights-0");
  child(root, 2, "layer_with_weights-1");
  child(root, 7, "signatures");
  for (int l = 0; l < 2; ++l) {
    auto* layer = og->add_nodes();
    layer->mutable_user_object()->set_identifier("_tf_keras_layer");
    child(layer, 3 + 2 * l, "kernel");
    child(layer, 4 + 2 * l, "bias");
  }
  for (int i = 0; i < 4; ++i) {
    auto* v = og->add_nodes()->mutable_variable();
    v->set_dtype(tensorflow::DT_FLOAT);
    *v->mutable_shape() = shape_attr(ws[i]->shape()).shape();
    v->set_name(kMlpVarNames[i]);
    v->set_trainable(true);
  }
  auto* sigs = og->add_nodes();
  sigs->mutable_user_object()->set_identifier("signature_map");
  child(sigs, 8, "serving_default");
  og->add_nodes()->mutable_bare_concrete_function()->set_concrete_function_name(
      "__inference_signature_wrapper_120");
  auto& cf = (*og->mutable_concrete_functions())["__inference_signature_wrapper_120"];
  for (int id : {3, 4, 5, 6}) cf.add_bound_inputs(id);
  return sm;
}

// The checkpoint's object graph (node i <-> SavedObjectGraph node i) and weights.
inline std::vector<std::pair<std::string, Tensor>> mlp_checkpoint(const MlpWeights& w) {
  tensorflow::TrackableObjectGraph tog;
  for (int i = 0; i < 9; ++i) tog.add_nodes();
  for (int i = 0; i < 4; ++i) {
    auto* a = tog.mutable_nodes(3 + i)->add_attributes();
    a->set_name("VARIABLE_VALUE");
    a->set_full_name(kMlpVarNames[i]);
    a->set_checkpoint_key(kMlpKeys[i]);
  }
  Tensor blob(DType::String, {});
  tog.SerializeToString(&blob.strings()[0]);
  return {{"_CHECKPOINTABLE_OBJECT_GRAPH", blob},
          {kMlpKeys[0], w.k0}, {kMlpKeys[1], w.b0}, {kMlpKeys[2], w.k1}, {kMlpKeys[3], w.b1}};
}

inline void write_mlp(const fs::path& dir, bool text, const MlpWeights& w = default_mlp_weights()) {
  write_proto(dir / (text ? "saved_model.pbtxt" : "saved_model.pb"), mlp_saved_model(w), text);
  test::write_bundle(dir / "variables" / "variables", mlp_checkpoint(w));
}

using Attrs = std::map<std::string, AttrValue>;

inline AttrValue b_attr(bool b) {
  AttrValue a;
  a.set_b(b);
  return a;
}
inline AttrValue i_attr(int64_t i) {
  AttrValue a;
  a.set_i(i);
  return a;
}
inline Attrs t_of(DType t) { return {{"T", type_attr(t)}}; }

// A TF1 GraphDef built by hand, with helpers shaped like tf.compat.v1.while_loop output.
struct Tf1Graph {
  tensorflow::GraphDef g;
  NodeDef* add(const std::string& name, const std::string& op, std::vector<std::string> in = {},
               Attrs attrs = {}) {
    return fixtures::add(g.mutable_node(), name, op, in, attrs);
  }
  void cst(const std::string& name, Tensor t, std::vector<std::string> ctl = {}) {
    auto* n = add_const(g.mutable_node(), name, t);
    for (const auto& c : ctl) n->add_input("^" + c);
  }
  void enter(const std::string& name, const std::string& in, const std::string& frame, DType t,
             bool constant) {
    add(name, "Enter", {in},
        {{"T", type_attr(t)}, {"frame_name", string_attr(frame)}, {"is_constant", b_attr(constant)},
         {"parallel_iterations", i_attr(32)}});
  }
  // Loop variable `v` of loop `p` (prefix "p/"): Enter, Merge, Switch on p/LoopCond, Identity
  // of the true branch (p/v_id), NextIteration of `next`, Exit (p/v_exit).
  void var(const std::string& p, const std::string& v, const std::string& init,
           const std::string& next, DType t) {
    enter(p + "/" + v + "_enter", init, p, t, false);
    add(p + "/" + v + "_merge", "Merge", {p + "/" + v + "_enter", p + "/" + v + "_next"},
        {{"T", type_attr(t)}, {"N", i_attr(2)}});
    add(p + "/" + v + "_switch", "Switch", {p + "/" + v + "_merge", p + "/LoopCond"}, t_of(t));
    add(p + "/" + v + "_id", "Identity", {p + "/" + v + "_switch:1"}, t_of(t));
    add(p + "/" + v + "_next", "NextIteration", {next}, t_of(t));
    add(p + "/" + v + "_exit", "Exit", {p + "/" + v + "_switch"}, t_of(t));
  }
};

}  // namespace tfaot::frontend::fixtures
