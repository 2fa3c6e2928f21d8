# coding: utf-8

"""
How cms_tfaot runs tfaot's binaries: finding them, running them, and mapping cms-tfaot's
additional flags (XLA's) to tfaot's options.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess


this_dir = os.path.dirname(os.path.abspath(__file__))


class CompilationError(RuntimeError):
    """A tfaot binary failed (it has printed its own one-line error on stderr)."""


# -- finding tfaot's binaries -----------------------------------------------------------------

def _installed_bin_dir() -> str | None:
    # The installed package carries _install.py (written by python/CMakeLists.txt) with the
    # bin directory relative to the package; the source tree has none.
    try:
        from cms_tfaot import _install
    except ImportError:
        return None
    return os.path.normpath(os.path.join(this_dir, _install.bin_dir_relative))


def find_binary(name: str) -> str:
    """
    Path of tfaot's binary *name*: from $TFAOT_BIN_DIR if set, else the bin directory of the
    installation this package belongs to, else PATH. Raises FileNotFoundError naming where it
    looked.
    """
    def executable(path):
        return os.path.isfile(path) and os.access(path, os.X_OK)

    env_dir = os.environ.get("TFAOT_BIN_DIR")
    if env_dir:
        path = os.path.join(env_dir, name)
        if executable(path):
            return path
        # an explicit choice is not silently replaced by another installation
        raise FileNotFoundError(f"tfaot binary '{name}' not found in TFAOT_BIN_DIR={env_dir}")
    looked = []
    bin_dir = _installed_bin_dir()
    if bin_dir:
        path = os.path.join(bin_dir, name)
        if executable(path):
            return path
        looked.append(bin_dir)
    path = shutil.which(name)
    if path:
        return path
    looked.append("PATH")
    raise FileNotFoundError(
        f"tfaot binary '{name}' not found (looked in {', '.join(looked)}); set TFAOT_BIN_DIR to "
        "the directory holding tfaot's binaries",
    )


def run(cmd: list[str]) -> None:
    proc = subprocess.run(cmd)
    if proc.returncode != 0:
        raise CompilationError(f"{os.path.basename(cmd[0])} failed (exit code {proc.returncode})")


def _split_flags(flags: list[str] | str | None) -> list[str]:
    if not flags:
        return []
    if isinstance(flags, str):
        return shlex.split(flags)
    return [w for flag in flags for w in shlex.split(str(flag))]


def xla_flags_argument(flags: list[str] | str | None) -> list[str]:
    """
    cms-tfaot's additional_flags (XLA aot_compile_cpu flags) as tfaot-compile's
    --additional-flags, which maps them to tfaot's target or notes them (src/driver/xla_flags.cc).
    """
    words = _split_flags(flags)
    return [f"--additional-flags={shlex.join(words)}"] if words else []
