# coding: utf-8

"""
cms-tfaot 1.0.1's Python API over tfaot: the same names and signatures, but models are compiled
by tfaot's own binaries (tfaot-compile), so neither TensorFlow nor XLA is needed. The differences
from cms-tfaot are listed in python/README.md.
"""

from __future__ import annotations

__all__ = [
    "HeaderData",
    "common_header_data",
    "detect_models",
    "load_and_normalize_config",
    "compile_model",
    "parse_header",
    "create_wrapper",
    "create_toolfile",
    "find_binary",
    "CompilationError",
]

import os
import re
import copy
import json
import shutil
import tempfile
import collections
from xml.sax.saxutils import escape as _xml_escape

from typing import Any

from cms_tfaot.__meta__ import __version__, __tfaot_version__  # noqa: F401
from cms_tfaot._tools import CompilationError, find_binary  # noqa: F401
from cms_tfaot._tools import run as _run, xla_flags_argument as _xla_flags_argument


this_dir = os.path.dirname(os.path.abspath(__file__))


# structure describing the content of a compiled header file (cms-tfaot's fields)
HeaderData = collections.namedtuple("HeaderData", [
    "batch_size",
    "prefix",
    "namespace",
    "class_name",
    "n_args",
    "arg_counts",
    "arg_counts_no_batch",
    "arg_types",
    "n_res",
    "res_counts",
    "res_counts_no_batch",
    "res_types",
])

# entries that are common to all header files, independent of batch sizes
common_header_data = [
    "prefix",
    "namespace",
    "class_name",
    "n_args",
    "n_res",
    "arg_counts_no_batch",
    "res_counts_no_batch",
]


# -- configuration ----------------------------------------------------------------------------

_CONFIG_NAMES = ("aot_config.yaml", "aot_config.yml", "aot_config.json")


def detect_models(directory: str) -> list[str]:
    """
    The AOT configuration files (aot_config.yaml, .yml or .json) in *directory* and below, sorted;
    hidden directories are skipped. *directory* may itself be a configuration file. (cms-tfaot
    1.0.1 exports this name without defining it.)
    """
    directory = os.path.expandvars(os.path.expanduser(str(directory)))
    if os.path.isfile(directory):
        return [directory]
    if not os.path.isdir(directory):
        raise ValueError(f"directory {directory} does not exist")
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(os.path.join(root, f) for f in files if f in _CONFIG_NAMES)
    return sorted(found)


def load_and_normalize_config(config_file: str) -> dict[str, Any]:
    """
    Reads an AOT configuration (YAML or JSON), checks it as cms-tfaot does and fills in its
    defaults. Paths (model.saved_model, and tfaot's model.graph and compilation.batch_rules) are
    made relative to the working directory (joined with the file's directory).
    """
    try:
        import yaml
    except ImportError as e:
        raise ImportError("cms_tfaot needs PyYAML to read AOT configurations (Debian: python3-yaml)") from e

    with open(config_file, "r") as f:
        config = yaml.safe_load(f)

    # perform checks and fill in defaults
    if not isinstance(config, dict) or "model" not in config:
        raise ValueError(f"missing 'model' entry in {config_file}")
    if not isinstance(config["model"], dict):
        raise ValueError(f"misconfigured 'model' entry in {config_file}")
    model = config["model"]

    if "name" not in model:
        raise ValueError(f"missing 'model.name' entry in {config_file}")

    if "version" not in model:
        raise ValueError(f"missing 'model.version' entry in {config_file}")

    # (cms-tfaot 1.0.1 sets this default at the top level, where nothing reads it)
    if not model.get("serving_key"):
        model["serving_key"] = "serving_default"

    config_dir = os.path.dirname(config_file)
    if model.get("graph"):
        # tfaot extension: a frozen GraphDef instead of a SavedModel
        model["graph"] = os.path.normpath(os.path.join(config_dir, model["graph"]))
        if not os.path.exists(model["graph"]):
            raise ValueError(f"'model.graph' file {model['graph']} does not exist")
    else:
        if not model.get("saved_model"):
            model["saved_model"] = "saved_model"
        model["saved_model"] = os.path.normpath(os.path.join(config_dir, model["saved_model"]))
        if not os.path.exists(model["saved_model"]):
            raise ValueError(f"'model.saved_model' directory {model['saved_model']} does not exist")

    if "compilation" not in config:
        raise ValueError(f"missing 'compilation' entry in {config_file}")
    if not isinstance(config["compilation"], dict):
        raise ValueError(f"misconfigured 'compilation' entry in {config_file}")
    compilation = config["compilation"]

    if "batch_sizes" not in compilation:
        raise ValueError(f"missing 'compilation.batch_sizes' entry in {config_file}")
    elif not isinstance(compilation["batch_sizes"], list):
        raise ValueError(f"misconfigured 'compilation.batch_sizes' entry in {config_file}")

    if not compilation.get("namespace"):
        compilation["namespace"] = "tfaot_model"

    tf_xla_flags = compilation.get("tf_xla_flags")
    if tf_xla_flags and not isinstance(tf_xla_flags, list):
        raise TypeError(f"misconfigured 'compilation.tf_xla_flags' entry in {config_file}")

    xla_flags = compilation.get("xla_flags")
    if xla_flags and not isinstance(xla_flags, list):
        raise TypeError(f"misconfigured 'compilation.xla_flags' entry in {config_file}")

    if compilation.get("batch_rules"):
        compilation["batch_rules"] = os.path.normpath(os.path.join(config_dir, compilation["batch_rules"]))

    return config


