# coding: utf-8

"""
cms_tfaot over tfaot: cms-tfaot 1.0.1's Python API, compiling with tfaot's binaries (no
TensorFlow, no XLA).
"""

__license__ = "BSD-3-Clause"
__status__ = "Production"
# The cms-tfaot release whose API and command line this package provides (CMSSW's tests and
# CMSDIST's spec check it).
__version__ = "1.0.1"
# The tfaot release the package belongs to; the installed copy gets the project version (see
# python/CMakeLists.txt), this one is for the source tree.
__tfaot_version__ = "0.1.0"
