# coding: utf-8

"""
The checks of CMSSW's PhysicsTools/TensorFlowAOT/test/testAOTTools.py, for an installed tfaot:
cms_tfaot is importable from an install tree laid out like CMSDIST's py3-cms-tfaot external
(<root>/<x.y.z>-<release>/lib/...), its test model sits at <root>/share/test_models, and
cms_tfaot_compile on PATH writes the dev workflow's files for the exact command line CMSSW uses.
"""

import os
import re
import shlex
import platform
import tempfile
import unittest
import subprocess


class AOTToolsTest(unittest.TestCase):

    def test_dev_workflow(self):
        import cms_tfaot

        # CMSSW locates the external's root from the module's path
        match = re.match(r"(.+/\d+\.\d+\.\d+\-[^/]+)/lib/.+$", cms_tfaot.__file__)
        self.assertIsNotNone(match, cms_tfaot.__file__)
        config_file = os.path.join(match.group(1), "share", "test_models", "simple", "aot_config.yaml")
        self.assertTrue(os.path.exists(config_file), config_file)

        # platform.processor() may be empty (Debian): the flag then is "--target_triple=-pc-linux"
        triple = "{0}-pc-linux".format(platform.processor())
        with tempfile.TemporaryDirectory() as out:
            cmd = shlex.join([
                "cms_tfaot_compile",
                "-c", config_file,
                "-o", out,
                "--tool-name", "tfaot-model-test",
                "--dev",
                "--additional-flags=--target_triple=" + triple,
            ])
            # through a shell, as CMSSW runs it
            subprocess.run(cmd, shell=True, check=True)

            def exists(*parts):
                return os.path.exists(os.path.join(out, *parts))

            for parts in [
                ("tfaot-model-test.xml",),
                ("include", "tfaot-model-test"),
                ("include", "tfaot-model-test", "test_simple_bs1.h"),
                ("include", "tfaot-model-test", "test_simple_bs2.h"),
                ("include", "tfaot-model-test", "model.h"),
                ("lib", "test_simple_bs1.o"),
                ("lib", "test_simple_bs2.o"),
            ]:
                self.assertTrue(exists(*parts), os.path.join(*parts))


if __name__ == "__main__":
    unittest.main()