def _config_for_tfaot(config: dict[str, Any]) -> dict[str, Any]:
    # What tfaot-compile reads from a temporary file: absolute paths (they would otherwise be
    # resolved relative to that file), no null values (tfaot's defaults apply), version a string.
    out = {}
    for section, values in config.items():
        if isinstance(values, dict):
            values = {k: copy.deepcopy(v) for k, v in values.items() if v is not None}
        out[section] = values
    model = out.get("model", {})
    for key in ("saved_model", "graph"):
        if model.get(key):
            model[key] = os.path.abspath(model[key])
    if out.get("compilation", {}).get("batch_rules"):
        out["compilation"]["batch_rules"] = os.path.abspath(out["compilation"]["batch_rules"])
    if isinstance(model.get("version"), (int, float)) and not isinstance(model.get("version"), bool):
        model["version"] = str(model["version"])
    return out


# -- compilation ------------------------------------------------------------------------------

def compile_model(
    config: dict[str, Any],
    output_dir: str,
    additional_flags: list[str] | str | None = None,
) -> tuple[list[str], list[str]]:
    """
    Compiles the model of a normalized *config* with tfaot-compile into *output_dir* (cms-tfaot's
    flat layout, merged: every header, object, model.h and the tool file directly in it). Returns
    the basenames of the headers (NAME_bsN.h by batch size, then NAME_dyn.h if compiled; model.h,
    the wrapper, is not listed) and of the objects to link (NAME_bsN.o, NAME_dyn.o, NAME_weights.o).
    """
    name = config["model"]["name"]
    batch_sizes = sorted(set(config["compilation"]["batch_sizes"]))
    target_args = _xla_flags_argument(additional_flags)
    binary = find_binary("tfaot-compile")
    # tfaot-compile creates it with its parents (and writes nothing on failure)
    output_dir = os.path.expandvars(os.path.expanduser(str(output_dir)))

    with tempfile.TemporaryDirectory(prefix="cms_tfaot_") as tmp_dir:
        config_file = os.path.join(tmp_dir, "aot_config.json")
        with open(config_file, "w") as f:
            json.dump(_config_for_tfaot(config), f, indent=2)
        _run([binary, "-q", "--layout", "flat", "-c", config_file, "-o", output_dir, *target_args])

    header_files = [f"{name}_bs{bs}.h" for bs in batch_sizes]
    object_files = [f"{name}_bs{bs}.o" for bs in batch_sizes]
    # the dynamic-batch entry exists when the model is batch-separable; model.h says whether
    model_h = os.path.join(output_dir, "model.h")
    with open(model_h, "r") as f:
        dynamic = re.search(r"\bhas_dynamic_batch\s*=\s*true\s*;", f.read()) is not None
    if dynamic:
        header_files.append(f"{name}_dyn.h")
        object_files.append(f"{name}_dyn.o")
    object_files.append(f"{name}_weights.o")

    missing = [p for p in header_files + object_files if not os.path.isfile(os.path.join(output_dir, p))]
    if missing:
        raise ValueError(f"tfaot-compile did not write {', '.join(missing)} in {output_dir}")
    return header_files, object_files


