// aot_config parsing: CMS configs, extensions, defaults, and one-line errors naming the key.
#include <gtest/gtest.h>

#include <fstream>

#include "driver/config.h"
#include "test_util.h"

namespace tfaot::driver {
namespace {

namespace fs = std::filesystem;

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override { fs::create_directories(dir_.path() / "saved_model"); }
  fs::path file() const { return dir_.path() / "aot_config.yaml"; }
  Config parse(const std::string& text) { return parse_config(text, file()); }
  std::string error_of(const std::string& text) {
    try {
      parse(text);
    } catch (const Error& e) {
      return e.what();
    }
    return "(no error)";
  }
  test::TempDir dir_;
};

TEST_F(ConfigTest, CmsConfigWithDefaults) {
  Config c = parse(R"(
model:
  name: simple
  version: "1.0.0"
  saved_model: saved_model
  serving_key: serving_default
  author: Someone
  description: A test.
compilation:
  batch_sizes: [4, 1, 2, 2]
  tf_xla_flags: []
  xla_flags: []
)");
  EXPECT_EQ(c.model.name, "simple");
  EXPECT_EQ(c.model.saved_model, (dir_.path() / "saved_model").lexically_normal());
  EXPECT_EQ(c.model_path(), c.model.saved_model);
  EXPECT_EQ(c.compilation.batch_sizes, (std::vector<int64_t>{1, 2, 4}));
  EXPECT_EQ(c.compilation.ns, "tfaot_model");
  EXPECT_EQ(c.compilation.targets, (std::vector<std::string>{"x86-64-v3"}));
  EXPECT_EQ(c.compilation.dynamic_batch, CompilationConfig::Dynamic::Auto);
  EXPECT_FALSE(c.compilation.fast_math);
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_EQ(c.model.tags, (std::vector<std::string>{"serve"}));
}

TEST_F(ConfigTest, JsonAndExtensions) {
  std::ofstream(dir_.path() / "g.pb") << "x";
  Config c = parse(R"({
  "model": {"name": "m", "graph": "g.pb", "inputs": ["a:0", "b"], "outputs": ["y:0"],
            "pins": {"keras_learning_phase:0": false, "keep_prob:0": 1.0, "k:0": 3}},
  "compilation": {"batch_sizes": [1], "namespace": "cms::models", "target": "native",
                  "cxx": "g++", "cxxflags": ["-g"], "fast_math": true,
                  "input_shapes": {"a:0": ["B", 3], "b": [-1, 2, 5]}}
})");
  EXPECT_EQ(c.model_path(), dir_.path() / "g.pb");
  EXPECT_EQ(c.model.inputs, (std::vector<std::string>{"a:0", "b"}));
  ASSERT_EQ(c.model.pins.size(), 3u);
  EXPECT_EQ(c.model.pins.at("keras_learning_phase:0").dtype(), DType::Bool);
  EXPECT_EQ(c.model.pins.at("keep_prob:0").dtype(), DType::Float);
  EXPECT_EQ(c.model.pins.at("k:0").dtype(), DType::Int32);
  EXPECT_EQ(c.compilation.ns, "cms::models");
  EXPECT_EQ(c.compilation.input_shapes.at("a:0"), (Shape{-1, 3}));
  EXPECT_EQ(c.compilation.input_shapes.at("b"), (Shape{-1, 2, 5}));
  EXPECT_TRUE(c.compilation.fast_math);
  EXPECT_EQ(c.compilation.cxxflags, (std::vector<std::string>{"-g"}));
  EXPECT_EQ(c.compilation.targets, (std::vector<std::string>{"native"}));
}

