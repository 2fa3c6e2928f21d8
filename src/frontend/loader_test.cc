// Front-end tests on self-built fixtures: SavedModel (binary/text), signature and tag errors,
// function-library errors, checkpoint corruption, frozen graphs, TF1 variables.
#include <gtest/gtest.h>

#include <fstream>

#include "frontend/loader.h"
#include "frontend/test_fixtures.h"
#include "test_util.h"

namespace tfaot::frontend {
namespace {

namespace fs = std::filesystem;
using namespace fixtures;
using test::TempDir;

LoadOptions opts(const fs::path& path, std::vector<std::string> inputs = {},
                 std::vector<std::string> outputs = {}) {
  LoadOptions o;
  o.path = path;
  o.inputs = std::move(inputs);
  o.outputs = std::move(outputs);
  return o;
}

std::string error_of(const LoadOptions& o) {
  try {
    load_model(o);
  } catch (const Error& e) {
    return e.what();
  }
  return "<no error>";
}

std::map<std::string, int> histogram(const ir::Graph& g) {
  std::map<std::string, int> h;
  for (const auto& n : g.nodes()) ++h[n->op];
  return h;
}

class MlpTest : public ::testing::TestWithParam<bool> {};

TEST_P(MlpTest, LoadsInlinedWithVariablesAsConstants) {
  TempDir dir;
  MlpWeights w = default_mlp_weights();
  write_mlp(dir.path(), GetParam(), w);
  EXPECT_TRUE(is_saved_model(dir.path()));
  auto g = load_model(opts(dir.path()));
  ASSERT_EQ(g->inputs.size(), 1u);
  EXPECT_EQ(g->inputs[0].key, "x");
  EXPECT_EQ(g->inputs[0].tensor_name, "serving_default_x:0");
  EXPECT_EQ(g->inputs[0].type.str(), "float32[?,4]");
  EXPECT_EQ(g->inputs[0].node->op, "Placeholder");
  ASSERT_EQ(g->outputs.size(), 1u);
  EXPECT_EQ(g->outputs[0].key, "y");
  EXPECT_EQ(g->outputs[0].type.str(), "float32[?,3]");
  // Identity(wrapper) <- Identity(model) <- Softmax, names prefixed by the call nodes.
  const ir::Node* out = g->outputs[0].value.node;
  EXPECT_EQ(out->name, "StatefulPartitionedCall/Identity");
  EXPECT_EQ(out->inputs.at(0).node->name, "StatefulPartitionedCall/StatefulPartitionedCall/Identity");
  auto h = histogram(*g);
  std::map<std::string, int> want = {{"Placeholder", 1}, {"Const", 4}, {"MatMul", 2}, {"BiasAdd", 2},
                                     {"Tanh", 1}, {"Softmax", 1}, {"Identity", 2}};
  EXPECT_EQ(h, want);
  ASSERT_EQ(g->variables.size(), 4u);
  EXPECT_EQ(g->variables[0].name, "dense/bias");
  EXPECT_EQ(g->variables[0].checkpoint_key, kMlpKeys[1]);
  EXPECT_EQ(g->variables[0].bytes, 32u);
  const ir::Node* mm =
      g->find("StatefulPartitionedCall/StatefulPartitionedCall/dense/MatMul");
  ASSERT_NE(mm, nullptr);
  EXPECT_EQ(mm->inputs[0].node, g->inputs[0].node);
  ASSERT_NE(mm->const_input(1), nullptr);
  EXPECT_EQ(*mm->const_input(1), w.k0);
  // The model function's control_ret/NoOp was folded away; no NoOp or control edge to one.
  EXPECT_EQ(g->library, nullptr);
  EXPECT_NO_THROW(g->topo_order());
}
INSTANTIATE_TEST_SUITE_P(BinaryAndText, MlpTest, ::testing::Values(false, true));

TEST(Loader, WrongSignatureKeyListsKeys) {
  TempDir dir;
  write_mlp(dir.path(), false);
  std::string e = error_of([&] { auto o = opts(dir.path()); o.signature_key = "predict"; return o; }());
  EXPECT_NE(e.find("no signature 'predict'"), std::string::npos) << e;
  EXPECT_NE(e.find("available: serving_default"), std::string::npos) << e;
  auto sigs = list_signatures(dir.path());
  ASSERT_EQ(sigs.size(), 1u);
  EXPECT_EQ(sigs[0].input_keys, std::vector<std::string>{"x"});
}

TEST(Loader, WrongTagsListTagSets) {
  TempDir dir;
  write_mlp(dir.path(), false);
  std::string e = error_of([&] { auto o = opts(dir.path()); o.tags = {"train"}; return o; }());
  EXPECT_NE(e.find("no MetaGraphDef with tags {train} (available: {serve})"), std::string::npos) << e;
}

// Rewrites the MLP SavedModel with `edit` applied, returns the load error.
template <typename Edit>
std::string mlp_error(Edit edit) {
  TempDir dir;
  MlpWeights w = default_mlp_weights();
  auto sm = mlp_saved_model(w);
  edit(*sm.mutable_meta_graphs(0));
  write_proto(dir.path() / "saved_model.pb", sm, false);
  test::write_bundle(dir.path() / "variables" / "variables", mlp_checkpoint(w));
  return error_of(opts(dir.path()));
}

tensorflow::FunctionDef& model_fn(tensorflow::MetaGraphDef& mg) {
  return *mg.mutable_graph_def()->mutable_library()->mutable_function(1);
}
tensorflow::NodeDef& body_node(tensorflow::MetaGraphDef& mg, const std::string& name) {
  for (auto& n : *model_fn(mg).mutable_node_def())
    if (n.name() == name) return n;
  throw std::runtime_error("no node " + name);
}

TEST(Loader, MissingFunction) {
  std::string e = mlp_error([](tensorflow::MetaGraphDef& mg) {
    mg.mutable_graph_def()->mutable_library()->mutable_function()->RemoveLast();
  });
  EXPECT_NE(e.find("calls function '__inference_model_call_90' which is not in the library"),
            std::string::npos) << e;
}

TEST(Loader, MissingNode) {
  std::string e = mlp_error([](tensorflow::MetaGraphDef& mg) {
    body_node(mg, "dense/Tanh").set_input(0, "dense/Nope:output:0");
  });
  EXPECT_NE(e.find("no node 'dense/Nope'"), std::string::npos) << e;
  EXPECT_NE(e.find("__inference_model_call_90"), std::string::npos) << e;
}

TEST(Loader, BadOutputIndex) {
  std::string e = mlp_error([](tensorflow::MetaGraphDef& mg) {
    body_node(mg, "dense/Tanh").set_input(0, "dense/BiasAdd:output:1");
  });
  EXPECT_NE(e.find("output output:1 is out of range"), std::string::npos) << e;
  e = mlp_error([](tensorflow::MetaGraphDef& mg) {
    body_node(mg, "dense/Tanh").set_input(0, "dense/BiasAdd:bogus:0");
  });
  EXPECT_NE(e.find("has no output arg 'bogus'"), std::string::npos) << e;
  e = mlp_error([](tensorflow::MetaGraphDef& mg) {
    (*mg.mutable_signature_def())["serving_default"].mutable_outputs()->at("y").set_name(
        "StatefulPartitionedCall:4");
  });
  EXPECT_NE(e.find("output 4 of node 'StatefulPartitionedCall' does not exist"), std::string::npos) << e;
}

TEST(Loader, CycleInFunction) {
  std::string e = mlp_error([](tensorflow::MetaGraphDef& mg) {
    body_node(mg, "dense/BiasAdd").set_input(0, "dense/Tanh:y:0");
  });
  EXPECT_NE(e.find("cycle"), std::string::npos) << e;
}

TEST(Loader, VariableErrors) {
  std::string e = mlp_error([](tensorflow::MetaGraphDef& mg) {
    (*mg.mutable_graph_def()->mutable_node(0)->mutable_attr())["shape"] = shape_attr({5, 8});
  });
  EXPECT_NE(e.find("variable 'dense/kernel' has shape [5,8]"), std::string::npos) << e;
  e = mlp_error([](tensorflow::MetaGraphDef& mg) {
    (*mg.mutable_graph_def()->mutable_node(1)->mutable_attr())["dtype"] = type_attr(DType::Double);
  });
  EXPECT_NE(e.find("variable 'dense/bias' is float64"), std::string::npos) << e;
}

TEST(Loader, MissingVariableInCheckpoint) {
  TempDir dir;
  MlpWeights w = default_mlp_weights();
  write_proto(dir.path() / "saved_model.pb", mlp_saved_model(w), false);
  auto entries = mlp_checkpoint(w);
  entries.pop_back();
  test::write_bundle(dir.path() / "variables" / "variables", entries);
  std::string e = error_of(opts(dir.path()));
  EXPECT_NE(e.find("variable 'dense_1/bias': key 'layer_with_weights-1/bias/.ATTRIBUTES/"
                   "VARIABLE_VALUE' is not in checkpoint"), std::string::npos) << e;
}

TEST(Loader, CheckpointCrcMismatchNamesFile) {
  TempDir dir;
  write_mlp(dir.path(), false);
  fs::path data = dir.path() / "variables" / "variables.data-00000-of-00001";
  std::fstream f(data, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(static_cast<std::streamoff>(fs::file_size(data) - 3));
  f.put('\x7f');
  f.close();
  std::string e = error_of(opts(dir.path()));
  EXPECT_NE(e.find("variables.data-00000-of-00001"), std::string::npos) << e;
}

TEST(Loader, MissingAndCorruptFiles) {
  TempDir dir;
  EXPECT_NE(error_of(opts(dir.path() / "nope")).find("no such file"), std::string::npos);
  EXPECT_NE(error_of(opts(dir.path())).find("no saved_model.pb"), std::string::npos);
  std::ofstream(dir.path() / "saved_model.pb") << "\xff\xff\xff garbage";
  EXPECT_NE(error_of(opts(dir.path())).find("cannot parse binary"), std::string::npos);
  fs::remove(dir.path() / "saved_model.pb");
  std::ofstream(dir.path() / "saved_model.pbtxt") << "meta_graphs { graph_def { node { name: ";
  std::string e = error_of(opts(dir.path()));
  EXPECT_NE(e.find("cannot parse text-format"), std::string::npos) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos) << e;
}

// Frozen graph: x and unused placeholders, a bool learning-phase placeholder to pin, a
// PlaceholderWithDefault left unfed.
tensorflow::GraphDef frozen_graph() {
  tensorflow::GraphDef gd;
  auto* n = gd.mutable_node();
  add(n, "x", "Placeholder", {}, {{"dtype", type_attr(DType::Float)}, {"shape", shape_attr({-1, 2})}});
  add(n, "unused", "Placeholder", {}, {{"dtype", type_attr(DType::Int64)}});
  add(n, "keras_learning_phase", "Placeholder", {}, {{"dtype", type_attr(DType::Bool)}});
  add_const(n, "scale/default", Tensor::from_vector<float>({}, {2.0f}));
  add(n, "scale", "PlaceholderWithDefault", {"scale/default"},
      {{"dtype", type_attr(DType::Float)}, {"shape", shape_attr({})}});
  add(n, "lp", "Cast", {"keras_learning_phase:0"},
      {{"SrcT", type_attr(DType::Bool)}, {"DstT", type_attr(DType::Float)}});
  add(n, "mul", "Mul", {"x", "scale"}, {{"T", type_attr(DType::Float)}});
  add(n, "out", "AddV2", {"mul:0", "lp"}, {{"T", type_attr(DType::Float)}});
  add(n, "other", "Neg", {"unused"}, {{"T", type_attr(DType::Int64)}});
  return gd;
}

TEST(Loader, FrozenGraphWithPinsAndUnusedPlaceholder) {
  for (bool text : {false, true}) {
    TempDir dir;
    fs::path file = dir.path() / (text ? "model.pbtxt" : "model.pb");
    write_proto(file, frozen_graph(), text);
    EXPECT_FALSE(is_saved_model(file));
    LoadOptions o = opts(file, {"x"}, {"out:0"});
    o.pinned.emplace("keras_learning_phase:0", Tensor::scalar<bool>(false));
    auto g = load_model(o);
    ASSERT_EQ(g->inputs.size(), 1u);
    EXPECT_EQ(g->inputs[0].key, "x");
    EXPECT_EQ(g->inputs[0].tensor_name, "x:0");
    EXPECT_EQ(g->inputs[0].type.str(), "float32[?,2]");
    EXPECT_EQ(g->outputs[0].key, "out:0");
    EXPECT_EQ(g->find("unused"), nullptr);
    EXPECT_EQ(g->find("other"), nullptr);
    const ir::Node* lp = g->find("keras_learning_phase");
    ASSERT_NE(lp, nullptr);
    EXPECT_TRUE(lp->is_const());
    EXPECT_EQ(lp->value->dtype(), DType::Bool);
    EXPECT_EQ(g->find("scale")->op, "Identity");
    EXPECT_EQ(g->find("scale")->inputs[0].node->name, "scale/default");
    EXPECT_TRUE(g->signature_key.empty());
  }
}

TEST(Loader, FrozenGraphErrors) {
  TempDir dir;
  fs::path file = dir.path() / "model.pb";
  write_proto(file, frozen_graph(), false);
  // learning phase neither fed nor pinned.
  std::string e = error_of(opts(file, {"x:0"}, {"out"}));
  EXPECT_NE(e.find("placeholder 'keras_learning_phase' is needed by the outputs"), std::string::npos) << e;
  e = error_of(opts(file, {"x:0"}));
  EXPECT_NE(e.find("needs its outputs named"), std::string::npos) << e;
  e = error_of(opts(file, {"x:0"}, {"mul:1"}));
  EXPECT_NE(e.find("has only 1 output"), std::string::npos) << e;
  auto gd = frozen_graph();
  gd.mutable_node(6)->set_input(0, "out");  // mul <- out <- mul
  write_proto(file, gd, false);
  LoadOptions o = opts(file, {"x"}, {"out"});
  o.pinned.emplace("keras_learning_phase:0", Tensor::scalar<bool>(false));
  e = error_of(o);
  EXPECT_NE(e.find("cycle in the graph through node"), std::string::npos) << e;
}

// TF1: VariableV2 + Identity "read", restored by a Saver (save/RestoreV2 + save/Assign).
TEST(Loader, Tf1VariableV2) {
  TempDir dir;
  tensorflow::SavedModel sm;
  auto* mg = sm.add_meta_graphs();
  mg->mutable_meta_info_def()->add_tags("serve");
  auto* n = mg->mutable_graph_def()->mutable_node();
  add(n, "w", "VariableV2", {}, {{"dtype", type_attr(DType::Float)}, {"shape", shape_attr({2})}});
  add(n, "w/read", "Identity", {"w"}, {{"T", type_attr(DType::Float)}});
  add(n, "x", "Placeholder", {}, {{"dtype", type_attr(DType::Float)}});
  add(n, "y", "Mul", {"w/read", "x"}, {{"T", type_attr(DType::Float)}});
  add_const(n, "save/Const", Tensor(DType::String, {}));
  Tensor names(DType::String, {1});
  names.strings()[0] = "weights/w";
  add_const(n, "save/RestoreV2/tensor_names", names);
  add_const(n, "save/RestoreV2/shape_and_slices", Tensor(DType::String, {1}));
  add(n, "save/RestoreV2", "RestoreV2",
      {"save/Const", "save/RestoreV2/tensor_names", "save/RestoreV2/shape_and_slices"},
      {{"dtypes", types_attr({DType::Float})}});
  add(n, "save/Assign", "Assign", {"w", "save/RestoreV2"}, {{"T", type_attr(DType::Float)}});
  add(n, "save/restore_all", "NoOp", {"^save/Assign"});
  mg->mutable_saver_def()->set_restore_op_name("save/restore_all");
  auto& sd = (*mg->mutable_signature_def())["serving_default"];
  (*sd.mutable_inputs())["x"].set_name("x:0");
  (*sd.mutable_inputs())["x"].set_dtype(tensorflow::DT_FLOAT);
  (*sd.mutable_outputs())["y"].set_name("y:0");
  (*sd.mutable_outputs())["y"].set_dtype(tensorflow::DT_FLOAT);
  write_proto(dir.path() / "saved_model.pb", sm, false);
  Tensor value = Tensor::from_vector<float>({2}, {0.5f, 3.0f});
  test::write_bundle(dir.path() / "variables" / "variables", {{"weights/w", value}});
  auto g = load_model(opts(dir.path()));
  EXPECT_EQ(g->inputs[0].type.str(), "float32[*]");
  ASSERT_EQ(g->variables.size(), 1u);
  EXPECT_EQ(g->variables[0].name, "w");
  EXPECT_EQ(g->variables[0].checkpoint_key, "weights/w");  // from the restore graph
  const ir::Node* read = g->find("w/read");
  ASSERT_TRUE(read && read->is_const());
  EXPECT_EQ(*read->value, value);
  EXPECT_EQ(histogram(*g), (std::map<std::string, int>{{"Const", 2}, {"Mul", 1}, {"Placeholder", 1}}));
}

}  // namespace
}  // namespace tfaot::frontend