# -- headers ----------------------------------------------------------------------------------

# C/C++ element types of tfaot's dtype names, spelled as in XLA's generated headers
_C_TYPES = {
    "float32": "float", "float64": "double", "bool": "bool",
    "int8": "int8_t", "int16": "int16_t", "int32": "int32_t", "int64": "int64_t",
    "uint8": "uint8_t", "uint16": "uint16_t", "uint32": "uint32_t", "uint64": "uint64_t",
    "string": "tfaot::StringRef",
}

_C_STRING = r'"((?:[^"\\]|\\.)*)"'


def _string_list(text: str) -> list[str]:
    return [bytes(s, "utf-8").decode("unicode_escape") for s in re.findall(_C_STRING, text)]


def parse_header(path: str) -> HeaderData:
    """Reads the HeaderData of a tfaot NAME_bsN.h (one batch size's entry)."""
    path = os.path.expandvars(os.path.expanduser(str(path)))
    with open(path, "r") as f:
        lines = [line for line in (line.strip() for line in f) if line]

    namespace = None
    struct = None
    fields = {}
    for line in lines:
        if struct is None:
            # the namespace that encloses the struct (the header may define tfaot::StringRef first)
            m = re.match(r"^namespace\s+([A-Za-z_][\w:]*)\s*\{$", line)
            if m:
                namespace = m.group(1)
                continue
            m = re.match(r"^struct\s+(?:__attribute__\(\(.*\)\)\s+)?([A-Za-z_]\w*)_bs(\d+)\s*\{$", line)
            if m:
                struct = (m.group(1), int(m.group(2)))
            continue
        if line.startswith("};"):
            break
        # "static constexpr TYPE NAME[] = {...};", "... NAME = VALUE;" or "... = nullptr;" (empty)
        m = re.match(r"^static constexpr .*?\b(\w+)(\[\])?\s*=\s*(.*);$", line)
        if m:
            fields[m.group(1)] = m.group(3)
        m = re.match(r"^static constexpr std::size_t num_inputs = (\d+), num_outputs = (\d+);$", line)
        if m:
            fields["num_inputs"], fields["num_outputs"] = m.group(1), m.group(2)

    if struct is None or namespace is None:
        raise ValueError(f"corrupted header file {path}: no 'struct NAME_bsN' in a namespace")
    class_name, batch_size = struct
    for key in ("batch_size", "num_inputs", "num_outputs", "input_dtypes", "output_dtypes",
                "input_counts", "output_counts"):
        if key not in fields:
            raise ValueError(f"corrupted header file {path}: no '{key}'")
    if int(fields["batch_size"]) != batch_size:
        raise ValueError(f"corrupted header file {path}: batch_size {fields['batch_size']} in {class_name}_bs{batch_size}")

    def ints(key):
        return [int(v) for v in re.findall(r"\d+", fields[key])] if fields[key] != "nullptr" else []

    def types(key):
        names = _string_list(fields[key]) if fields[key] != "nullptr" else []
        for n in names:
            if n not in _C_TYPES:
                raise ValueError(f"header {path}: dtype '{n}' has no C type")
        return [_C_TYPES[n] for n in names]

    arg_counts, res_counts = ints("input_counts"), ints("output_counts")
    arg_types, res_types = types("input_dtypes"), types("output_dtypes")
    n_args, n_res = int(fields["num_inputs"]), int(fields["num_outputs"])
    if not (len(arg_counts) == len(arg_types) == n_args and len(res_counts) == len(res_types) == n_res):
        raise ValueError(f"corrupted header file {path}: inconsistent input/output counts")

    def no_batch(count: int, index: int, name: str) -> int:
        if count % batch_size != 0:
            raise ValueError(
                f"{name} count of {count} at index {index} is not dividable by batch size {batch_size}",
            )
        return count // batch_size

    base = os.path.basename(path)
    postfix = f"_bs{batch_size}.h"
    if not base.endswith(postfix):
        raise ValueError(f"header '{path}' does not end with expected postfix '{postfix}'")

    return HeaderData(
        batch_size=batch_size,
        prefix=base[:-len(postfix)],
        namespace=namespace,
        class_name=class_name,
        n_args=n_args,
        arg_counts=arg_counts,
        arg_counts_no_batch=tuple(no_batch(c, i, "argument") for i, c in enumerate(arg_counts)),
        arg_types=arg_types,
        n_res=n_res,
        res_counts=res_counts,
        res_counts_no_batch=tuple(no_batch(c, i, "result") for i, c in enumerate(res_counts)),
        res_types=res_types,
    )