TEST_F(ConfigTest, TargetListAndDynamicBatch) {
  Config c = parse("model: {name: m}\ncompilation: {batch_sizes: [1], target: [x86-64-v2, x86-64-v3, x86-64-v2], "
                   "dynamic_batch: false}\n");
  EXPECT_EQ(c.compilation.targets, (std::vector<std::string>{"x86-64-v2", "x86-64-v3"}));
  EXPECT_EQ(c.compilation.dynamic_batch, CompilationConfig::Dynamic::Off);
  c = parse("model: {name: m}\ncompilation: {batch_sizes: [1], dynamic_batch: true}\n");
  EXPECT_EQ(c.compilation.dynamic_batch, CompilationConfig::Dynamic::On);
  std::string e = error_of("model: {name: m}\ncompilation: {batch_sizes: [1], dynamic_batch: sometimes}\n");
  EXPECT_NE(e.find("compilation.dynamic_batch must be true, false or auto"), std::string::npos) << e;
  e = error_of("model: {name: m}\ncompilation: {batch_sizes: [1], target: []}\n");
  EXPECT_NE(e.find("compilation.target"), std::string::npos) << e;
  EXPECT_EQ(parse_targets("native,x86-64-v2", "--target"), (std::vector<std::string>{"native", "x86-64-v2"}));
  EXPECT_THROW(parse_targets("a,,b", "--target"), Error);
}

TEST_F(ConfigTest, BlockRows) {
  EXPECT_EQ(parse("model: {name: m}\ncompilation: {batch_sizes: [1]}\n").compilation.block_rows, -1);
  EXPECT_EQ(parse("model: {name: m}\ncompilation: {batch_sizes: [1], block_rows: auto}\n").compilation.block_rows, -1);
  EXPECT_EQ(parse("model: {name: m}\ncompilation: {batch_sizes: [1], block_rows: 0}\n").compilation.block_rows, 0);
  EXPECT_EQ(parse("model: {name: m}\ncompilation: {batch_sizes: [1], block_rows: 16}\n").compilation.block_rows, 16);
  for (const char* bad : {"-1", "many", "5000", "[4]"}) {
    const std::string e =
        error_of(std::string("model: {name: m}\ncompilation: {batch_sizes: [1], block_rows: ") + bad + "}\n");
    EXPECT_NE(e.find("compilation.block_rows must be auto or an integer"), std::string::npos) << bad << ": " << e;
  }
}

TEST_F(ConfigTest, XlaFlags) {
  Config c = parse(R"(
model: {name: m}
compilation:
  batch_sizes: [1]
  xla_flags: ["--xla_cpu_enable_fast_math=true", "--xla_cpu_fast_math_honor_nans=true", "--xla_foo=1"]
  tf_xla_flags: ["--tf_xla_bar"]
)");
  EXPECT_TRUE(c.compilation.fast_math);
  ASSERT_EQ(c.warnings.size(), 2u);
  EXPECT_NE(c.warnings[0].find("--xla_foo=1"), std::string::npos);
  EXPECT_NE(c.warnings[1].find("--tf_xla_bar"), std::string::npos);
}

TEST_F(ConfigTest, UnknownKeysWarn) {
  Config c = parse("model: {name: m, colour: red}\ncompilation: {batch_sizes: [1], speed: 11}\nextra: 1\n");
  ASSERT_EQ(c.warnings.size(), 3u);
  EXPECT_NE(c.warnings[0].find("'extra'"), std::string::npos);
  EXPECT_NE(c.warnings[1].find("'model.colour'"), std::string::npos);
  EXPECT_NE(c.warnings[2].find("'compilation.speed'"), std::string::npos);
}