namespace tfaot::frontend {
namespace {

// The example model shipped in examples/models/mlp is what the generator writes, and loads.
TEST(Loader, ShippedExampleModel) {
  fs::path shipped = test::source_dir() / "examples" / "models" / "mlp";
  TempDir fresh;
  write_mlp(fresh.path(), true);
  for (const char* f : {"saved_model.pbtxt", "variables/variables.index",
                        "variables/variables.data-00000-of-00001"}) {
    std::ifstream a(shipped / f, std::ios::binary), b(fresh.path() / f, std::ios::binary);
    std::string sa((std::istreambuf_iterator<char>(a)), {}), sb((std::istreambuf_iterator<char>(b)), {});
    EXPECT_FALSE(sa.empty()) << f;
    EXPECT_EQ(sa, sb) << f << " differs from the generator's output: rerun "
                           "tfaot_make_example_model examples/models/mlp";
  }
  auto g = load_model(opts(shipped));
  EXPECT_EQ(g->inputs.at(0).type.str(), "float32[?,4]");
  EXPECT_EQ(g->outputs.at(0).type.str(), "float32[?,3]");
  EXPECT_EQ(g->variables.size(), 4u);
  EXPECT_EQ(histogram(*g).at("MatMul"), 2);
}

}  // namespace
}  // namespace tfaot::frontend

