# coding: utf-8

"""
Unit tests of the cms_tfaot module API (python/cms_tfaot) against tfaot's binaries
(TFAOT_BIN_DIR): configuration checks, compile_model's flat output, parse_header on the compiled
headers, create_wrapper (tfaot's model.h and a cms-tfaot style template), create_toolfile's
escaping. Run by tests/e2e/run_cms_python.sh unit.
"""

import os
import re
import json
import shutil
import tempfile
import unittest
import xml.etree.ElementTree as ET

import cms_tfaot
from cms_tfaot.scripts import tfaot_compile as script

this_dir = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.join(this_dir, "..", "..", "python", "share", "test_models")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    return path


class ConfigTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        os.makedirs(os.path.join(self.tmp, "saved_model"))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def load(self, text):
        return cms_tfaot.load_and_normalize_config(write(os.path.join(self.tmp, "aot_config.yaml"), text))

    def assert_error(self, text, message, error=ValueError):
        with self.assertRaises(error) as ctx:
            self.load(text)
        self.assertIn(message, str(ctx.exception))

    def test_errors(self):
        self.assert_error("compilation: {batch_sizes: [1]}\n", "missing 'model' entry")
        self.assert_error("", "missing 'model' entry")
        self.assert_error("model: 3\n", "misconfigured 'model' entry")
        self.assert_error("model: {version: '1'}\n", "missing 'model.name' entry")
        self.assert_error("model: {name: m}\n", "missing 'model.version' entry")
        self.assert_error("model: {name: m, version: '1', saved_model: nowhere}\n",
                          "'model.saved_model' directory")
        self.assert_error("model: {name: m, version: '1'}\n", "missing 'compilation' entry")
        self.assert_error("model: {name: m, version: '1'}\ncompilation: []\n", "misconfigured 'compilation' entry")
        self.assert_error("model: {name: m, version: '1'}\ncompilation: {}\n", "missing 'compilation.batch_sizes'")
        self.assert_error("model: {name: m, version: '1'}\ncompilation: {batch_sizes: 4}\n",
                          "misconfigured 'compilation.batch_sizes'")
        self.assert_error("model: {name: m, version: '1'}\ncompilation: {batch_sizes: [1], xla_flags: x}\n",
                          "misconfigured 'compilation.xla_flags'", TypeError)
        self.assert_error("model: {name: m, version: '1'}\ncompilation: {batch_sizes: [1], tf_xla_flags: x}\n",
                          "misconfigured 'compilation.tf_xla_flags'", TypeError)

    def test_defaults(self):
        config = self.load("model: {name: m, version: '1'}\ncompilation: {batch_sizes: [1, 2], namespace: null}\n")
        # the serving key default belongs under model (cms-tfaot 1.0.1 put it at the top level)
        self.assertEqual(config["model"]["serving_key"], "serving_default")
        self.assertNotIn("serving_key", config)
        self.assertEqual(config["model"]["saved_model"], os.path.join(self.tmp, "saved_model"))
        self.assertEqual(config["compilation"]["namespace"], "tfaot_model")

    def test_json(self):
        path = write(os.path.join(self.tmp, "aot_config.json"), json.dumps(
            {"model": {"name": "m", "version": "2.0", "saved_model": "saved_model"},
             "compilation": {"batch_sizes": [4]}}))
        config = cms_tfaot.load_and_normalize_config(path)
        self.assertEqual(config["model"]["version"], "2.0")

    def test_detect_models(self):
        found = cms_tfaot.detect_models(MODELS)
        self.assertEqual([os.path.basename(os.path.dirname(p)) for p in found], ["multi", "simple"])
        with self.assertRaises(ValueError):
            cms_tfaot.detect_models(os.path.join(self.tmp, "nowhere"))


