// Variable resolution tests on self-built fixtures: TF1 VariableV2 via the Saver, TF2 keys
// via the restore function, ResourceGather, and variables captured by While loops.
#include <gtest/gtest.h>

#include "frontend/loader.h"
#include "frontend/test_fixtures.h"
#include "test_util.h"

namespace tfaot::frontend {
namespace {

namespace fs = std::filesystem;
using namespace fixtures;
using test::TempDir;

LoadOptions opts(const fs::path& path) {
  LoadOptions o;
  o.path = path;
  return o;
}

std::map<std::string, int> histogram(const ir::Graph& g) {
  std::map<std::string, int> h;
  for (const auto& n : g.nodes()) ++h[n->op];
  return h;
}

// TF1: VariableV2 + Identity "read", restored by a Saver (save/RestoreV2 + save/Assign).
TEST(Variables, Tf1VariableV2) {
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

// TF2 without an object graph: keys come from the restore function (RestoreV2 tensor_names
// -> AssignVariableOp on the captured handles), reached through saver_def.restore_op_name.
TEST(Variables, Tf2VariablesViaRestoreGraph) {
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
TEST(Variables, ResourceGatherBecomesGatherV2) {
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


// A While loop that receives a variable handle as a loop variable (as Keras RNNs do): the
// handle input becomes a Const and cond/body get rewritten copies where the argument holds
// the value (ReadVariableOp -> Identity). Keys via a TF1-style restore graph on a VarHandleOp.
TEST(Variables, WhileWithCapturedVariable) {
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
    if (nd.name() == "sum") {
      EXPECT_EQ(nd.input(1), "read:output:0");
    }
    if (nd.name() == "read") {
      EXPECT_EQ(nd.op(), "Identity");
    }
  }
  EXPECT_NE(loop->find_attr("cond")->func().name(), "cond");
}

}  // namespace
}  // namespace tfaot::frontend
