// Writes the test models of cms-tfaot (test_models/{simple,multi}, made there by create.py with
// TensorFlow) with tfaot's own SavedModel writer, so that the cms_tfaot Python package ships them
// without shipping CMS's files or needing TensorFlow (python/share/test_models):
//   simple: input float32[-1,4] -> BatchNorm -> 5 x (Dense(128, tanh) + BatchNorm)
//           -> Dense(2, softmax) = output float32[-1,2]
//   multi:  input1 float32[-1,4], input2 float64[-1,4] -> Concatenate (input2 cast to float32)
//           -> the same layers -> output1 float32[-1,2] (softmax),
//           output2 bool[-1,2] = Reshape(output1 > 0.5)
// As Keras 2 exports them: a serving signature wrapper calling the model function through
// StatefulPartitionedCall, resource variables bound from the object graph and stored in a
// TensorBundle checkpoint under "layer_with_weights-K/..." keys, inference-mode batch norm
// spelled out (add epsilon, Rsqrt, Mul, Sub, AddV2). Weights come from a fixed-seed generator
// (Glorot-uniform kernels, BatchNorm statistics near the identity), so outputs are deterministic
// and softmax is not saturated; rerunning gives identical files.
//   tfaot_make_cms_test_models OUTPUT_DIR   (writes OUTPUT_DIR/{simple,multi}/saved_model)
#include <cmath>
#include <cstdio>

#include "frontend/test_fixtures.h"

namespace {

using namespace tfaot;
using namespace tfaot::frontend::fixtures;
namespace fs = std::filesystem;

struct Var {
  std::string layer;  // "layer_with_weights-K": the checkpoint key's and the object graph's path
  std::string local;  // "kernel", "gamma", ...
  std::string name;   // the Keras variable name, "dense/kernel"
  Tensor value;
};

struct Io {
  std::string key;
  DType dtype;
  int64_t width;  // shape [-1, width]
};

// Deterministic uniform values (a 32-bit LCG, as default_mlp_weights).
class Rng {
 public:
  explicit Rng(uint32_t seed) : s_(seed) {}
  float uniform(float lo, float hi) {
    s_ = s_ * 1664525u + 1013904223u;
    return lo + (hi - lo) * static_cast<float>(s_ >> 8) / static_cast<float>(1u << 24);
  }
  Tensor tensor(Shape shape, float lo, float hi) {
    Tensor t(DType::Float, shape);
    for (int64_t i = 0; i < t.num_elements(); ++i) t.data<float>()[i] = uniform(lo, hi);
    return t;
  }

 private:
  uint32_t s_;
};

Tensor scalar_f32(float v) { return Tensor::from_vector<float>({}, {v}); }
Tensor vec_i32(std::vector<int32_t> v) {
  const int64_t n = static_cast<int64_t>(v.size());
  return Tensor::from_vector<int32_t>({n}, std::move(v));
}

// The model function under construction: its nodes, resource arguments and variables.
class ModelBuilder {
 public:
  ModelBuilder(tensorflow::FunctionDef* fn, uint32_t seed) : fn_(fn), rng_(seed) {}

  std::string node(const std::string& name, const std::string& op, const std::vector<std::string>& in,
                   Attrs attrs, const std::string& out = "output") {
    add(fn_->mutable_node_def(), name, op, in, attrs);
    return name + ":" + out + ":0";
  }
  std::string cst(const std::string& name, const Tensor& t) {
    add_const(fn_->mutable_node_def(), name, t);
    return name + ":output:0";
  }
  // A variable of the current layer, read by `reader` (the node name prefix of its read).
  std::string read(const std::string& local, Tensor value, const std::string& reader) {
    const std::string res = sanitize(reader) + "_readvariableop_resource";
    vars_.push_back({layer_key(), local, layer_name_ + "/" + local, std::move(value)});
    resources_.push_back(res);
    reads_.push_back("^" + reader + "/ReadVariableOp");
    return node(reader + "/ReadVariableOp", "ReadVariableOp", {res}, {{"dtype", type_attr(DType::Float)}}, "value");
  }