class CompileTest(unittest.TestCase):
    """One compilation of the multi model (flat layout), shared by the tests."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()
        cls.out = os.path.join(cls.tmp, "flat")
        os.makedirs(cls.out)
        write(os.path.join(cls.out, "keep.txt"), "not tfaot's")
        cls.config = cms_tfaot.load_and_normalize_config(os.path.join(MODELS, "multi", "aot_config.yaml"))
        cwd = os.getcwd()
        try:
            # relative paths in the config must survive the temporary JSON file
            os.chdir(os.path.join(MODELS, ".."))
            config = cms_tfaot.load_and_normalize_config(os.path.join("test_models", "multi", "aot_config.yaml"))
            cls.headers, cls.objects = cms_tfaot.compile_model(
                config, cls.out, additional_flags="--target_triple x86_64-unknown-linux-gnu")
        finally:
            os.chdir(cwd)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_flat_output(self):
        self.assertEqual(self.headers[:3], ["test_multi_bs1.h", "test_multi_bs2.h", "test_multi_bs4.h"])
        self.assertEqual(self.objects[:3], ["test_multi_bs1.o", "test_multi_bs2.o", "test_multi_bs4.o"])
        self.assertEqual(self.objects[-1], "test_multi_weights.o")
        for f in self.headers + self.objects + ["model.h", "tfaot-model-test-multi.xml", "keep.txt"]:
            self.assertTrue(os.path.isfile(os.path.join(self.out, f)), f)
        self.assertFalse(os.path.exists(os.path.join(self.out, "include")))
        self.assertFalse(os.path.exists(os.path.join(self.out, "lib")))

    def test_unsupported_triple(self):
        # tfaot-compile rejects it (one line on stderr); nothing is written
        with self.assertRaises(cms_tfaot.CompilationError):
            cms_tfaot.compile_model(self.config, os.path.join(self.tmp, "x"),
                                    additional_flags=["--target_triple=riscv64-unknown-linux"])
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "x")))

    def test_parse_header(self):
        data = cms_tfaot.parse_header(os.path.join(self.out, "test_multi_bs4.h"))
        self.assertEqual(data, cms_tfaot.HeaderData(
            batch_size=4, prefix="test_multi", namespace="tfaot_model", class_name="test_multi",
            n_args=2, arg_counts=[16, 16], arg_counts_no_batch=(4, 4), arg_types=["float", "double"],
            n_res=2, res_counts=[8, 8], res_counts_no_batch=(2, 2), res_types=["float", "bool"]))
        with self.assertRaises(ValueError):
            cms_tfaot.parse_header(os.path.join(self.out, "model.h"))

    def test_parse_header_checks_name(self):
        renamed = shutil.copy(os.path.join(self.out, "test_multi_bs2.h"), os.path.join(self.tmp, "other_bs4.h"))
        with self.assertRaises(ValueError):
            cms_tfaot.parse_header(renamed)

    def test_wrapper_default_is_model_h(self):
        paths = [os.path.join(self.out, h) for h in self.headers]
        out = cms_tfaot.create_wrapper(os.path.join(self.tmp, "w", "model.h"), paths, "unused")
        with open(out) as a, open(os.path.join(self.out, "model.h")) as b:
            self.assertEqual(a.read(), b.read())
        # headers of another compilation do not match this model.h
        other = os.path.join(self.tmp, "other")
        os.makedirs(other)
        shutil.copy(os.path.join(self.out, "model.h"), other)
        for bs in (1, 2):
            shutil.copy(os.path.join(self.out, f"test_multi_bs{bs}.h"), other)
        with self.assertRaises(ValueError) as ctx:
            cms_tfaot.create_wrapper(os.path.join(self.tmp, "w2.h"),
                                     [os.path.join(other, f"test_multi_bs{bs}.h") for bs in (1, 2)], "m")
        self.assertIn("batch_sizes", str(ctx.exception))

    def test_wrapper_template(self):
        template = write(os.path.join(self.tmp, "wrapper.h.in"), "\n".join([
            "#ifndef ${INCLUDE_GUARD_UC}_${PREFIX_UC}_H",
            "// ${MODEL_PATH} ${NAMESPACE}::${CLASS_NAME} sizes ${BATCH_SIZES_CSV} args ${N_ARGS}",
            "// foreach=MODEL lines=2",
            "#include \"${PREFIX}_bs${BATCH_SIZE}.h\"",
            "// ${BATCH_SIZE}: ${ARG_COUNTS_CSV} -> ${RES_COUNTS_CSV} (${RES_TYPES_CSV})",
            "per entry ${ARG_COUNTS_NO_BATCH_CSV} / ${RES_COUNTS_NO_BATCH_CSV}",
        ]) + "\n")
        paths = [os.path.join(self.out, h) for h in self.headers]
        out = cms_tfaot.create_wrapper(os.path.join(self.tmp, "t", "w.h"), paths, "/models/multi",
                                       include_guard="my_guard", template=template)
        with open(out) as f:
            self.assertEqual(f.read(), "\n".join([
                "#ifndef MY_GUARD_TEST_MULTI_H",
                "// /models/multi tfaot_model::test_multi sizes 1, 2, 4 args 2",
                "#include \"test_multi_bs1.h\"",
                "// 1: 4, 4 -> 2, 2 (float, bool)",
                "#include \"test_multi_bs2.h\"",
                "// 2: 8, 8 -> 4, 4 (float, bool)",
                "#include \"test_multi_bs4.h\"",
                "// 4: 16, 16 -> 8, 8 (float, bool)",
                "per entry 4, 4 / 2, 2",
            ]) + "\n")
        bad = write(os.path.join(self.tmp, "bad.h.in"), "${NO_SUCH_VARIABLE}\n")
        with self.assertRaises(KeyError):
            cms_tfaot.create_wrapper(os.path.join(self.tmp, "bad.h"), paths, "m", template=bad)


class ToolfileTest(unittest.TestCase):

    def test_escaping_and_defaults(self):
        with tempfile.TemporaryDirectory() as tmp:
            hostile = '1"/><x a="'
            tool_vars = {"tool_name": "tfaot-model-test", "tool_version": hostile,
                         "tool_base": "/base & <dir>", "ld_flags": ["test_bs1.o", "/abs/x\".o"]}
            out = cms_tfaot.create_toolfile(os.path.join(tmp, "sub", "tool.xml"), tool_vars)
            self.assertNotIn("tool_base_name", tool_vars)  # the caller's dict is not changed
            with open(out) as f:
                text = f.read()
            root = ET.fromstring(text)  # still well-formed XML
            self.assertEqual(root.tag, "tool")
            self.assertEqual(root.get("version"), hostile)
            self.assertEqual(root.get("revision"), "1")
            self.assertIsNone(root.find("x"))
            self.assertNotIn("tensorflow-xla-runtime", text)
            env = {e.get("name"): e.get("default") for e in root.iter("environment")}
            self.assertEqual(env, {"TFAOT_MODEL_TEST_BASE": "/base & <dir>",
                                   "LIBDIR": "$TFAOT_MODEL_TEST_BASE/lib",
                                   "INCLUDE": "$TFAOT_MODEL_TEST_BASE/include"})
            flags = [e.get("LDFLAGS") for e in root.iter("flags")]
            self.assertEqual(flags, ["$TFAOT_MODEL_TEST_BASE/lib/test_bs1.o", "/abs/x\".o"])

    def test_missing_name(self):
        with self.assertRaises(ValueError):
            cms_tfaot.create_toolfile("/nonexistent/tool.xml", {"tool_version": "1"})


class ScriptTest(unittest.TestCase):

    def test_tfaot_compile_dev(self):
        with tempfile.TemporaryDirectory() as tmp:
            config = os.path.join(MODELS, "simple", "aot_config.yaml")
            result = script.tfaot_compile(config, tmp, dev=True, tool_base="/somewhere",
                                          additional_flags=["--target_triple=x86_64-pc-linux"])
            self.assertEqual(result.tool_name, "tfaot-model-test-simple")
            self.assertEqual(result.header_dir, os.path.join(tmp, "include", "tfaot-model-test-simple"))
            self.assertEqual(result.header_files[0], os.path.join("include", "tfaot-model-test-simple",
                                                                  "test_simple_bs1.h"))
            self.assertEqual(result.object_files[-1], os.path.join("lib", "test_simple_weights.o"))
            self.assertEqual(result.wrapper_file, os.path.join(result.header_dir, "model.h"))
            for f in result.header_files + result.object_files:
                self.assertTrue(os.path.isfile(os.path.join(tmp, f)), f)
            root = ET.parse(result.tool_file).getroot()
            env = {e.get("name"): e.get("default") for e in root.iter("environment")}
            self.assertEqual(env["TFAOT_MODEL_TEST_SIMPLE_BASE"], "/somewhere")
            flags = sorted(os.path.basename(e.get("LDFLAGS")) for e in root.iter("flags"))
            self.assertEqual(flags, sorted(map(os.path.basename, result.object_files)))

    def test_failure_raises(self):
        with tempfile.TemporaryDirectory() as tmp:
            model = os.path.join(tmp, "m")
            shutil.copytree(os.path.join(MODELS, "simple"), model)
            # a batch size tfaot rejects: the binary fails, the function raises
            config = os.path.join(model, "aot_config.yaml")
            with open(config) as f:
                text = re.sub(r"batch_sizes: \[[^\]]*\]", "batch_sizes: [0]", f.read())
            write(config, text)
            with self.assertRaises(cms_tfaot.CompilationError):
                script.tfaot_compile(config, os.path.join(tmp, "out"))

    def test_missing_binary(self):
        old = os.environ.get("TFAOT_BIN_DIR")
        os.environ["TFAOT_BIN_DIR"] = "/nonexistent"
        try:
            with self.assertRaises(FileNotFoundError) as ctx:
                cms_tfaot.find_binary("cms_tfaot_compile")
            self.assertIn("TFAOT_BIN_DIR=/nonexistent", str(ctx.exception))
        finally:
            if old is None:
                del os.environ["TFAOT_BIN_DIR"]
            else:
                os.environ["TFAOT_BIN_DIR"] = old

    def test_cmssw_rel_path(self):
        old = os.environ.pop("CMSSW_BASE", None)
        try:
            self.assertEqual(script.cmssw_rel_path("/a/b"), "/a/b")
            os.environ["CMSSW_BASE"] = "/a"
            self.assertEqual(script.cmssw_rel_path("/a/b/c.xml"), "$CMSSW_BASE/b/c.xml")
            self.assertEqual(script.cmssw_rel_path("/x/c.xml"), "/x/c.xml")
        finally:
            os.environ.pop("CMSSW_BASE", None)
            if old is not None:
                os.environ["CMSSW_BASE"] = old


if __name__ == "__main__":
    unittest.main()
