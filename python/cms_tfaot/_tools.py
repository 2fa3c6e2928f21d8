# coding: utf-8

"""
How cms_tfaot runs tfaot's binaries: finding them, running them, and mapping cms-tfaot's
additional flags (XLA's) to tfaot's options.
"""

from __future__ import annotations

import os
import sys
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


# XLA aot_compile_cpu flags that take a value ("--name value" is one flag)
_XLA_VALUE_FLAGS = {
    "target_triple", "target_cpu", "target_features", "multithreading", "variables_to_feed",
    "checkpoint_path", "signature_def_key", "tag_set", "output_prefix", "cpp_class", "dir",
}


def xla_flags_to_tfaot(flags: list[str] | str | None) -> list[str]:
    """
    cms-tfaot's additional_flags are XLA aot_compile_cpu flags; as cms_tfaot_compile does
    (src/driver/xla_flags.cc), --target_triple and --target_cpu choose tfaot's --target and other
    flags are ignored with a note.
    """
    words = _split_flags(flags)
    target = None
    cpu = None
    i = 0
    while i < len(words):
        word = words[i]
        i += 1
        if not word.startswith("--"):
            print(f"cms_tfaot: note: ignoring '{word}' in additional flags (not a flag)", file=sys.stderr)
            continue
        name, eq, value = word[2:].partition("=")
        if not eq and name in _XLA_VALUE_FLAGS and i < len(words) and not words[i].startswith("--"):
            value = words[i]
            i += 1
        if name == "target_triple":
            arch = value.split("-", 1)[0]
            if arch in ("aarch64", "arm64"):
                target = "aarch64"
            elif arch not in ("x86_64", ""):
                raise ValueError(f"additional flag --target_triple={value}: tfaot generates code for "
                                 "x86_64 and aarch64 only")
        elif name == "target_cpu":
            cpu = value
        else:
            print(f"cms_tfaot: note: ignoring --{name}{'=' + value if value else ''} in additional flags "
                  "(an XLA flag without a tfaot equivalent)", file=sys.stderr)
    if cpu:
        target = cpu
    return ["--target", target] if target else []