  // Keras BatchNormalization(axis=1) at inference: x * g + (beta - mean * g), g = gamma * rsqrt(var + eps).
  std::string batch_norm(const std::string& x, int64_t n, const std::string& name) {
    begin_layer(name);
    const std::string p = name + "/batchnorm";
    const auto f32 = t_of(DType::Float);
    // Statistics of roughly standardized inputs (the first layer sees the raw features).
    const bool first = weights_layers_ == 0;
    std::string var = read("moving_variance", rng_.tensor({n}, first ? 0.8f : 0.3f, first ? 2.5f : 0.8f), p + "/add");
    std::string add = node(p + "/add", "AddV2", {var, cst(p + "/add/y", scalar_f32(0.001f))}, f32, "z");
    std::string rsqrt = node(p + "/Rsqrt", "Rsqrt", {add}, f32, "y");
    std::string gamma = read("gamma", rng_.tensor({n}, 0.8f, 1.2f), p + "/mul");
    std::string g = node(p + "/mul", "Mul", {rsqrt, gamma}, f32, "z");
    std::string xg = node(p + "/mul_1", "Mul", {x, g}, f32, "z");
    std::string mean = read("moving_mean", rng_.tensor({n}, first ? 0.5f : -0.1f, first ? 2.5f : 0.1f), p + "/mul_2");
    std::string mg = node(p + "/mul_2", "Mul", {mean, g}, f32, "z");
    std::string beta = read("beta", rng_.tensor({n}, -0.1f, 0.1f), p + "/sub");
    std::string sub = node(p + "/sub", "Sub", {beta, mg}, f32, "z");
    end_layer();
    return node(p + "/add_1", "AddV2", {xg, sub}, f32, "z");
  }

  // Keras Dense: MatMul, BiasAdd, activation ("Tanh" / "Softmax"); Glorot-uniform kernel
  // (scaled by `gain`).
  std::string dense(const std::string& x, int64_t in, int64_t out, const std::string& name,
                    const std::string& activation, float gain = 1.0f) {
    begin_layer(name);
    const auto f32 = t_of(DType::Float);
    const float limit = gain * std::sqrt(6.0f / static_cast<float>(in + out));
    std::string k = read("kernel", rng_.tensor({in, out}, -limit, limit), name + "/MatMul");
    std::string mm = node(name + "/MatMul", "MatMul", {x, k}, f32, "product");
    std::string b = read("bias", rng_.tensor({out}, -0.1f, 0.1f), name + "/BiasAdd");
    std::string ba = node(name + "/BiasAdd", "BiasAdd", {mm, b}, f32);
    end_layer();
    const std::string out_arg = activation == "Softmax" ? "softmax" : "y";
    return node(name + "/" + activation, activation, {ba}, f32, out_arg);
  }

  // The hidden layers shared by both models: BatchNorm, then 5 x (Dense(128, tanh) + BatchNorm).
  std::string hidden(const std::string& x, int64_t n_in) {
    std::string a = batch_norm(x, n_in, "batch_normalization");
    for (int i = 0; i < 5; ++i) {
      const std::string suffix = i == 0 ? "" : "_" + std::to_string(i);
      a = dense(a, i == 0 ? n_in : 128, 128, "dense" + suffix, "Tanh");
      a = batch_norm(a, 128, "batch_normalization_" + std::to_string(i + 1));
    }
    return a;
  }

  const std::vector<Var>& vars() const { return vars_; }
  const std::vector<std::string>& resources() const { return resources_; }
  const std::vector<std::string>& reads() const { return reads_; }

 private:
  static std::string sanitize(std::string s) {
    for (char& c : s)
      if (c == '/' || c == '.') c = '_';
    return s;
  }
  std::string layer_key() const { return "layer_with_weights-" + std::to_string(weights_layers_); }
  void begin_layer(const std::string& name) { layer_name_ = name; }
  void end_layer() { ++weights_layers_; }