def _check_model_header(model_h: str, variables: dict[str, Any]) -> None:
    # tfaot's model.h must describe exactly the parsed batch-size headers
    with open(model_h, "r") as f:
        text = f.read()
    expect = {
        "struct": variables["class_name"],
        "namespace": variables["namespace"],
        "batch_sizes": list(variables["batch_sizes"]),
        "input_counts_no_batch": list(variables["arg_counts_no_batch"]),
        "output_counts_no_batch": list(variables["res_counts_no_batch"]),
    }
    found = {}
    m = re.search(r"^namespace\s+([A-Za-z_][\w:]*)\s*\{\s*struct\s+(\w+)\s*\{", text, re.M)
    if m:
        found["namespace"], found["struct"] = m.group(1), m.group(2)
    for key in ("batch_sizes", "input_counts_no_batch", "output_counts_no_batch"):
        m = re.search(rf"\b{key}\s*=\s*\{{\{{([\d,\s]*)\}}\}};", text)
        if m:
            found[key] = [int(v) for v in re.findall(r"\d+", m.group(1))]
    for key, value in expect.items():
        if found.get(key) != value:
            raise ValueError(f"{model_h} does not match the headers: {key} is {found.get(key)!r}, "
                             f"the headers give {value!r}")


def create_wrapper(
    output_file: str,
    header_files: list[str],
    model_dir: str,
    include_guard: str = "tfaot_model",
    template: str | None = None,
) -> str:
    """
    Writes the wrapper header of the compiled batch sizes in *header_files* (NAME_bsN.h; a
    NAME_dyn.h or model.h among them is skipped). Without *template*, tfaot's own model.h beside
    the headers is the wrapper: it is checked against the headers and copied to *output_file*
    (*model_dir* and *include_guard* are then unused). With a template file, it is rendered with
    cms-tfaot's template language (${VAR}, ${VAR_UC}, ${VAR_CSV}, "// foreach=MODEL lines=N").
    """
    if not header_files:
        raise ValueError("no header files provided")

    # read header data
    header_data = {}
    for path in header_files:
        base = os.path.basename(str(path))
        if base == "model.h" or base.endswith("_dyn.h"):
            continue
        data = parse_header(path)
        if data.batch_size in header_data:
            raise ValueError(f"more than one header for batch size {data.batch_size}")
        header_data[data.batch_size] = data
    if not header_data:
        raise ValueError("no batch size headers (NAME_bsN.h) provided")

    batch_sizes = sorted(header_data)
    variables = {
        "model_path": model_dir,
        "batch_sizes": batch_sizes,
        "include_guard": include_guard,
    }
    for key in common_header_data:
        values = set(getattr(d, key) for d in header_data.values())
        if len(values) > 1:
            raise ValueError(f"found more than one possible {key} values: {', '.join(map(str, values))}")
        variables[key] = values.pop()

    output_file = os.path.expandvars(os.path.expanduser(str(output_file)))
    output_dir = os.path.dirname(output_file)
    if output_dir:
        os.makedirs(output_dir, exist_ok=True)

    if template is None:
        header_dirs = {os.path.dirname(os.path.abspath(str(header_files[0])))}
        header_dirs |= {os.path.dirname(os.path.abspath(str(p))) for p in header_files}
        if len(header_dirs) > 1:
            raise ValueError(f"header files are in more than one directory: {', '.join(sorted(header_dirs))}")
        model_h = os.path.join(header_dirs.pop(), "model.h")
        if not os.path.isfile(model_h):
            raise ValueError(f"{model_h} (tfaot-compile's wrapper) does not exist")
        _check_model_header(model_h, variables)
        if not os.path.exists(output_file) or not os.path.samefile(model_h, output_file):
            shutil.copyfile(model_h, output_file)
        return output_file

    # substituters for common variables and per-model variables
    common_sub = _substituter(variables)
    model_subs = {
        bs: _substituter({**variables, **header_data[bs]._asdict()})
        for bs in batch_sizes
    }

    template = os.path.expandvars(os.path.expanduser(str(template)))
    with open(template, "r") as f:
        input_lines = [line.rstrip() for line in f]

    output_lines = []
    i = 0
    while i < len(input_lines):
        line = input_lines[i]
        i += 1
        m = re.match(r"^//\s+foreach=(\S+)\s+lines=(\d+)$", line.strip())
        if not m:
            output_lines.append(common_sub(line))
            continue
        if m.group(1) != "MODEL":
            raise ValueError(f"unknown loop target '{m.group(1)}'")
        # repeat the next n lines for each batch size with that batch size's variables
        body = input_lines[i:i + int(m.group(2))]
        i += len(body)
        for bs in batch_sizes:
            output_lines.extend(model_subs[bs](body_line) for body_line in body)

    with open(output_file, "w") as f:
        f.write("\n".join(output_lines) + "\n")
    return output_file