namespace tfaot::frontend {
namespace {

// A 30k-node chain: deeper than an 8 MiB stack allows the recursive inliner (hence its
// big-stack thread).
TEST(Loader, DeepChain) {
  TempDir dir;
  tensorflow::GraphDef gd;
  auto* n = gd.mutable_node();
  add(n, "x", "Placeholder", {}, {{"dtype", type_attr(DType::Float)}});
  const int kDepth = 30000;
  for (int i = 0; i < kDepth; ++i)
    add(n, "n" + std::to_string(i), "Neg", {i ? "n" + std::to_string(i - 1) : "x"},
        {{"T", type_attr(DType::Float)}});
  write_proto(dir.path() / "chain.pb", gd, false);
  auto g = load_model(opts(dir.path() / "chain.pb", {"x:0"}, {"n" + std::to_string(kDepth - 1)}));
  EXPECT_EQ(g->size(), static_cast<size_t>(kDepth + 1));
}

}  // namespace
}  // namespace tfaot::frontend

namespace tfaot::frontend {
namespace {

// TF2 without an object graph: keys come from the restore function (RestoreV2 tensor_names
// -> AssignVariableOp on the captured handles), reached through saver_def.restore_op_name.
TEST(Loader, Tf2VariablesViaRestoreGraph) {
  TempDir dir;
  MlpWeights w = default_mlp_weights();
  auto sm = mlp_saved_model(w);
  auto& mg = *sm.mutable_meta_graphs(0);
  mg.clear_object_graph_def();
  auto* n = mg.mutable_graph_def()->mutable_node();
  add(n, "saver_filename", "Placeholder", {}, {{"dtype", type_attr(DType::String)}});
  std::vector<std::string> ins = {"saver_filename"};
  for (const char* v : kMlpVarNames) ins.push_back(v);
  add(n, "StatefulPartitionedCall_2", "StatefulPartitionedCall", ins,
      {{"Tin", types_attr({DType::String, DType::Resource, DType::Resource, DType::Resource, DType::Resource})},
       {"Tout", types_attr({DType::String})}, {"f", func_attr("__inference__traced_restore_200")}});
  mg.mutable_saver_def()->set_restore_op_name("StatefulPartitionedCall_2");
  auto* fn = mg.mutable_graph_def()->mutable_library()->add_function();
  auto* sig = fn->mutable_signature();
  sig->set_name("__inference__traced_restore_200");
  add_arg(sig, "file_prefix", DType::String, false);
  for (int i = 0; i < 4; ++i) add_arg(sig, "assignvariableop_resource_" + std::to_string(i), DType::Resource, false);
  add_arg(sig, "identity_out", DType::String, true);
  auto* b = fn->mutable_node_def();
  Tensor names(DType::String, {4});
  for (int i = 0; i < 4; ++i) names.strings()[i] = std::string("custom/") + kMlpVarNames[i];
  add_const(b, "RestoreV2/tensor_names", names);
  add_const(b, "RestoreV2/shape_and_slices", Tensor(DType::String, {4}));
  add(b, "RestoreV2", "RestoreV2",
      {"file_prefix", "RestoreV2/tensor_names:output:0", "RestoreV2/shape_and_slices:output:0"},
      {{"dtypes", types_attr({DType::Float, DType::Float, DType::Float, DType::Float})}});
  std::vector<std::string> deps = {"file_prefix"};
  // Assign in reverse order so that tensor index != argument index somewhere.
  for (int i = 0; i < 4; ++i) {
    std::string id = "Identity_" + std::to_string(i);
    add(b, id, "Identity", {"RestoreV2:tensors:" + std::to_string(i)}, {{"T", type_attr(DType::Float)}});
    add(b, "AssignVariableOp_" + std::to_string(i), "AssignVariableOp",
        {"assignvariableop_resource_" + std::to_string(i), id + ":output:0"},
        {{"dtype", type_attr(DType::Float)}});
    deps.push_back("^AssignVariableOp_" + std::to_string(i));
  }
  add(b, "Identity_out", "Identity", deps, {{"T", type_attr(DType::String)}});
  (*fn->mutable_ret())["identity_out"] = "Identity_out:output:0";
  write_proto(dir.path() / "saved_model.pb", sm, false);
  test::write_bundle(dir.path() / "variables" / "variables",
                     {{"custom/dense/kernel", w.k0}, {"custom/dense/bias", w.b0},
                      {"custom/dense_1/kernel", w.k1}, {"custom/dense_1/bias", w.b1}});
  auto g = load_model(opts(dir.path()));
  ASSERT_EQ(g->variables.size(), 4u);
  EXPECT_EQ(g->variables[1].name, "dense/kernel");
  EXPECT_EQ(g->variables[1].checkpoint_key, "custom/dense/kernel");
  const ir::Node* mm = g->find("StatefulPartitionedCall/StatefulPartitionedCall/dense_1/MatMul");
  ASSERT_TRUE(mm && mm->const_input(1));
  EXPECT_EQ(*mm->const_input(1), w.k1);
  EXPECT_EQ(g->find("saver_filename"), nullptr);  // the restore graph is not part of the model
}

// ResourceGather on a captured variable becomes GatherV2 of the constant, axis 0.
TEST(Loader, ResourceGatherBecomesGatherV2) {
  TempDir dir;
  MlpWeights w = default_mlp_weights();
  auto sm = mlp_saved_model(w);
  auto& mg = *sm.mutable_meta_graphs(0);
  auto& fn = *mg.mutable_graph_def()->mutable_library()->mutable_function(1);
  for (auto& nd : *fn.mutable_node_def())
    if (nd.name() == "dense_1/BiasAdd/ReadVariableOp") {
      // bias[idx] with idx = [2, 0, 1]: a permuted bias, still shape [3].
      nd.set_op("ResourceGather");
      nd.add_input("perm:output:0");
      (*nd.mutable_attr())["Tindices"] = type_attr(DType::Int32);
      (*nd.mutable_attr())["batch_dims"].set_i(0);
    }
  add_const(fn.mutable_node_def(), "perm", Tensor::from_vector<int32_t>({3}, {2, 0, 1}));
  for (auto& nd : *fn.mutable_node_def())
    if (nd.name() == "dense_1/BiasAdd") nd.set_input(1, "dense_1/BiasAdd/ReadVariableOp:output:0");
  write_proto(dir.path() / "saved_model.pb", sm, false);
  test::write_bundle(dir.path() / "variables" / "variables", mlp_checkpoint(w));
  auto g = load_model(opts(dir.path()));
  const ir::Node* gather = g->find("StatefulPartitionedCall/StatefulPartitionedCall/dense_1/BiasAdd/ReadVariableOp");
  ASSERT_NE(gather, nullptr);
  EXPECT_EQ(gather->op, "GatherV2");
  ASSERT_EQ(gather->inputs.size(), 3u);
  ASSERT_NE(gather->const_input(0), nullptr);
  EXPECT_EQ(*gather->const_input(0), w.b1);
  EXPECT_EQ(*gather->const_input(2), Tensor::scalar<int32_t>(0));
  EXPECT_EQ(gather->attr_type("Tparams"), DType::Float);
  EXPECT_EQ(gather->attr_int("batch_dims"), 0);
}

}  // namespace
}  // namespace tfaot::frontend