  tensorflow::FunctionDef* fn_;
  Rng rng_;
  std::vector<Var> vars_;
  std::vector<std::string> resources_, reads_;
  std::string layer_name_;
  int weights_layers_ = 0;
};

tensorflow::DataType tf(DType t) { return static_cast<tensorflow::DataType>(t); }

// Writes DIR/saved_model{.pbtxt,/variables} of a model whose function body `body` builds; it
// returns the function's outputs in signature order.
void write_model(const fs::path& dir, const std::vector<Io>& inputs, const std::vector<Io>& outputs, uint32_t seed,
                 const std::function<std::vector<std::string>(ModelBuilder&, const std::vector<std::string>&)>& body) {
  const std::string wrapper_name = "__inference_signature_wrapper_4000";
  const std::string model_name = "__inference__wrapped_model_3000";
  tensorflow::SavedModel sm;
  sm.set_saved_model_schema_version(1);
  auto* mg = sm.add_meta_graphs();
  mg->mutable_meta_info_def()->add_tags("serve");
  mg->mutable_meta_info_def()->set_tensorflow_version("tfaot-cms-test-models");
  add_stripped_ops(
      mg, {{"AddV2", "z"}, {"BiasAdd", "output"}, {"Cast", "y"}, {"ConcatV2", "output"}, {"Const", "output"},
           {"Greater", "z"}, {"Identity", "output"}, {"MatMul", "product"}, {"Mul", "z"}, {"NoOp", ""},
           {"Pack", "output"}, {"Placeholder", "output"}, {"ReadVariableOp", "value"}, {"Reshape", "output"},
           {"Rsqrt", "y"}, {"Shape", "output"}, {"Softmax", "softmax"}, {"StridedSlice", "output"},
           {"Sub", "z"}, {"Tanh", "y"}, {"VarHandleOp", "resource"}});

  // The model function first: its body decides the variables.
  auto* g = mg->mutable_graph_def();
  auto* lib = g->mutable_library();
  auto* wrap = lib->add_function();
  auto* fn = lib->add_function();
  auto* sig = fn->mutable_signature();
  sig->set_name(model_name);
  std::vector<std::string> args;
  for (size_t i = 0; i < inputs.size(); ++i) {
    args.push_back(inputs.size() == 1 ? "inputs" : "inputs_" + std::to_string(i));
    add_arg(sig, args.back(), inputs[i].dtype, false);
  }
  ModelBuilder mb(fn, seed);
  const std::vector<std::string> results = body(mb, args);
  for (const auto& r : mb.resources()) add_arg(sig, r, DType::Resource, false);
  sig->set_is_stateful(true);
  add(fn->mutable_node_def(), "NoOp", "NoOp", mb.reads());
  (*fn->mutable_control_ret())["NoOp"] = "NoOp";
  std::vector<DType> in_types, out_types;
  for (const auto& io : inputs) in_types.push_back(io.dtype);
  for (size_t i = 0; i < outputs.size(); ++i) {
    const std::string id = i == 0 ? "Identity" : "Identity_" + std::to_string(i);
    const std::string ret = i == 0 ? "identity" : "identity_" + std::to_string(i);
    add(fn->mutable_node_def(), id, "Identity", {results[i], "^NoOp"}, t_of(outputs[i].dtype));
    add_arg(sig, ret, outputs[i].dtype, true);
    (*fn->mutable_ret())[ret] = id + ":output:0";
    out_types.push_back(outputs[i].dtype);
  }
  const size_t n_vars = mb.vars().size();
  std::vector<DType> call_types = in_types;
  call_types.insert(call_types.end(), n_vars, DType::Resource);

  // Graph: variable handles, placeholders, the call into the signature wrapper.
  auto* nodes = g->mutable_node();
  std::vector<std::string> call_in;
  for (const auto& io : inputs) {
    add(nodes, "serving_default_" + io.key, "Placeholder", {},
        {{"dtype", type_attr(io.dtype)}, {"shape", shape_attr({-1, io.width})}});
    call_in.push_back("serving_default_" + io.key);
  }
  for (const auto& v : mb.vars()) {
    add(nodes, v.name, "VarHandleOp", {},
        {{"dtype", type_attr(DType::Float)}, {"shape", shape_attr(v.value.shape())},
         {"shared_name", string_attr(v.name)}});
    call_in.push_back(v.name);
  }
  add(nodes, "StatefulPartitionedCall", "StatefulPartitionedCall", call_in,
      {{"Tin", types_attr(call_types)}, {"Tout", types_attr(out_types)}, {"f", func_attr(wrapper_name)}});

  // Signature wrapper: inputs by key, then the captured variables; calls the model function.
  auto* ws = wrap->mutable_signature();
  ws->set_name(wrapper_name);
  std::vector<std::string> wrap_in;
  for (const auto& io : inputs) {
    add_arg(ws, io.key, io.dtype, false);
    wrap_in.push_back(io.key);
  }
  for (size_t i = 0; i < n_vars; ++i) {
    wrap_in.push_back(i == 0 ? "unknown" : "unknown_" + std::to_string(i - 1));
    add_arg(ws, wrap_in.back(), DType::Resource, false);
  }
  ws->set_is_stateful(true);
  add(wrap->mutable_node_def(), "StatefulPartitionedCall", "StatefulPartitionedCall", wrap_in,
      {{"Tin", types_attr(call_types)}, {"Tout", types_attr(out_types)}, {"f", func_attr(model_name)}});
  add(wrap->mutable_node_def(), "NoOp", "NoOp", {"^StatefulPartitionedCall"});
  for (size_t i = 0; i < outputs.size(); ++i) {
    const std::string id = i == 0 ? "Identity" : "Identity_" + std::to_string(i);
    const std::string ret = i == 0 ? "identity" : "identity_" + std::to_string(i);
    add(wrap->mutable_node_def(), id, "Identity",
        {"StatefulPartitionedCall:output:" + std::to_string(i), "^NoOp"}, t_of(outputs[i].dtype));
    add_arg(ws, ret, outputs[i].dtype, true);
    (*wrap->mutable_ret())[ret] = id + ":output:0";
  }

  auto& sd = (*mg->mutable_signature_def())["serving_default"];
  sd.set_method_name("tensorflow/serving/predict");
  for (const auto& io : inputs) {
    auto& in = (*sd.mutable_inputs())[io.key];
    in.set_name("serving_default_" + io.key + ":0");
    in.set_dtype(tf(io.dtype));
    *in.mutable_tensor_shape() = shape_attr({-1, io.width}).shape();
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    auto& out = (*sd.mutable_outputs())[outputs[i].key];
    out.set_name("StatefulPartitionedCall:" + std::to_string(i));
    out.set_dtype(tf(outputs[i].dtype));
    *out.mutable_tensor_shape() = shape_attr({-1, outputs[i].width}).shape();
  }

  // Object graph: 0 root; per layer with weights a node followed by its variables; then the
  // signature map and the serving function. The checkpoint's object graph has the same ids.
  auto* og = mg->mutable_object_graph_def();
  auto child = [](tensorflow::SavedObject* o, int id, const std::string& name) {
    auto* c = o->add_children();
    c->set_node_id(id);
    c->set_local_name(name);
  };
  og->add_nodes()->mutable_user_object()->set_identifier("_generic_user_object");
  std::vector<int> var_ids;
  std::vector<std::pair<int, std::string>> var_keys;  // object id, checkpoint key
  int layer_id = -1;
  std::string layer;
  for (const auto& v : mb.vars()) {
    if (v.layer != layer) {
      layer = v.layer;
      layer_id = og->nodes_size();
      og->add_nodes()->mutable_user_object()->set_identifier("_tf_keras_layer");
      child(og->mutable_nodes(0), layer_id, layer);
    }
    const int id = og->nodes_size();
    auto* var = og->add_nodes()->mutable_variable();
    var->set_dtype(tensorflow::DT_FLOAT);
    *var->mutable_shape() = shape_attr(v.value.shape()).shape();
    var->set_name(v.name);
    var->set_trainable(v.local == "kernel" || v.local == "bias" || v.local == "gamma" || v.local == "beta");
    child(og->mutable_nodes(layer_id), id, v.local);
    var_ids.push_back(id);
    var_keys.emplace_back(id, v.layer + "/" + v.local + "/.ATTRIBUTES/VARIABLE_VALUE");
  }
  const int sigs_id = og->nodes_size();
  child(og->mutable_nodes(0), sigs_id, "signatures");
  auto* sigs = og->add_nodes();
  sigs->mutable_user_object()->set_identifier("signature_map");
  child(sigs, sigs_id + 1, "serving_default");
  og->add_nodes()->mutable_bare_concrete_function()->set_concrete_function_name(wrapper_name);
  auto& cf = (*og->mutable_concrete_functions())[wrapper_name];
  for (int id : var_ids) cf.add_bound_inputs(id);

  tensorflow::TrackableObjectGraph tog;
  for (int i = 0; i < og->nodes_size(); ++i) tog.add_nodes();
  std::vector<std::pair<std::string, Tensor>> bundle;
  for (size_t i = 0; i < var_keys.size(); ++i) {
    auto* a = tog.mutable_nodes(var_keys[i].first)->add_attributes();
    a->set_name("VARIABLE_VALUE");
    a->set_full_name(mb.vars()[i].name);
    a->set_checkpoint_key(var_keys[i].second);
    bundle.emplace_back(var_keys[i].second, mb.vars()[i].value);
  }
  Tensor blob(DType::String, {});
  tog.SerializeToString(&blob.strings()[0]);
  bundle.emplace_back("_CHECKPOINTABLE_OBJECT_GRAPH", blob);

  write_proto(dir / "saved_model.pbtxt", sm, /*text=*/true);
  test::write_bundle(dir / "variables" / "variables", bundle);
}

// Keeps the logits within a few units: softmax outputs stay away from 0 and 1.
constexpr float kOutputGain = 0.5f;

void write_simple(const fs::path& dir) {
  write_model(dir, {{"input", DType::Float, 4}}, {{"output", DType::Float, 2}}, 1,
              [](ModelBuilder& m, const std::vector<std::string>& in) {
                return std::vector<std::string>{m.dense(m.hidden(in[0], 4), 128, 2, "output", "Softmax", kOutputGain)};
              });
}

void write_multi(const fs::path& dir) {
  write_model(
      dir, {{"input1", DType::Float, 4}, {"input2", DType::Double, 4}},
      {{"output1", DType::Float, 2}, {"output2", DType::Bool, 2}}, 2,
      [](ModelBuilder& m, const std::vector<std::string>& in) {
        // Keras casts the float64 input to the layer's float32 before concatenating.
        std::string x2 = m.node("concatenate/Cast", "Cast", {in[1]},
                                {{"SrcT", type_attr(DType::Double)}, {"DstT", type_attr(DType::Float)},
                                 {"Truncate", b_attr(false)}},
                                "y");
        std::string axis = m.cst("concatenate/concat/axis", Tensor::from_vector<int32_t>({}, {1}));
        std::string x = m.node("concatenate/concat", "ConcatV2", {in[0], x2, axis},
                               {{"T", type_attr(DType::Float)}, {"N", i_attr(2)}, {"Tidx", type_attr(DType::Int32)}});
        std::string y1 = m.dense(m.hidden(x, 8), 128, 2, "output1", "Softmax", kOutputGain);
        std::string gt = m.node("tf.math.greater/Greater", "Greater",
                                {y1, m.cst("tf.math.greater/Greater/y", scalar_f32(0.5f))}, t_of(DType::Float), "z");
        // Keras Reshape((2,)): reshape to (tf.shape(x)[0], 2).
        std::string shape = m.node("output2/Shape", "Shape", {gt},
                                   {{"T", type_attr(DType::Bool)}, {"out_type", type_attr(DType::Int32)}});
        Attrs ss = {{"T", type_attr(DType::Int32)},   {"Index", type_attr(DType::Int32)},
                    {"begin_mask", i_attr(0)},        {"end_mask", i_attr(0)},
                    {"ellipsis_mask", i_attr(0)},     {"new_axis_mask", i_attr(0)},
                    {"shrink_axis_mask", i_attr(1)}};
        std::string rows = m.node("output2/strided_slice", "StridedSlice",
                                  {shape, m.cst("output2/strided_slice/stack", vec_i32({0})),
                                   m.cst("output2/strided_slice/stack_1", vec_i32({1})),
                                   m.cst("output2/strided_slice/stack_2", vec_i32({1}))},
                                  ss);
        std::string dims = m.node("output2/Reshape/shape", "Pack",
                                  {rows, m.cst("output2/Reshape/shape/1", Tensor::from_vector<int32_t>({}, {2}))},
                                  {{"T", type_attr(DType::Int32)}, {"N", i_attr(2)}, {"axis", i_attr(0)}});
        std::string y2 = m.node("output2/Reshape", "Reshape", {gt, dims},
                                {{"T", type_attr(DType::Bool)}, {"Tshape", type_attr(DType::Int32)}});
        return std::vector<std::string>{y1, y2};
      });
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
    return 2;
  }
  try {
    const fs::path out = argv[1];
    write_simple(out / "simple" / "saved_model");
    write_multi(out / "multi" / "saved_model");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tfaot_make_cms_test_models: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
