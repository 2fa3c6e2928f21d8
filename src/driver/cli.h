// What every tfaot CLI shares: argument parsing with one-line errors, the top-level error
// handler (one line "tfaot-X: error: ...", a non-zero exit), and the model-selection options
// (--tags, --serving-key, --input/--output/--pin for frozen graphs) and --limit.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "frontend/loader.h"

namespace tfaot::driver {

// Runs body(); any exception becomes "TOOL: error: MESSAGE" on stderr (newlines folded) and
// exit code `error_exit`; after a signal (support/interrupt.h) it is "TOOL: interrupted by
// SIG...: ..." and exit code 128 + signal instead.
int run_tool(const char* tool, int error_exit, const std::function<int()>& body);

// Parses argv into app. Returns -1 when the caller should go on; otherwise the exit code to
// return (0 for --help, `error_exit` after printing "TOOL: error: ... (see --help)").
int parse_args(CLI::App& app, int argc, char** argv, const char* tool, int error_exit);

// "name:0=false" -> scalar tensor; the dtype follows the spelling (true/false = bool,
// integer = int32, decimal = float32).
std::pair<std::string, Tensor> parse_pin(const std::string& spec);

// Adds --tags, --serving-key, --input, --output and --pin to `app`, writing into `load`;
// `pins` collects the --pin specs for apply_pins(). Returns the --serving-key option.
CLI::Option* add_model_options(CLI::App& app, frontend::LoadOptions& load,
                               std::vector<std::string>& pins);
void apply_pins(frontend::LoadOptions& load, const std::vector<std::string>& pins);

// Adds --limit NAME=VALUE (repeatable): raises or lowers a resource limit of support/limits.h
// for this run. Applied while parsing; a bad spec is a parse error.
void add_limit_option(CLI::App& app);

}  // namespace tfaot::driver
