// Lookup tables with constant contents. A SavedModel creates its tables (HashTableV2,
// MutableHashTableV2) in the main graph and fills them at load time: the restore function
// (saver_def.restore_op_name) imports checkpoint entries (RestoreV2 -> LookupTableImportV2),
// then the init op (signature "__saved_model_init_op", or the TF1 main-op / legacy-init-op /
// table-initializer collections) runs LookupTableImportV2 / InitializeTableV2 on graph
// constants, usually inside called functions. tfaot runs neither: it follows those ops at the
// NodeDef level (through function calls, Identity and function arguments) to the constants and
// checkpoint entries they read, so that every table is known at compile time.
//
// Invariant after resolve_tables: every LookupTableFindV2 whose table has resolved contents is
// a `_TableFind` node (inputs: keys, default_value, table_keys Const, table_values Const), and
// every LookupTableSizeV2 of such a table an int64 Const. A table whose contents cannot be
// resolved keeps its LookupTableFindV2, with attr `_tfaot_unresolved` saying why (reported by
// that op's infer, i.e. at compile time, naming the node).
#pragma once

#include <string>

#include "frontend/checkpoint.h"
#include "ir/graph.h"
#include "meta_graph.pb.h"

namespace tfaot::frontend {

void resolve_tables(ir::Graph& g, const tensorflow::MetaGraphDef& meta, const CheckpointReader* ckpt,
                    const std::string& file);

}  // namespace tfaot::frontend
