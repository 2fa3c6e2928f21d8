// The real-model corpus (../shared/models, made by real TensorFlow): every model loads, its
// resolved signature equals the catalog's, every variable resolves (and is CRC-checked by the
// checkpoint reader), and the op types after inlining and variable resolution match the
// catalog's. Every model under bad/ must give a tfaot::Error.
//
// Op-set rule. expected = catalog ops, minus the call and variable plumbing the front end
// removes {StatefulPartitionedCall, PartitionedCall, VarHandleOp, ReadVariableOp, VariableV2,
// NoOp}, with ResourceGather -> GatherV2. actual = op types of the resolved graph plus those of
// every library function still referenced (While/If bodies, transitively), minus the call ops
// inside those bodies. The two must be equal after removing {Const, Identity, Placeholder,
// PlaceholderWithDefault, NoOp} from both (NoOps stay inside untouched loop bodies): variables become Const; Identity reads of TF1 variables
// become Const; a fed tensor (signature input) becomes a Placeholder and what was behind it
// (e.g. a PlaceholderWithDefault's default Const) disappears; an unfed PlaceholderWithDefault
// becomes Identity.
//
// TF1 while loops (catalog ops with NextIteration) load as functional While nodes (see
// tf1_loops.h): their expected ops lose the frame plumbing {Enter, Exit, NextIteration,
// LoopCond} and gain While, and TensorArray V3 ops become their TensorList counterparts.
// Switch/Merge (and Range, when an unstack's range feeds only the scatter) are not compared
// for them (loop plumbing is gone; conditionals may remain).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <set>

#include "frontend/loader.h"
#include "test_util.h"

