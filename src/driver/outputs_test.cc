// The package layout before compiling, the inputs of --depfile, and installing into a prefix.
#include <gtest/gtest.h>

#include <fstream>

#include "backend/package.h"
#include "driver/outputs.h"
#include "test_util.h"

namespace tfaot::driver {
namespace {

namespace fs = std::filesystem;

void touch(const fs::path& p, const std::string& text = "x") {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

std::string read(const fs::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class OutputsTest : public ::testing::Test {
 protected:
  void SetUp() override { fs::create_directories(dir_.path() / "cfg" / "m"); }
  Config config(const std::string& model_lines) {
    return parse_config("model:\n  name: my_net\n" + model_lines + "\ncompilation:\n  batch_sizes: [2, 1]\n",
                        dir_.path() / "cfg" / "aot_config.yaml");
  }
  test::TempDir dir_;
};

TEST_F(OutputsTest, PlannedFilesFollowToolNameAndLayout) {
  Config c = config("  saved_model: m");
  CompileOptions o;
  std::vector<std::string> want = {
      "include/tfaot-model-my-net/model.h",
      "include/tfaot-model-my-net/my_net_bs1.h",
      "include/tfaot-model-my-net/my_net_bs2.h",
      "lib/cmake/tfaot-model-my-net/tfaot-model-my-netConfig.cmake",
      "lib/cmake/tfaot-model-my-net/tfaot-model-my-netConfigVersion.cmake",
      "lib/my_net_bs1.o",
      "lib/my_net_bs2.o",
      "lib/my_net_weights.o",
      "lib/pkgconfig/tfaot-model-my-net.pc",
      "tfaot-model-my-net.xml",
  };
  EXPECT_EQ(planned_files(c, o, false), want);

  o.layout = Layout::Prefix;
  o.out_dir = "/p";
  o.tool_name = "tfaot-model-test-net";
  o.batch_sizes = std::vector<int64_t>{4};
  auto files = planned_files(c, o, false);
  EXPECT_NE(std::find(files.begin(), files.end(), "etc/scram.d/tfaot-model-test-net.xml"), files.end());
  EXPECT_NE(std::find(files.begin(), files.end(), "include/tfaot-model-test-net/my_net_bs4.h"), files.end());
  EXPECT_EQ(std::find(files.begin(), files.end(), "lib/my_net_bs1.o"), files.end());

  files = planned_files(c, o, true);  // with the dynamic-batch entry
  EXPECT_NE(std::find(files.begin(), files.end(), "lib/my_net_dyn.o"), files.end());
  EXPECT_NE(std::find(files.begin(), files.end(), "include/tfaot-model-test-net/my_net_dyn.h"), files.end());

  o.tool_name = "../escape";
  EXPECT_THROW(planned_files(c, o, false), Error);
}

TEST_F(OutputsTest, InputFilesOfSavedModelAndFrozenGraph) {
  const fs::path m = dir_.path() / "cfg" / "m";
  touch(m / "saved_model.pb");
  touch(m / "variables" / "variables.index");
  touch(m / "variables" / "variables.data-00000-of-00001");
  touch(m / "assets" / "vocab.txt");  // not read by tfaot
  Config c = config("  saved_model: m");
  std::vector<fs::path> want = {dir_.path() / "cfg" / "aot_config.yaml", m / "saved_model.pb",
                                m / "variables" / "variables.data-00000-of-00001",
                                m / "variables" / "variables.index"};
  EXPECT_EQ(input_files(c), want);

  touch(dir_.path() / "frozen.pb");
  Config f = config("  graph: ../frozen.pb\n  inputs: [x]\n  outputs: [y]");
  ASSERT_EQ(input_files(f).size(), 2u);
  EXPECT_EQ(input_files(f)[1], dir_.path() / "frozen.pb");
}

TEST_F(OutputsTest, DepfileEscapesMakeSyntax) {
  const fs::path d = dir_.path() / "deps" / "m.d";
  write_depfile(d, {"/o/a b.o", "/o/c.h"}, {"/in/x$y", "/in/#z"});
  EXPECT_EQ(read(d), "/o/a\\ b.o \\\n  /o/c.h: \\\n  /in/x$$y \\\n  /in/\\#z\n");
  EXPECT_FALSE(fs::exists(d.string() + ".tfaot-tmp"));
  // A file name from a model directory with a newline and a tab would add a Make recipe: one
  // error naming it (control characters as \xNN), and no depfile.
  const fs::path e = dir_.path() / "deps" / "e.d";
  try {
    write_depfile(e, {"/o/a.o"}, {"/in/x\n\tall:\n\ttouch pwned"});
    ADD_FAILURE() << "a control character reached the depfile";
  } catch (const Error& err) {
    EXPECT_NE(std::string(err.what()).find("/in/x\\x0a\\x09all:"), std::string::npos) << err.what();
  }
  EXPECT_FALSE(fs::exists(e));
  EXPECT_THROW(check_depfile_paths({"/ok", "/in/\rx"}), Error);
  EXPECT_NO_THROW(check_depfile_paths({"/o/a b.o", "/in/x$y"}));
}

TEST_F(OutputsTest, MergeIntoPrefixKeepsOtherFilesAndDropsStaleSizes) {
  const fs::path prefix = dir_.path() / "prefix", stage = prefix / ".stage";
  touch(prefix / "lib" / "other.o");
  touch(prefix / "lib" / "my_net_bs8.o");                       // stale size of this model
  touch(prefix / "lib" / "my_net_weights_bs8.o");               // not a batch-size object
  touch(prefix / "include" / "tool" / "my_net_bs8.h", "old");  // replaced as a directory
  const std::vector<std::string> files = {"etc/scram.d/tool.xml", "include/tool/model.h", "lib/my_net_bs1.o",
                                          "lib/my_net_weights.o"};
  for (const auto& f : files) touch(stage / f, "new");
  merge_into(stage, prefix, files, package_layout(Layout::Prefix, "tool"), "my_net");
  for (const auto& f : files) EXPECT_EQ(read(prefix / f), "new") << f;
  EXPECT_TRUE(fs::exists(prefix / "lib" / "other.o"));
  EXPECT_TRUE(fs::exists(prefix / "lib" / "my_net_weights_bs8.o"));
  EXPECT_FALSE(fs::exists(prefix / "lib" / "my_net_bs8.o"));
  EXPECT_FALSE(fs::exists(prefix / "include" / "tool" / "my_net_bs8.h"));
}

// tfaot never deletes what it did not create (issue 18): -o DIR replaces only an absent or
// empty directory or a package it wrote (kPackageMarker).
TEST_F(OutputsTest, OnlyOwnPackagesAreReplaced) {
  const fs::path out = dir_.path() / "out";
  EXPECT_NO_THROW(check_replaceable(out));  // absent
  fs::create_directories(out);
  EXPECT_NO_THROW(check_replaceable(out));  // empty
  fs::create_directories(out / "lib" / "cmake");
  EXPECT_NO_THROW(check_replaceable(out));  // only empty directories (made by Ninja for outputs)
  touch(out / "lib" / "cmake" / "x.cmake");
  EXPECT_THROW(check_replaceable(out), Error);
  fs::remove_all(out / "lib");
  touch(out / "thesis.tex");
  try {
    check_replaceable(out);
    ADD_FAILURE() << "a directory with the user's files would be replaced";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(out.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("not a package tfaot wrote"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(fs::exists(out / "thesis.tex"));
  // A package of an earlier tfaot without the marker: its generated model.h.
  touch(out / "include" / "tool" / "model.h", "// Generated by tfaot: model 'my_net' for tfaot::Model<ns::my_net>.\n");
  EXPECT_NO_THROW(check_replaceable(out));
  touch(out / "include" / "tool" / "model.h", "// my own header\n");
  EXPECT_THROW(check_replaceable(out), Error);
  write_package_marker(out, "my_net");
  EXPECT_NO_THROW(check_replaceable(out));
  EXPECT_NE(read(out / kPackageMarker).find("'my_net'"), std::string::npos);
  // A marker that is a symlink or a directory does not count; a file is not a directory.
  const fs::path other = dir_.path() / "other";
  touch(other / "data");
  fs::create_symlink(out / kPackageMarker, other / kPackageMarker);
  EXPECT_THROW(check_replaceable(other), Error);
  touch(dir_.path() / "file");
  EXPECT_THROW(check_replaceable(dir_.path() / "file"), Error);
}

TEST(PackageTool, ToolNameBaseAndTarget) {
  backend::PackageInfo p;
  p.model = "net";
  backend::UnitInfo u;
  u.model = "net";
  u.inputs = {{"x", DType::Float, {1, 4}}};
  u.outputs = {{"y", DType::Float, {1, 2}}};
  p.units = {u};
  p.tool = "tfaot-model-test-net";
  p.tool_base = "/opt/a&b";
  p.version = "1\"/><x a=\"";  // model strings are untrusted: escaped in the XML
  const std::string xml = backend::scram_tool_file(p);
  EXPECT_NE(xml.find("<tool name=\"tfaot-model-test-net\" version=\"1&quot;/&gt;&lt;x a=&quot;\" revision=\"1\">"), std::string::npos);
  EXPECT_NE(xml.find("<environment name=\"TFAOT_MODEL_TEST_NET_BASE\" default=\"/opt/a&amp;b\"/>"), std::string::npos);
  // CMake and pkg-config take no such version (config.cc rejects it first, with file and line).
  EXPECT_THROW(backend::cmake_config(p), Error);
  EXPECT_THROW(backend::cmake_config_version(p), Error);
  p.version = "1.0\n)\nexecute_process(COMMAND touch pwned)\n#";
  EXPECT_THROW(backend::cmake_config_version(p), Error);
  EXPECT_THROW(backend::pkg_config(p), Error);
  p.version = "2.1.0-rc1+cms";
  EXPECT_NE(backend::cmake_config_version(p).find("set(PACKAGE_VERSION \"2.1.0-rc1+cms\")"), std::string::npos);
  // The description is one pkg-config line: a CR or LF cannot start a Libs: line, '$' and '#'
  // are literal.
  p.description = "net\rLibs: -L/x -lx\nCflags: -I/evil $(HOME) ${libdir} #x";
  const std::string pc = backend::pkg_config(p);
  EXPECT_NE(pc.find("Description: net Libs: -L/x -lx Cflags: -I/evil $$(HOME) $${libdir} \\#x\n"), std::string::npos) << pc;
  EXPECT_EQ(pc.find("\nLibs: -L/x"), std::string::npos) << pc;
  EXPECT_EQ(pc.find('\r'), std::string::npos);
  EXPECT_NE(backend::model_header(p).find("#include \"net_bs1.h\""), std::string::npos);
  EXPECT_EQ(backend::cmake_target("tfaot-model-test-net"), "tfaot::model-test-net");
  EXPECT_EQ(backend::cmake_target("mymodel"), "tfaot::mymodel");
  EXPECT_EQ(backend::tool_base_variable("tfaot-model-a.b"), "TFAOT_MODEL_A_B_BASE");
}

}  // namespace
}  // namespace tfaot::driver