TEST_F(ConfigTest, ErrorsNameTheKeyAndFile) {
  auto has = [](const std::string& msg, const std::string& part) { return msg.find(part) != std::string::npos; };
  std::string e = error_of("model: {name: m}\ncompilation:\n  batch_sizes: one\n");
  EXPECT_TRUE(has(e, "aot_config.yaml:3: compilation.batch_sizes must be a list of positive integers")) << e;
  e = error_of("model: {name: m}\ncompilation: {batch_sizes: [1, 0]}\n");
  EXPECT_TRUE(has(e, "compilation.batch_sizes must be a list of positive integers")) << e;
  e = error_of("model: {name: m}\ncompilation: {batch_sizes: [\"2\"]}\n");
  EXPECT_TRUE(has(e, "compilation.batch_sizes")) << e;
  e = error_of("model: {name: m, saved_model: nope}\ncompilation: {batch_sizes: [1]}\n");
  EXPECT_TRUE(has(e, "model.saved_model")) << e;
  EXPECT_TRUE(has(e, "does not exist")) << e;
  e = error_of("model: {name: 9lives}\ncompilation: {batch_sizes: [1]}\n");
  EXPECT_TRUE(has(e, "model.name must be a C++ identifier")) << e;
  e = error_of("model: {name: m}\n");
  EXPECT_TRUE(has(e, "missing 'compilation' section")) << e;
  e = error_of("compilation: {batch_sizes: [1]}\n");
  EXPECT_TRUE(has(e, "missing 'model' section")) << e;
  e = error_of("model: {name: m, tags: serve}\ncompilation: {batch_sizes: [1]}\n");
  EXPECT_TRUE(has(e, "model.tags must be a list of strings")) << e;
  e = error_of("model: {name: m}\ncompilation: {batch_sizes: [1], fast_math: maybe}\n");
  EXPECT_TRUE(has(e, "compilation.fast_math must be true or false")) << e;
  e = error_of("model: {name: m}\ncompilation: {batch_sizes: [1], input_shapes: {x: [B, -3]}}\n");
  EXPECT_TRUE(has(e, "compilation.input_shapes.x")) << e;
  e = error_of("model: {name: m}\ncompilation: {batch_sizes: [1], namespace: \"a::1b\"}\n");
  EXPECT_TRUE(has(e, "compilation.namespace")) << e;
  // Names that would yield a package that does not compile or link (issue 18).
  for (const char* name : {"class", "xor", "std", "_Model", "a__b", "errno", "model_", "co_yield"}) {
    e = error_of(std::string("model: {name: ") + name + "}\ncompilation: {batch_sizes: [1]}\n");
    EXPECT_TRUE(has(e, "aot_config.yaml:1: model.name must be a C++ identifier that is not reserved")) << e;
  }
  for (const char* ns : {"std", "a::int", "tfaot_kernels", "a::__b", "x::"}) {
    e = error_of(std::string("model: {name: m}\ncompilation: {batch_sizes: [1], namespace: \"") + ns + "\"}\n");
    EXPECT_TRUE(has(e, "compilation.namespace must be a C++ namespace name")) << e;
  }
  // A version reaches CMake and pkg-config files: only version characters.
  for (const char* v : {"1.0\\n)\\nexecute_process(COMMAND id)", "1\\r2", "a b", "1;2", "$x", "-1", ""}) {
    e = error_of(std::string("model: {name: m, version: \"") + v + "\"}\ncompilation: {batch_sizes: [1]}\n");
    EXPECT_TRUE(has(e, "model.version '")) << v << ": " << e;
    EXPECT_TRUE(has(e, "is not a version like 1.0.0")) << e;
  }
  // A hostile name is quoted, not printed raw.
  e = error_of("model: {name: \"a\\nb\\e[2J\"}\ncompilation: {batch_sizes: [1]}\n");
  EXPECT_TRUE(has(e, "'a\\x0ab\\x1b[2J'")) << e;
  e = error_of("model: [unclosed\n");
  EXPECT_TRUE(has(e, "aot_config.yaml")) << e;
  for (const std::string& msg : {e}) EXPECT_EQ(msg.find('\n'), std::string::npos);
}

TEST_F(ConfigTest, MissingFile) {
  try {
    load_config(dir_.path() / "none.yaml");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("none.yaml: config file does not exist"), std::string::npos);
  }
}

TEST(BatchSizes, Parse) {
  EXPECT_EQ(parse_batch_sizes("4,1,2", "--batch-sizes"), (std::vector<int64_t>{1, 2, 4}));
  EXPECT_THROW(parse_batch_sizes("1,x", "--batch-sizes"), Error);
  EXPECT_THROW(parse_batch_sizes("0", "--batch-sizes"), Error);
  EXPECT_THROW(parse_batch_sizes("", "--batch-sizes"), Error);
}

}  // namespace
}  // namespace tfaot::driver
