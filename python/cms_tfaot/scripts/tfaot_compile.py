#!/usr/bin/env python3
# coding: utf-8

"""
cms-tfaot 1.0.1's cms_tfaot_compile as a module: takes an AOT configuration file, compiles the
referenced model and provides all files necessary for the production deployment. The work is
done by tfaot's cms_tfaot_compile binary; main() hands the command line to it unchanged.
"""

from __future__ import annotations

import os
import sys
import shlex
import collections
from typing import Any


CompilationResult = collections.namedtuple(
    "CompilationResult",
    [
        "output_dir",
        "header_dir",
        "header_files",
        "wrapper_file",
        "object_dir",
        "object_files",
        "tool_file",
        "tool_name",
    ],
)

BINARY = "cms_tfaot_compile"


def tfaot_compile(
    config_file: str,
    output_dir: str,
    tool_name: str | None = None,
    tool_base: str | None = None,
    dev: bool = False,
    additional_flags: list[str] | str | None = None,
) -> CompilationResult:
    """
    Runs cms_tfaot_compile with the corresponding flags and returns what it wrote. Header and
    object files are relative to output_dir (basenames; include/TOOL/... and lib/... with dev).
    """
    # deferred imports, as cms-tfaot
    from cms_tfaot import load_and_normalize_config, find_binary
    from cms_tfaot._tools import run

    output_dir = os.path.abspath(os.path.expanduser(os.path.expandvars(output_dir)))
    config = load_and_normalize_config(config_file)
    if not tool_name:
        tool_name = f"tfaot-model-{config['model']['name'].replace('_', '-')}"

    cmd = [find_binary(BINARY), "-c", config_file, "-o", output_dir, "--tool-name", tool_name]
    if tool_base:
        cmd += ["--tool-base", tool_base]
    if dev:
        cmd.append("--dev")
    if additional_flags:
        if not isinstance(additional_flags, str):
            additional_flags = shlex.join(map(str, additional_flags))
        # one word: the value starts with "--"
        cmd.append(f"--additional-flags={additional_flags}")
    run(cmd)

    name = config["model"]["name"]
    batch_sizes = sorted(set(config["compilation"]["batch_sizes"]))
    header_dir = os.path.join(output_dir, "include", tool_name) if dev else output_dir
    object_dir = os.path.join(output_dir, "lib") if dev else output_dir
    header_rel = os.path.join("include", tool_name) if dev else ""
    object_rel = "lib" if dev else ""

    wrapper_file = os.path.join(header_dir, "model.h")
    with open(wrapper_file, "r") as f:
        dynamic = "has_dynamic_batch = true;" in f.read()
    headers = [f"{name}_bs{bs}.h" for bs in batch_sizes] + ([f"{name}_dyn.h"] if dynamic else [])
    objects = ([f"{name}_bs{bs}.o" for bs in batch_sizes] + ([f"{name}_dyn.o"] if dynamic else [])
               + [f"{name}_weights.o"])
    tool_file = os.path.join(output_dir, f"{tool_name}.xml")

    missing = [os.path.join(header_dir, h) for h in headers if not os.path.isfile(os.path.join(header_dir, h))]
    missing += [os.path.join(object_dir, o) for o in objects if not os.path.isfile(os.path.join(object_dir, o))]
    missing += [] if os.path.isfile(tool_file) else [tool_file]
    if missing:
        raise ValueError(f"{BINARY} did not write {', '.join(missing)}")

    return CompilationResult(
        output_dir=output_dir,
        header_dir=header_dir,
        header_files=[os.path.join(header_rel, h) for h in headers],
        wrapper_file=wrapper_file,
        object_dir=object_dir,
        object_files=[os.path.join(object_rel, o) for o in objects],
        tool_file=tool_file,
        tool_name=tool_name,
    )


def cmssw_rel_path(path: str) -> str:
    cmssw_base = os.getenv("CMSSW_BASE")
    if not cmssw_base:
        return path

    rel = os.path.relpath(path, cmssw_base)
    if rel.startswith(".."):
        return path

    return f"$CMSSW_BASE/{rel}"


def print_compilation_info(config: dict[str, Any], result: CompilationResult) -> None:
    model_name = config["model"]["name"]
    class_name = f"{config['compilation']['namespace']}::{model_name}"
    batch_sizes = ",".join(map(str, config["compilation"]["batch_sizes"]))

    print(f"\n{80 * '-'}")
    print(f"\nsuccessfully AOT compiled model '{model_name}' for batch sizes: {batch_sizes}")
    print("\n  1. register it to scram:")
    print(f"     > scram setup {cmssw_rel_path(result.tool_file)}")
    print("\n  2. 'use' the tool in your BuildFile.xml:")
    print(f"     <use name=\"{result.tool_name}\"/>")
    print("\n  3. include the following header in your code:")
    print(f"     #include \"{result.tool_name}/model.h\"")
    print("\n  4. create an AOT model instance via:")
    print(f"     auto model = tfaot::Model<{class_name}>();\n")


def main() -> int:
    # The binary is the command: same flags, messages and exit codes, whichever way it is run.
    from cms_tfaot import find_binary

    try:
        binary = find_binary(BINARY)
    except FileNotFoundError as e:
        print(f"{BINARY}: error: {e}", file=sys.stderr)
        return 127
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(binary, [binary, *sys.argv[1:]])
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