namespace tfaot::frontend {
namespace {

// A While loop that receives a variable handle as a loop variable (as Keras RNNs do): the
// handle input becomes a Const and cond/body get rewritten copies where the argument holds
// the value (ReadVariableOp -> Identity). Keys via a TF1-style restore graph on a VarHandleOp.
TEST(Loader, WhileWithCapturedVariable) {
  using T = DType;
  TempDir dir;
  tensorflow::SavedModel sm;
  auto* mg = sm.add_meta_graphs();
  mg->mutable_meta_info_def()->add_tags("serve");
  auto* gd = mg->mutable_graph_def();
  auto* n = gd->mutable_node();
  add(n, "v", "VarHandleOp", {}, {{"dtype", type_attr(T::Float)}, {"shape", shape_attr({2})},
                                  {"shared_name", string_attr("v")}});
  add(n, "x", "Placeholder", {}, {{"dtype", type_attr(T::Float)}, {"shape", shape_attr({2})}});
  add_const(n, "i0", Tensor::scalar<int32_t>(0));
  add(n, "loop", "While", {"i0", "x", "v"},
      {{"T", types_attr({T::Int32, T::Float, T::Resource})}, {"cond", func_attr("cond")},
       {"body", func_attr("body")}});
  add(n, "y", "Identity", {"loop:1"}, {{"T", type_attr(T::Float)}});
  add_const(n, "save/Const", Tensor(T::String, {}));
  Tensor names(T::String, {1});
  names.strings()[0] = "v_key";
  add_const(n, "save/names", names);
  add_const(n, "save/slices", Tensor(T::String, {1}));
  add(n, "save/RestoreV2", "RestoreV2", {"save/Const", "save/names", "save/slices"},
      {{"dtypes", types_attr({T::Float})}});
  add(n, "save/Identity", "Identity", {"save/RestoreV2"}, {{"T", type_attr(T::Float)}});
  add(n, "save/Assign", "AssignVariableOp", {"v", "save/Identity"}, {{"dtype", type_attr(T::Float)}});
  add(n, "save/restore_all", "NoOp", {"^save/Assign"});
  mg->mutable_saver_def()->set_restore_op_name("save/restore_all");

  auto* cond = gd->mutable_library()->add_function();
  cond->mutable_signature()->set_name("cond");
  add_arg(cond->mutable_signature(), "i", T::Int32, false);
  add_arg(cond->mutable_signature(), "acc", T::Float, false);
  add_arg(cond->mutable_signature(), "h", T::Resource, false);
  add_arg(cond->mutable_signature(), "out", T::Bool, true);
  add_const(cond->mutable_node_def(), "three", Tensor::scalar<int32_t>(3));
  add(cond->mutable_node_def(), "less", "Less", {"i", "three:output:0"}, {{"T", type_attr(T::Int32)}});
  (*cond->mutable_ret())["out"] = "less:z:0";
  auto* body = gd->mutable_library()->add_function();
  body->mutable_signature()->set_name("body");
  for (auto [name, t] : std::vector<std::pair<const char*, T>>{{"i", T::Int32}, {"acc", T::Float}, {"h", T::Resource}})
    add_arg(body->mutable_signature(), name, t, false);
  for (auto [name, t] : std::vector<std::pair<const char*, T>>{{"i_out", T::Int32}, {"acc_out", T::Float}, {"h_out", T::Resource}})
    add_arg(body->mutable_signature(), name, t, true);
  auto* bn = body->mutable_node_def();
  add_const(bn, "one", Tensor::scalar<int32_t>(1));
  add(bn, "inc", "AddV2", {"i", "one:output:0"}, {{"T", type_attr(T::Int32)}});
  add(bn, "read", "ReadVariableOp", {"h"}, {{"dtype", type_attr(T::Float)}});
  add(bn, "sum", "AddV2", {"acc", "read:value:0"}, {{"T", type_attr(T::Float)}});
  (*body->mutable_ret())["i_out"] = "inc:z:0";
  (*body->mutable_ret())["acc_out"] = "sum:z:0";
  (*body->mutable_ret())["h_out"] = "h";

  auto& sd = (*mg->mutable_signature_def())["serving_default"];
  (*sd.mutable_inputs())["x"].set_name("x:0");
  (*sd.mutable_inputs())["x"].set_dtype(tensorflow::DT_FLOAT);
  (*sd.mutable_outputs())["y"].set_name("y:0");
  (*sd.mutable_outputs())["y"].set_dtype(tensorflow::DT_FLOAT);
  write_proto(dir.path() / "saved_model.pb", sm, false);
  Tensor value = Tensor::from_vector<float>({2}, {1.0f, -1.0f});
  test::write_bundle(dir.path() / "variables" / "variables", {{"v_key", value}});

  auto g = load_model(opts(dir.path()));
  ASSERT_EQ(g->variables.size(), 1u);
  EXPECT_EQ(g->variables[0].checkpoint_key, "v_key");
  const ir::Node* loop = g->find("loop");
  ASSERT_NE(loop, nullptr);
  ASSERT_NE(loop->const_input(2), nullptr);
  EXPECT_EQ(*loop->const_input(2), value);
  EXPECT_EQ(loop->find_attr("T")->list().type(2), tensorflow::DT_FLOAT);
  EXPECT_EQ(g->find("v"), nullptr);
  ASSERT_NE(g->library, nullptr);
  const tensorflow::FunctionDef* new_body = nullptr;
  for (const auto& f : g->library->function())
    if (f.signature().name() == loop->find_attr("body")->func().name()) new_body = &f;
  ASSERT_NE(new_body, nullptr);
  EXPECT_NE(new_body->signature().name(), "body");
  EXPECT_EQ(new_body->signature().input_arg(2).type(), tensorflow::DT_FLOAT);
  EXPECT_EQ(new_body->signature().output_arg(2).type(), tensorflow::DT_FLOAT);
  for (const auto& nd : new_body->node_def()) {
    EXPECT_NE(nd.op(), "ReadVariableOp");
    if (nd.name() == "sum") EXPECT_EQ(nd.input(1), "read:output:0");
    if (nd.name() == "read") EXPECT_EQ(nd.op(), "Identity");
  }
  EXPECT_NE(loop->find_attr("cond")->func().name(), "cond");
}

}  // namespace
}  // namespace tfaot::frontend
