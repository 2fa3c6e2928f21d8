// The files of a compiled model package besides the objects: model.h (what
// tfaot::Model<NS::NAME> needs), the scram tool file (as cms-tfaot writes it), a relocatable
// CMake package config and a pkg-config file. Pure text generation, no file system access.
#pragma once

#include <string>
#include <vector>

#include "backend/emitter.h"

namespace tfaot::backend {

struct PackageInfo {
  std::string ns = "tfaot_model";
  std::string model;              // NAME
  std::string tool;               // tool / include directory / package name; empty: tool_name(model)
  std::string tool_base = "@TOOL_BASE@";  // default of the tool file's base variable
  std::string version = "1.0.0";  // model.version
  std::string description;
  std::vector<UnitInfo> units;    // one per batch size, ascending
  // The dynamic-batch entry NAME_dyn (lib/NAME_dyn.o, include/.../NAME_dyn.h); absent if false.
  bool dynamic_batch = false;
  // Batch rules compiled into model.h ("batchSize:size1,...,sizeN", validated by the caller).
  std::vector<std::string> batch_rules;
};

// "tfaot-model-" + NAME with '_' replaced by '-' (the cms-tfaot tool naming); also the
// include directory and the CMake/pkg-config package name.
std::string tool_name(const std::string& model);
// The CMake imported target of a tool: tfaot::model-NAME for tfaot-model-NAME, else tfaot::TOOL.
std::string cmake_target(const std::string& tool);
// The scram tool file's base variable: TFAOT_MODEL_NAME_BASE for tfaot-model-name.
std::string tool_base_variable(const std::string& tool);
// p.tool, or tool_name(p.model) when empty.
std::string package_tool(const PackageInfo& p);
// Object files in lib/, in link order: NAME_bsN.o ascending, NAME_dyn.o, NAME_weights.o.
std::vector<std::string> object_files(const PackageInfo& p);

std::string model_header(const PackageInfo& p);
// Text with & < > " escaped for XML (tool files, SVG).
std::string xml_escape(const std::string& s);
std::string scram_tool_file(const PackageInfo& p);
std::string cmake_config(const PackageInfo& p);
std::string cmake_config_version(const PackageInfo& p);
std::string pkg_config(const PackageInfo& p);

}  // namespace tfaot::backend
