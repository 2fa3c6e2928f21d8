// Back-end tests on hand-built graphs (Placeholder / Const / Identity): memory planning,
// weight deduplication, header metadata, and generated code run through the JIT.
#include <gtest/gtest.h>

#include <algorithm>

#include "backend/dispatch.h"
#include "backend/emitter.h"
#include "backend/jit.h"
#include "backend/memory_plan.h"
#include "backend/package.h"
#include "backend/toolchain.h"
#include "backend/weights.h"
#include "ops/interpreter.h"
#include "ops/op.h"

namespace tfaot::backend {
namespace {

TEST(MemoryPlan, DisjointLifetimesShareOverlappingDoNot) {
  // a: [0,1], b: [1,2] overlap; c: [2,3] may reuse a.
  MemoryPlan p = plan_memory({{100, 0, 1}, {100, 1, 2}, {100, 2, 3}});
  ASSERT_EQ(p.offsets.size(), 3u);
  EXPECT_NE(p.offsets[0], p.offsets[1]);
  EXPECT_NE(p.offsets[1], p.offsets[2]);
  EXPECT_EQ(p.offsets[0], p.offsets[2]);
  EXPECT_EQ(p.total_bytes, 256u);
  for (auto o : p.offsets) EXPECT_EQ(o % 64, 0u);
}

TEST(MemoryPlan, EmptyAndZeroSized) {
  EXPECT_EQ(plan_memory({}).total_bytes, 0u);
  MemoryPlan p = plan_memory({{0, 0, 0}, {0, 0, 0}});
  EXPECT_NE(p.offsets[0], p.offsets[1]);  // distinct addresses even when empty
}

TEST(MemoryPlan, NoOverlapInTimeMeansNoOverlapInSpace) {
  std::vector<BufferRequest> r;
  for (int i = 0; i < 40; ++i) r.push_back({static_cast<uint64_t>(37 * (i % 7) + 1), i % 9, i % 9 + i % 4});
  MemoryPlan p = plan_memory(r);
  for (size_t i = 0; i < r.size(); ++i)
    for (size_t j = i + 1; j < r.size(); ++j) {
      bool live_together = r[i].first <= r[j].last && r[j].first <= r[i].last;
      bool share = p.offsets[i] < p.offsets[j] + r[j].bytes && p.offsets[j] < p.offsets[i] + r[i].bytes;
      EXPECT_FALSE(live_together && share) << i << " " << j;
    }
}

TEST(Weights, DeduplicatedAndAligned) {
  WeightPool w;
  Tensor a = Tensor::from_vector<float>({3}, {1, 2, 3});
  Tensor b = Tensor::from_vector<float>({2}, {4, 5});
  uint64_t oa = w.add(a), ob = w.add(b), oa2 = w.add(a);
  EXPECT_EQ(oa, oa2);
  EXPECT_NE(oa, ob);
  EXPECT_EQ(ob % 64, 0u);
  EXPECT_EQ(w.size(), ob + b.byte_size());
  EXPECT_EQ(mangle_variable(weights_symbol_parts("tfaot_model", "simple")),
            "_ZN11tfaot_model14simple_weights4dataE");
  EXPECT_EQ(mangle_variable(weights_symbol_parts("a::b", "m")), "_ZN1a1b9m_weights4dataE");
  EXPECT_NE(w.assembly("tfaot_model", "simple", "simple_weights.bin").find(".incbin \"simple_weights.bin\""),
            std::string::npos);
}

// x (float[2,3]) -> Identity -> Identity -> y; plus a large constant output, a small constant
// output, the input passed through, and the same value under two keys.
struct TestGraph {
  ir::Graph g;
  Tensor big, small;
  TestGraph() {
    ir::TensorType t{DType::Float, {2, 3}, true};
    ir::Node* x = g.add_node("x", "Placeholder");
    x->outputs = {t};
    std::vector<float> bigv(100);
    for (int i = 0; i < 100; ++i) bigv[i] = 0.25f * i - 3.0f;
    big = Tensor::from_vector<float>({100}, bigv);
    small = Tensor::from_vector<int32_t>({2}, {-2147483647 - 1, 7});
    ir::Node* cb = g.add_const("big", big);
    ir::Node* cs = g.add_const("small", small);
    ir::Node* id1 = g.add_node("id1", "Identity");
    id1->inputs = {{x, 0}};
    ops::find_op("Identity")->infer(*id1);
    ir::Node* id2 = g.add_node("id2", "Identity");
    id2->inputs = {{id1, 0}};
    ops::find_op("Identity")->infer(*id2);
    ir::Node* id3 = g.add_node("id3", "Identity");
    id3->inputs = {{cb, 0}};
    ops::find_op("Identity")->infer(*id3);
    g.inputs.push_back({"x", "x:0", t, x});
    g.outputs.push_back({"a_y", "id2:0", t, {id2, 0}});
    g.outputs.push_back({"b_big", "big:0", cb->outputs[0], {cb, 0}});
    g.outputs.push_back({"c_small", "small:0", cs->outputs[0], {cs, 0}});
    g.outputs.push_back({"d_x", "x:0", t, {x, 0}});
    g.outputs.push_back({"e_y_again", "id2:0", t, {id2, 0}});
    g.outputs.push_back({"f_big_copy", "id3:0", cb->outputs[0], {id3, 0}});
  }
};

TEST(Emitter, HeaderMetadata) {
  TestGraph tg;
  WeightPool w;
  UnitOptions o;
  o.model = "toy";
  o.batch_size = 2;
  GeneratedUnit u = emit_unit(tg.g, o, w);
  EXPECT_EQ(u.info.inputs.size(), 1u);
  EXPECT_EQ(u.info.outputs.size(), 6u);
  EXPECT_EQ(w.size(), 400u);  // the large constant once, though used twice
  EXPECT_EQ(u.info.weight_bytes, 408u);
  EXPECT_NE(u.header.find("struct toy_bs2 {"), std::string::npos);
  EXPECT_NE(u.header.find("input_names[] = {\"x\"}"), std::string::npos);
  EXPECT_NE(u.header.find("input_shape_0[] = {2, 3}"), std::string::npos);
  EXPECT_NE(u.header.find("output_counts[] = {6, 100, 2, 6, 6, 100}"), std::string::npos);
  EXPECT_NE(u.source.find("(-2147483647 - 1)"), std::string::npos);
  EXPECT_EQ(u.source.find("malloc"), std::string::npos);
  // Deterministic.
  WeightPool w2;
  EXPECT_EQ(emit_unit(tg.g, o, w2).source, u.source);
}

TEST(Emitter, RejectsBadModelName) {
  TestGraph tg;
  WeightPool w;
  UnitOptions o;
  for (const char* bad : {"bad-name", "class", "_X", "m_"}) {
    o.model = bad;
    EXPECT_THROW(emit_unit(tg.g, o, w), Error) << bad;
  }
  o.model = "m";
  o.ns = "a::std";
  EXPECT_THROW(emit_unit(tg.g, o, w), Error);
}

// String literals of generated code: every byte is written so that no character sequence ends
// the literal or forms a trigraph ("??/" is a backslash in C++14 and with -trigraphs).
TEST(Emitter, StringLiteralsAreInert) {
  EXPECT_EQ(cpp_string_literal("a?" "?/\"b"), "\"a\\?\\?/\\\"b\"");
  EXPECT_EQ(cpp_string_literal("x\n*/\r\\"), "\"x\\012*/\\015\\\\\"");
  EXPECT_EQ(cpp_string_literal(std::string("\0\xff", 2)), "\"\\000\\377\"");
}

TEST(Jit, GeneratedCodeMatchesReference) {
  TestGraph tg;
  Tensor x = Tensor::from_vector<float>({2, 3}, {1, -2, 3.5f, 4, 5e-8f, -6});
  JitOptions jo;
  std::vector<Tensor> out = run_generated(tg.g, {x}, jo);
  ASSERT_EQ(out.size(), 6u);
  EXPECT_EQ(out[0], x);
  EXPECT_EQ(out[1], tg.big);
  EXPECT_EQ(out[2], tg.small);
  EXPECT_EQ(out[3], x);
  EXPECT_EQ(out[4], x);
  EXPECT_EQ(out[5], tg.big);
}

// Out of process: a static program with a run-time dispatch object (x86-64-v2/v3), run twice
// directly; each run must equal the in-process result.
TEST(Jit, ExecutableWithDispatchMatchesInProcess) {
  if (host_arch() != TargetArch::X86_64) GTEST_SKIP() << "run-time dispatch is x86-64 only";
  TestGraph tg;
  Tensor x = Tensor::from_vector<float>({2, 3}, {1, -2, 3.5f, 4, 5e-8f, -6});
  JitOptions jo;
  std::vector<Tensor> want = run_generated(tg.g, {x}, jo);
  jo.target = "x86-64-v2,x86-64-v3";
  jo.opt_level = "-O0";  // copies only: the build dominates the test's time
  EXPECT_TRUE(needs_executable(jo));
  jo.runners = {"", "env"};
  std::vector<std::vector<Tensor>> runs = run_generated_executable(tg.g, {x}, jo);
  ASSERT_EQ(runs.size(), 2u);
  for (const auto& got : runs) {
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(got[i], want[i]) << i;
  }
  jo.runners = {"tfaot-no-such-runner"};
  EXPECT_THROW(run_generated_executable(tg.g, {x}, jo), Error);
}

TEST(Jit, CrossTargetNeedsARunner) {
  TestGraph tg;
  Tensor x = Tensor::from_vector<float>({2, 3}, {1, -2, 3.5f, 4, 5e-8f, -6});
  JitOptions jo;
  jo.target = host_arch() == TargetArch::X86_64 ? "aarch64" : "x86-64-v2";
  EXPECT_TRUE(needs_executable(jo));
  try {
    run_generated(tg.g, {x}, jo);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("give a runner"), std::string::npos) << e.what();
  }
}

TEST(Jit, WrongInputShapeIsAnError) {
  TestGraph tg;
  Tensor x = Tensor::from_vector<float>({3}, {1, 2, 3});
  EXPECT_THROW(run_generated(tg.g, {x}), Error);
}

// A small MLP built from real ops: generated code (scratch reuse, in-place ops, weights blob
// and inlined constants) must agree with the reference interpreter.
TEST(Jit, MlpMatchesInterpreter) {
  ir::Graph g;
  ir::TensorType xt{DType::Float, {3, 5}, true};
  ir::Node* x = g.add_node("x", "Placeholder");
  x->outputs = {xt};
  std::vector<float> wv(5 * 16), bv(16), w2v(16 * 2);
  for (size_t i = 0; i < wv.size(); ++i) wv[i] = 0.05f * static_cast<float>(static_cast<int>(i % 11) - 5);
  for (size_t i = 0; i < bv.size(); ++i) bv[i] = 0.01f * static_cast<float>(i);
  for (size_t i = 0; i < w2v.size(); ++i) w2v[i] = 0.1f * static_cast<float>(static_cast<int>(i % 7) - 3);
  ir::Node* w = g.add_const("w", Tensor::from_vector<float>({5, 16}, wv));
  ir::Node* b = g.add_const("b", Tensor::from_vector<float>({16}, bv));
  ir::Node* w2 = g.add_const("w2", Tensor::from_vector<float>({16, 2}, w2v));
  auto add = [&](const std::string& name, const std::string& op, std::vector<ir::Value> in) {
    ir::Node* n = g.add_node(name, op);
    n->inputs = std::move(in);
    n->attrs["T"].set_type(tensorflow::DT_FLOAT);
    const ops::Op* impl = ops::find_op(op);
    if (!impl) throw Error("op " + op + " not registered");
    impl->infer(*n);
    return n;
  };
  ir::Node* mm = add("mm", "MatMul", {{x, 0}, {w, 0}});
  ir::Node* ba = add("ba", "BiasAdd", {{mm, 0}, {b, 0}});
  ir::Node* th = add("th", "Tanh", {{ba, 0}});
  ir::Node* mm2 = add("mm2", "MatMul", {{th, 0}, {w2, 0}});
  ir::Node* sm = add("sm", "Softmax", {{mm2, 0}});
  g.inputs.push_back({"x", "x:0", xt, x});
  g.outputs.push_back({"logits", "mm2:0", mm2->outputs[0], {mm2, 0}});
  g.outputs.push_back({"probs", "sm:0", sm->outputs[0], {sm, 0}});
  std::vector<float> xv(15);
  for (size_t i = 0; i < xv.size(); ++i) xv[i] = 0.3f * static_cast<float>(i % 4) - 0.5f;
  Tensor xin = Tensor::from_vector<float>({3, 5}, xv);
  auto want = ops::interpret(g, {xin});
  auto got = run_generated(g, {xin});
  ASSERT_EQ(got.size(), 2u);
  for (size_t o = 0; o < 2; ++o) {
    ASSERT_EQ(got[o].shape(), want[o].shape());
    for (int64_t i = 0; i < want[o].num_elements(); ++i)
      EXPECT_NEAR(got[o].data<float>()[i], want[o].data<float>()[i], 1e-5) << o << " " << i;
  }
}

TEST(Toolchain, TargetsAndErrors) {
  ToolchainOptions o;
  o.cxx = "c++";
  o.target = "x86-64-v3";
  auto argv = compile_command(o, "a.cc", "a.o");
  EXPECT_NE(std::find(argv.begin(), argv.end(), "-march=x86-64-v3"), argv.end());
  EXPECT_EQ(std::find(argv.begin(), argv.end(), "-fassociative-math"), argv.end());
  o.fast_math = true;
  argv = compile_command(o, "a.cc", "a.o");
  EXPECT_NE(std::find(argv.begin(), argv.end(), "-fassociative-math"), argv.end());
  o.target = "aarch64-unknown-linux-gnu";
  o.cxx = "clang++";
  argv = compile_command(o, "a.cc", "a.o");
  EXPECT_NE(std::find(argv.begin(), argv.end(), "--target=aarch64-unknown-linux-gnu"), argv.end());
  o.cxx = "tfaot-no-such-compiler";
  EXPECT_THROW(check_toolchain(o), Error);
  o.cxx = "c++";
  o.target = "no-such-cpu";
  EXPECT_THROW(check_toolchain(o), Error);
}

TEST(Toolchain, Aarch64Targets) {
  for (const char* t : {"aarch64", "arm64", "aarch64-linux-gnu", "aarch64-unknown-linux-gnu", "armv8-a",
                        "armv8.2-a+fp16", "armv9-a", "neoverse-n1", "cortex-a72", "a64fx"})
    EXPECT_EQ(target_arch(t), TargetArch::Aarch64) << t;
  for (const char* t : {"x86-64", "x86-64-v2", "x86-64-v4", "haswell", "znver3", "native", "x86_64-linux-gnu"})
    EXPECT_EQ(target_arch(t), TargetArch::X86_64) << t;
  ToolchainOptions o;
  auto has = [](const std::vector<std::string>& argv, const std::string& flag) {
    return std::find(argv.begin(), argv.end(), flag) != argv.end();
  };
  auto has_prefix = [](const std::vector<std::string>& argv, const std::string& prefix) {
    return std::any_of(argv.begin(), argv.end(), [&](const std::string& a) { return a.rfind(prefix, 0) == 0; });
  };
  o.target = "aarch64";
  if (host_arch() == TargetArch::X86_64) {
    EXPECT_EQ(resolve_cxx(o), "aarch64-linux-gnu-g++");
  }
  auto argv = compile_command(o, "a.cc", "a.o");
  EXPECT_FALSE(has_prefix(argv, "-march=") || has_prefix(argv, "-mcpu=")) << "aarch64 = the compiler's default CPU";
  o.target = "neoverse-n1";  // GCC's aarch64 -march takes architectures only
  argv = compile_command(o, "a.cc", "a.o");
  EXPECT_TRUE(has(argv, "-mcpu=neoverse-n1"));
  EXPECT_FALSE(has_prefix(argv, "-march="));
  o.target = "armv8.2-a";
  o.cxx = "clang++";
  argv = compile_command(o, "a.cc", "a.o");
  EXPECT_TRUE(has(argv, "-march=armv8.2-a"));
  EXPECT_TRUE(has(argv, "--target=aarch64-linux-gnu"));
  o.cxx = "c++";
  o.target = "x86-64-v3";
  EXPECT_EQ(resolve_cxx(o), "c++");
  // Run-time dispatch uses cpuid: an Arm target in the list is an error naming it (before any
  // compiler runs).
  try {
    resolve_variants(o, {"x86-64-v3", "neoverse-n1"});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'neoverse-n1' is not x86-64"), std::string::npos) << e.what();
  }
}

TEST(Package, ToolFileAndModelHeader) {
  PackageInfo p;
  p.model = "multi_perturbed";
  for (int64_t bs : {1, 4}) {
    UnitInfo u;
    u.model = p.model;
    u.batch_size = bs;
    u.inputs = {{"input1", DType::Float, {bs, 4}}, {"input2", DType::Double, {bs, 4}}};
    u.outputs = {{"output1", DType::Float, {bs, 2}}, {"output2", DType::Bool, {bs, 2}}};
    u.scratch_bytes = 64 * static_cast<uint64_t>(bs);
    p.units.push_back(u);
  }
  EXPECT_EQ(tool_name(p.model), "tfaot-model-multi-perturbed");
  std::string xml = scram_tool_file(p);
  EXPECT_NE(xml.find("<tool name=\"tfaot-model-multi-perturbed\" version=\"1.0.0\" revision=\"1\">"), std::string::npos);
  EXPECT_NE(xml.find("<environment name=\"TFAOT_MODEL_MULTI_PERTURBED_BASE\" default=\"@TOOL_BASE@\"/>"),
            std::string::npos);
  EXPECT_NE(xml.find("<flags LDFLAGS=\"$TFAOT_MODEL_MULTI_PERTURBED_BASE/lib/multi_perturbed_weights.o\"/>"),
            std::string::npos);
  std::string h = model_header(p);
  EXPECT_NE(h.find("using input_types = std::tuple<float, double>;"), std::string::npos);
  EXPECT_NE(h.find("using output_types = std::tuple<float, bool>;"), std::string::npos);
  EXPECT_NE(h.find("batch_sizes = {{1, 4}};"), std::string::npos);
  EXPECT_NE(h.find("input_counts_no_batch = {{4, 4}};"), std::string::npos);
  EXPECT_NE(h.find("max_scratch_bytes = 256;"), std::string::npos);
  EXPECT_NE(h.find("case 4: multi_perturbed_bs4::run(inputs, outputs, scratch); return true;"), std::string::npos);
  EXPECT_NE(h.find("static constexpr std::array<const char*, 0> batch_rules = {{}};\n"), std::string::npos);
  p.batch_rules = {"3:4", "5:4,1"};
  EXPECT_NE(model_header(p).find("std::array<const char*, 2> batch_rules = {{\n      \"3:4\",\n      \"5:4,1\",\n  }};\n"),
            std::string::npos);
  EXPECT_NE(pkg_config(p).find("prefix=${pcfiledir}/../.."), std::string::npos);
  EXPECT_NE(cmake_config(p).find("add_library(tfaot::model-multi-perturbed INTERFACE IMPORTED)"), std::string::npos);
}

}  // namespace
}  // namespace tfaot::backend
