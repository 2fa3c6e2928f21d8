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