namespace tfaot::frontend {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

ir::TensorType catalog_type(const json& t) {
  ir::TensorType type;
  type.dtype = dtype_from_name(t.at("dtype").get<std::string>());
  if (t.at("shape").is_null())
    type.rank_known = false;
  else
    type.shape = t.at("shape").get<std::vector<int64_t>>();
  return type;
}

std::set<std::string> resolved_ops(const ir::Graph& g) {
  std::set<std::string> ops;
  for (const auto& n : g.nodes()) ops.insert(n->op);
  if (!g.library) return ops;
  std::map<std::string, const tensorflow::FunctionDef*> fns;
  for (const auto& f : g.library->function()) fns[f.signature().name()] = &f;
  std::vector<std::string> todo;
  std::set<std::string> seen;
  auto refs = [&](const google::protobuf::Map<std::string, tensorflow::AttrValue>& attrs) {
    for (const auto& [k, a] : attrs) {
      if (a.has_func()) todo.push_back(a.func().name());
      for (const auto& f : a.list().func()) todo.push_back(f.name());
    }
  };
  for (const auto& n : g.nodes())
    for (const auto& [k, a] : n->attrs) {
      if (a.has_func()) todo.push_back(a.func().name());
      for (const auto& f : a.list().func()) todo.push_back(f.name());
    }
  while (!todo.empty()) {
    std::string name = todo.back();
    todo.pop_back();
    if (!seen.insert(name).second) continue;
    auto it = fns.find(name);
    if (it == fns.end()) ADD_FAILURE() << "library function " << name << " missing";
    if (it == fns.end()) continue;
    for (const auto& nd : it->second->node_def()) {
      refs(nd.attr());
      if (fns.count(nd.op())) {
        todo.push_back(nd.op());
        continue;
      }
      if (nd.op() != "StatefulPartitionedCall" && nd.op() != "PartitionedCall") ops.insert(nd.op());
    }
  }
  return ops;
}

std::set<std::string> expected_ops(const json& model) {
  static const std::set<std::string> removed = {"StatefulPartitionedCall", "PartitionedCall",
                                                "VarHandleOp", "ReadVariableOp", "VariableV2",
                                                "NoOp"};
  std::set<std::string> ops;
  for (const auto& o : model.at("ops")) {
    std::string op = o.get<std::string>();
    if (removed.count(op)) continue;
    ops.insert(op == "ResourceGather" ? "GatherV2" : op);
  }
  return ops;
}

std::set<std::string> without_plumbing(std::set<std::string> ops) {
  for (const char* op : {"Const", "Identity", "Placeholder", "PlaceholderWithDefault", "NoOp"})
    ops.erase(op);
  return ops;
}

std::string join(const std::set<std::string>& s) {
  std::string out;
  for (const auto& x : s) out += (out.empty() ? "" : ",") + x;
  return out;
}

TEST(Corpus, EveryModelLoadsWithItsCatalogSignature) {
  TFAOT_REQUIRE_SHARED_MODELS(models);
  json catalog = json::parse(std::ifstream(models / "catalog.json"));
  int loaded = 0, rejected_bad = 0, unsupported = 0, variables = 0;
  for (const auto& m : catalog.at("models")) {
    const std::string id = m.at("id");
    const bool bad = m.at("category") == "bad_input";
    const bool frozen = m.at("format") == "frozen_graph";
    LoadOptions o;
    o.path = bad ? models / "bad" / id : models / id;
    if (frozen) {
      o.path /= m.at("model_file").get<std::string>();
      for (const auto& in : m.at("signature").at("inputs"))
        if (in.value("used_by_outputs", true)) o.inputs.push_back(in.at("name"));
      for (const auto& out : m.at("signature").at("outputs")) o.outputs.push_back(out.at("name"));
    } else {
      o.signature_key = m.at("signature_key");
      o.tags = m.at("saved_model_tags").get<std::vector<std::string>>();
    }
    std::unique_ptr<ir::Graph> g;
    std::string error;
    try {
      g = load_model(o);
    } catch (const Error& e) {
      error = e.what();
    }
    if (bad) {
      EXPECT_FALSE(error.empty()) << id << ": a broken model loaded without error";
      EXPECT_EQ(error.find('\n'), std::string::npos) << id << ": " << error;
      std::printf("[ bad      ] %-36s error: %s\n", id.c_str(), error.c_str());
      rejected_bad += !error.empty();
      continue;
    }
    const auto& ops_json = m.at("ops");
    const bool v1_loop = std::find(ops_json.begin(), ops_json.end(), "NextIteration") != ops_json.end();
    unsupported += v1_loop && !error.empty();
    if (!error.empty()) {
      ADD_FAILURE() << id << ": " << error;
      continue;
    }
    SCOPED_TRACE(id);
    // Signature.
    auto check_io = [&](const auto& got, const json& want, bool is_input) {
      std::vector<json> w;
      for (const auto& x : want)
        if (!is_input || !frozen || x.value("used_by_outputs", true)) w.push_back(x);
      if (!frozen)
        std::sort(w.begin(), w.end(), [](const json& a, const json& b) { return a.at("key") < b.at("key"); });
      ASSERT_EQ(got.size(), w.size());
      for (size_t i = 0; i < w.size(); ++i) {
        EXPECT_EQ(got[i].key, frozen ? w[i].at("name").get<std::string>() : w[i].at("key").get<std::string>());
        EXPECT_EQ(got[i].tensor_name, w[i].at("name").get<std::string>());
        ir::TensorType t = catalog_type(w[i]);
        EXPECT_EQ(got[i].type.dtype, t.dtype) << got[i].key;
        if (!frozen || is_input) {
          // The catalog writes null for unknown rank and also for scalars (GOLDEN.md notes it
          // for tf_vars_and_arithmetic_module and rust_addition_graphdef).
          bool null_ok = !t.rank_known && got[i].type.rank_known && got[i].type.shape.empty();
          if (!null_ok) {
            EXPECT_EQ(got[i].type.rank_known, t.rank_known) << got[i].key;
            EXPECT_EQ(got[i].type.shape, t.shape) << got[i].key;
          }
        }
      }
    };
    check_io(g->inputs, m.at("signature").at("inputs"), true);
    check_io(g->outputs, m.at("signature").at("outputs"), false);
    // Variables all resolved.
    for (const auto& n : g->nodes()) {
      EXPECT_NE(n->op, "VarHandleOp") << n->name;
      EXPECT_NE(n->op, "ReadVariableOp") << n->name;
      EXPECT_NE(n->op, "VariableV2") << n->name;
      EXPECT_NE(n->op, "StatefulPartitionedCall") << n->name;
      EXPECT_NE(n->op, "PartitionedCall") << n->name;
    }
    const auto& flags = m.at("flags");
    bool reads = std::find(flags.begin(), flags.end(), "reads_variables") != flags.end();
    EXPECT_EQ(!g->variables.empty(), reads);
    for (const auto& v : g->variables) EXPECT_FALSE(v.checkpoint_key.empty()) << v.name;
    variables += static_cast<int>(g->variables.size());
    // Ops.
    auto want = without_plumbing(expected_ops(m));
    auto got = without_plumbing(resolved_ops(*g));
    if (v1_loop) {
      static const std::map<std::string, std::string> tensor_array = {
          {"TensorArrayV3", "TensorListReserve"},    {"TensorArrayScatterV3", "TensorListFromTensor"},
          {"TensorArrayReadV3", "TensorListGetItem"}, {"TensorArrayWriteV3", "TensorListSetItem"},
          {"TensorArrayGatherV3", "TensorListStack"}, {"TensorArraySizeV3", "TensorListLength"}};
      std::set<std::string> w = {"While"};
      for (const auto& op : want)
        if (tensor_array.count(op)) w.insert(tensor_array.at(op));
        else if (!std::set<std::string>{"Enter", "Exit", "NextIteration", "LoopCond", "Switch",
                                        "Merge"}.count(op)) w.insert(op);
      if (want.count("TensorArrayScatterV3")) {  // unstack's Range is dead once it is FromTensor
        w.erase("Range");
        got.erase("Range");
      }
      want = w;
      got.erase("Switch");
      got.erase("Merge");
      for (const auto& op : {"Enter", "Exit", "NextIteration", "LoopCond"}) EXPECT_FALSE(got.count(op)) << op;
    }
    // Lookup tables are resolved at load time (frontend/tables): the table and its finds
    // become one _TableFind per lookup.
    if (want.count("LookupTableFindV2")) {
      for (const char* op : {"HashTableV2", "MutableHashTableV2", "LookupTableFindV2"}) want.erase(op);
      want.insert("_TableFind");
    }
    EXPECT_EQ(join(got), join(want));
    EXPECT_NO_THROW(g->topo_order());
    std::printf("[ loaded   ] %-36s %5zu nodes, %3zu variables, %zu inputs, %zu outputs\n", id.c_str(),
                g->size(), g->variables.size(), g->inputs.size(), g->outputs.size());
    ++loaded;
  }
  EXPECT_EQ(unsupported, 0);
  std::printf("[ corpus   ] %d loaded, %d TF1-loop models failed, %d bad models rejected, %d "
              "variables resolved\n", loaded, unsupported, rejected_bad, variables);
}

}  // namespace
}  // namespace tfaot::frontend
