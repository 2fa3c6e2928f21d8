// Output-argument layout of ops, to map FunctionDef references "node:out_arg:index" to flat
// output indices. Sources: the MetaGraphDef's stripped_op_list, library function signatures
// (a node whose op is a function name), and a built-in table of common ops for graphs that
// carry no op list.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "function.pb.h"
#include "node_def.pb.h"
#include "op_def.pb.h"

namespace tfaot::frontend {

class OpDefs {
 public:
  OpDefs(const tensorflow::OpList* stripped, const tensorflow::FunctionDefLibrary* library);

  // OpDef of `op`, or nullptr when neither the op list, the library nor the table know it.
  const tensorflow::OpDef* find(const std::string& op) const;
  // Flat output index of `node`'s output arg `arg`, element `index`; nullopt when the op is
  // unknown. Throws Error when the arg does not exist or the index is out of range.
  std::optional<int> flat_index(const tensorflow::NodeDef& node, const std::string& arg,
                                int index) const;
  // Number of outputs of `node`, nullopt when the op is unknown or a list length is missing.
  std::optional<int> num_outputs(const tensorflow::NodeDef& node) const;

 private:
  // Length of one output arg of `node` (1, N from number_attr, or len(type_list_attr)).
  static std::optional<int> arg_length(const tensorflow::NodeDef& node,
                                       const tensorflow::OpDef::ArgDef& arg);
  std::map<std::string, const tensorflow::OpDef*> by_name_;
};

// The built-in table (output args only) for ops without an OpList in the model.
const tensorflow::OpList& builtin_op_list();

}  // namespace tfaot::frontend