def _substituter(variables: dict[str, Any]):
    # ${KEY} for each variable (upper-cased), ${KEY_UC} upper-cased strings, ${KEY_CSV} lists
    values = {}
    for key, value in variables.items():
        key = key.upper()
        values[key] = str(value)
        if isinstance(value, str) and not key.endswith("_UC"):
            values[f"{key}_UC"] = value.upper()
        elif isinstance(value, (list, tuple)) and not key.endswith("_CSV"):
            values[f"{key}_CSV"] = ", ".join(map(str, value))

    def repl(m):
        if m.group(1) not in values:
            raise KeyError(f"template contains unknown variable {m.group(1)}")
        return values[m.group(1)]

    return lambda line: re.sub(r"\$\{([A-Z0-9_]+)\}", repl, line)


# -- scram tool file --------------------------------------------------------------------------

def _xml(value: Any) -> str:
    return _xml_escape(str(value), {'"': "&quot;", "'": "&apos;"})


def create_toolfile(
    output_file: str,
    tool_vars: dict[str, Any],
    template: str = os.path.join(this_dir, "toolfile.xml.in"),
) -> str:
    """
    Writes a scram tool file from *template* (str.format fields). Every substituted value is
    XML-escaped; ld_flags given as a list become <flags LDFLAGS="..."/> elements (a basename is
    taken from the tool's lib directory), an element given as "<flags .../>" is kept verbatim.
    """
    tool_vars = dict(tool_vars or {})
    if not tool_vars.get("tool_name"):
        raise ValueError("missing field 'tool_name' in tool_vars")

    # defaults (the base variable must be a valid environment variable name)
    default_base_name = re.sub(r"[^A-Za-z0-9]", "_", tool_vars["tool_name"]).upper() + "_BASE"
    tool_vars.setdefault("tool_base_name", default_base_name)
    tool_vars.setdefault("tool_version", "1.0.0")
    tool_vars.setdefault("tool_base", "@TOOL_BASE@")
    tool_vars.setdefault("lib_dir", "lib")
    tool_vars.setdefault("inc_dir", "include")
    tool_vars.setdefault("ld_flags", [])

    values = {k: _xml(v) for k, v in tool_vars.items() if k != "ld_flags"}
    ld_flags = tool_vars["ld_flags"]
    if isinstance(ld_flags, (list, tuple)):
        elements = []
        for flag in map(str, ld_flags):
            if flag.startswith("<flags "):
                elements.append(flag)
                continue
            # when only a basename was given, prepend the tool base
            if "/" not in flag and "<" not in flag:
                flag = f"${tool_vars['tool_base_name']}/{tool_vars['lib_dir']}/{flag}"
            elements.append(f"<flags LDFLAGS=\"{_xml(flag)}\"/>")
        values["ld_flags"] = "\n  ".join(elements)
    else:
        values["ld_flags"] = _xml(ld_flags)

    template = os.path.expandvars(os.path.expanduser(str(template)))
    with open(template, "r") as f:
        input_lines = [line.rstrip() for line in f]

    output_file = os.path.expandvars(os.path.expanduser(str(output_file)))
    output_dir = os.path.dirname(output_file)
    if output_dir:
        os.makedirs(output_dir, exist_ok=True)
    with open(output_file, "w") as f:
        for line in input_lines:
            f.write(f"{line.format(**values)}\n")
    return output_file
