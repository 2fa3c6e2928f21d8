// tfaot::Model<M>: evaluates a compiled model at any batch size (the CMSSW TensorFlowAOT API).
//
//   #include "tfaot-model-NAME/model.h"
//   tfaot::Model<tfaot_model::NAME> model;
//   model.setBatchRule("5:2,2,2");                       // optional, see Batching.h
//   auto [y] = model.run<tfaot::FloatArrays>(batchSize, x);
//   auto [y1, y2] = model.run<tfaot::FloatArrays, tfaot::BoolArrays>(batchSize, x1, x2);
//   // string inputs (dtype "string"): tfaot::StringArrays, passed to the code as views
//   auto [p] = model.run<tfaot::FloatArrays>(batchSize, userIds, movieTitles);
//   // zero-copy over flat buffers (std::vector<float> x1f of batchSize * 4 floats, ...):
//   model.runFlat(batchSize, {x1f.data(), x2f.data()}, {y1f.data(), y2f.data()});
//
// M is the struct of the model's model.h (docs/generated-code.md). A batch size with a rule
// (setBatchRule / setBatchStrategy, or compiled into the package: M::batch_rules) runs that
// rule: every chunk one compiled batch size, the last chunk possibly padded with zero entries
// whose results are dropped. A batch size without a rule gets BatchStrategy's default rule
// (CMSSW's) on first use, as in CMSSW -- but if the package has a dynamic-batch entry
// (M::has_dynamic_batch) and the size is not compiled, that entry runs it in one call (no
// padding) for as long as the registered rule is that default one.
//
// run(): inputs and outputs are XxxArrays (Arrays.h) in the model's order (signature keys,
// sorted). Their element types must equal the model's (static_assert). An input may hold more
// than batchSize entries (pre-allocated buffers): the first batchSize are used, as in CMSSW.
// Counts and entry sizes are checked at run time (tfaot::Exception, InputMismatch). Copies go
// through per-batch-size buffers that are allocated once, on first use of that size, and
// reused: a warm run allocates only the returned vectors (the dynamic entry's buffers grow to
// the largest batch size seen).
//
// runFlat(): inputs[i] / outputs[i] are contiguous row-major buffers of batchSize entries.
// Unpadded chunks run the compiled code directly on offset pointers (no copy); only a padded
// last chunk goes through the internal buffers. A warm runFlat performs no heap allocation.
// Outputs must not overlap inputs.
//
// Errors are tfaot::Exception (cms::Exception inside CMSSW) with CMSSW's categories
// (Exception.h); messages name the model by name(), CMSSW's "<namespace>_<class>".
//
// Thread safety: an instance is used by one thread at a time (it owns mutable buffers and its
// strategy); distinct instances are independent, the generated code is reentrant.
#ifndef TFAOT_MODEL_H
#define TFAOT_MODEL_H

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "tfaot/Arrays.h"
#include "tfaot/Batching.h"
#include "tfaot/Exception.h"
#include "tfaot/Flat.h"
#include "tfaot/ModelDetail.h"

namespace tfaot {

template <class M>
class Model {
 public:
  static constexpr size_t nInputs = M::num_inputs;
  static constexpr size_t nOutputs = M::num_outputs;

  // Registers the rules compiled into the package (M::batch_rules, compilation.batch_rules);
  // setBatchRule / setBatchRules / setBatchStrategy later replace them.
  explicit Model()
      : name_(detail::wrapperName<M>()),
        batchSizes_(M::batch_sizes.begin(), M::batch_sizes.end()) {
    if constexpr (detail::HasCompiledRules<M>::value) {
      for (const char* rule : M::batch_rules) addRule([&] { return BatchRule(std::string(rule)); });
    }
  }
  Model(Model&&) = default;
  Model& operator=(Model&&) = default;
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;
  ~Model() = default;

  // CMSSW's name, "<namespace>_<class>" (e.g. "tfaot_model_simple"); M::name is the model's.
  const std::string& name() const { return name_; }

  // The compiled batch sizes, ascending.
  const std::vector<size_t>& batchSizes() const { return batchSizes_; }

  // Replaces the strategy (compiled-in rules too); throws UnknownBatchSize if a rule uses a
  // size that is not compiled (CMSSW would accept it and throw UnknownBatchSize in run).
  void setBatchStrategy(const BatchStrategy& strategy) {
    for (const auto& entry : strategy.rules()) checkCompiled(entry.second);
    // Sizes the dynamic entry served keep it while their rule is still the default one.
    std::set<size_t> dynamicDefaults;
    for (size_t batchSize : dynamicDefaults_) {
      if (strategy.hasRule(batchSize) && strategy.getRule(batchSize) == defaultRule(batchSize)) {
        dynamicDefaults.insert(batchSize);
      }
    }
    batchStrategy_ = strategy;
    dynamicDefaults_ = std::move(dynamicDefaults);
  }
  const BatchStrategy& getBatchStrategy() const { return batchStrategy_; }

  // Registers a rule (see BatchRule for the categories); throws naming the model if the rule is
  // invalid, or UnknownBatchSize if it uses a size the model is not compiled for.
  void setBatchRule(size_t batchSize, const std::vector<size_t>& sizes, size_t lastPadding = 0) {
    addRule([&] { return BatchRule(batchSize, sizes, lastPadding); });
  }
  void setBatchRule(const std::string& batchRule) {
    addRule([&] { return BatchRule(batchRule); });
  }

  // Registers every rule of a rules file (readBatchRules; tfaot-tune writes them). All or
  // nothing: throws naming the model and the file (FileReadError, the rule's category, or
  // UnknownBatchSize for a size that is not compiled), and then registers none.
  void setBatchRules(const std::string& path) {
    std::vector<BatchRule> rules;
    std::vector<size_t> lines;
    try {
      rules = readBatchRules(path, &lines);
    } catch (const Exception& e) {
      detail::fail(e.category().c_str(), "model '", name_, "': ", e.message());
    }
    for (size_t i = 0; i < rules.size(); ++i) {
      try {
        checkCompiled(rules[i]);
      } catch (const Exception& e) {
        detail::fail(e.category().c_str(), path, ":", lines[i], ": ", e.message());
      }
    }
    for (const BatchRule& rule : rules) {
      batchStrategy_.setRule(rule);
      dynamicDefaults_.erase(rule.getBatchSize());
    }
  }

  template <typename... Outputs, typename... Inputs>
  std::tuple<Outputs...> run(size_t batchSize, Inputs&&... inputs);

  // Zero-copy evaluation over contiguous buffers (see the top of this file).
  void runFlat(size_t batchSize, const void* const* inputs, void* const* outputs);
  // std::array objects; a template so that braced lists never try this overload (the brace
  // elision of {x.data()} into a std::array is an error under CMSSW's -Werror=missing-braces).
  template <size_t NI, size_t NO>
  void runFlat(size_t batchSize, const std::array<const void*, NI>& inputs,
               const std::array<void*, NO>& outputs) {
    static_assert(NI == nInputs && NO == nOutputs,
                  "tfaot::Model::runFlat: one pointer per model input and output");
    runFlat(batchSize, inputs.data(), outputs.data());
  }
  // Braced lists: model.runFlat(bs, {x.data()}, {y.data()}).
  void runFlat(size_t batchSize, std::initializer_list<const void*> inputs,
               std::initializer_list<void*> outputs) {
    if (inputs.size() != nInputs) {
      detail::fail(category::InputMismatch, "model '", name_, "': runFlat got ", inputs.size(),
                   " input pointers, but ", nInputs, " are expected");
    }
    if (outputs.size() != nOutputs) {
      detail::fail(category::OutputMismatch, "model '", name_, "': runFlat got ",
                   outputs.size(), " output pointers, but ", nOutputs, " are provided");
    }
    runFlat(batchSize, inputs.begin(), outputs.begin());
  }
  // Typed pointers, checked against the model's dtypes at compile time:
  //   model.runFlat(bs, std::make_tuple(x1.data(), x2.data()), std::make_tuple(y.data()));
  template <typename... Ins, typename... Outs>
  void runFlat(size_t batchSize, const std::tuple<Ins*...>& inputs,
               const std::tuple<Outs*...>& outputs);

 private:
  using InputTypes = typename M::input_types;
  using OutputTypes = typename M::output_types;
  static_assert(detail::CheckModel<M>::ok);
  static constexpr size_t kNumSizes = M::batch_sizes.size();

  // Buffers of one compiled batch size; io and scratch are allocated separately and lazily
  // because runFlat needs the io buffers only for padded chunks.
  struct Buffers {
    AlignedBuffer io;
    AlignedBuffer scratch;
    std::array<void*, nInputs> in{};
    std::array<void*, nOutputs> out{};
    size_t rows = 0;  // batch entries io holds
  };

  std::string name_;
  std::vector<size_t> batchSizes_;
  BatchStrategy batchStrategy_;
  // Batch sizes whose rule Model registered as the default while the dynamic entry served them.
  std::set<size_t> dynamicDefaults_;
  std::array<Buffers, kNumSizes> buffers_;
  Buffers dynamic_;  // the dynamic-batch entry's: io grows with the batch size

  template <typename Make>
  void addRule(const Make& make) {
    try {
      BatchRule rule = make();
      checkCompiled(rule);
      batchStrategy_.setRule(rule);
      dynamicDefaults_.erase(rule.getBatchSize());
    } catch (const Exception& e) {
      if (e.message().rfind("model '", 0) == 0) throw;
      detail::fail(e.category().c_str(), "model '", name_, "': ", e.message());
    }
  }

  void checkCompiled(const BatchRule& rule) const {
    for (size_t size : rule.getSizes()) {
      if (!isCompiled<M>(size)) {
        detail::fail(category::UnknownBatchSize, "model '", name_, "': rule for batch size ",
                     rule.getBatchSize(), " uses size ", size,
                     " which is not a compiled batch size (compiled: ", compiledList(), ")");
      }
    }
  }

  std::string compiledList() const {
    std::string list;
    for (size_t bs : batchSizes_) {
      if (!list.empty()) list += ',';
      list += std::to_string(bs);
    }
    return list;
  }

  BatchRule defaultRule(size_t batchSize) const {
    BatchStrategy strategy;
    strategy.setDefaultRule(batchSize, batchSizes_);
    return strategy.getRule(batchSize);
  }

  // Batch size 0 has no rule in CMSSW (its default rule has no sizes: EmptySizes). Sizes no
  // call can have (a negative int converted to size_t, buffers beyond PTRDIFF_MAX bytes) are
  // rejected before a rule of that many chunks is derived.
  void checkBatchSize(size_t batchSize) const {
    if (batchSize == 0) {
      detail::fail(category::EmptySizes, "model '", name_,
                   "': batch size 0 has no entries to evaluate (its default rule has no sizes)");
    }
    constexpr size_t kMaxBytes = static_cast<size_t>(PTRDIFF_MAX);
    if (batchSize > kMaxBytes) {
      detail::fail(category::InvalidBatchSize, "model '", name_, "' cannot run batch size ",
                   batchSize, " (a negative number, ", static_cast<std::ptrdiff_t>(batchSize),
                   ", converted to size_t)");
    }
    constexpr auto inSizes = detail::ElementSizes<InputTypes>::value;
    constexpr auto outSizes = detail::ElementSizes<OutputTypes>::value;
    auto check = [&](const char* kind, size_t index, const char* name, size_t entryBytes) {
      if (entryBytes > 0 && batchSize > kMaxBytes / entryBytes) {
        detail::fail(category::InvalidBatchSize, "model '", name_, "' cannot run batch size ",
                     batchSize, ": ", kind, " ", index, " ('", name, "') would need more than ",
                     kMaxBytes, " bytes");
      }
    };
    for (size_t i = 0; i < nInputs; ++i) {
      check("input", i, M::input_names[i], M::input_counts_no_batch[i] * inSizes[i]);
    }
    for (size_t o = 0; o < nOutputs; ++o) {
      check("output", o, M::output_names[o], M::output_counts_no_batch[o] * outSizes[o]);
    }
  }

  // True if batchSize goes through the dynamic-batch entry (see the top of this file).
  bool useDynamic(size_t batchSize) const {
    if constexpr (hasDynamicBatch<M>()) {
      return !isCompiled<M>(batchSize) &&
             (!batchStrategy_.hasRule(batchSize) || dynamicDefaults_.count(batchSize) != 0);
    } else {
      (void)batchSize;
      return false;
    }
  }

  // As CMSSW's ensureRule: registers the default rule of a batch size without one. Returns the
  // rule to run, or nullptr if the dynamic entry runs the batch.
  const BatchRule* prepare(size_t batchSize) {
    const bool dynamic = useDynamic(batchSize);
    if (!batchStrategy_.hasRule(batchSize)) {
      batchStrategy_.setDefaultRule(batchSize, batchSizes_);
      if (dynamic) dynamicDefaults_.insert(batchSize);
    }
    return dynamic ? nullptr : &batchStrategy_.getRule(batchSize);
  }

  void invokeDynamic(size_t batchSize, const void* const* inputs, void* const* outputs) {
    if constexpr (hasDynamicBatch<M>()) {
      if (M::dynamic_scratch_bytes > 0 && dynamic_.scratch.data() == nullptr) {
        dynamic_.scratch = AlignedBuffer(M::dynamic_scratch_bytes);
      }
      M::run_dynamic(batchSize, inputs, outputs, dynamic_.scratch.data());
    } else {
      (void)batchSize, (void)inputs, (void)outputs;
    }
  }

  Buffers& buffersOf(size_t batchSize) {
    for (size_t i = 0; i < kNumSizes; ++i) {
      if (M::batch_sizes[i] == batchSize) return buffers_[i];
    }
    detail::fail(category::UnknownBatchSize, "model '", name_, "': batch size ", batchSize,
                 " of a rule is not compiled (compiled: ", compiledList(), ")");
  }

  void* scratchOf(size_t batchSize, Buffers& buf) {
    const size_t bytes = M::scratch_bytes(batchSize);
    if (bytes > 0 && buf.scratch.data() == nullptr) buf.scratch = AlignedBuffer(bytes);
    return buf.scratch.data();
  }

  void ensureIO(size_t batchSize, Buffers& buf) {
    if ((buf.io.data() != nullptr && buf.rows >= batchSize) || (nInputs + nOutputs == 0)) return;
    constexpr auto inSizes = detail::ElementSizes<InputTypes>::value;
    constexpr auto outSizes = detail::ElementSizes<OutputTypes>::value;
    size_t total = 0;
    for (size_t i = 0; i < nInputs; ++i) {
      total += detail::roundUp(batchSize * M::input_counts_no_batch[i] * inSizes[i]);
    }
    for (size_t o = 0; o < nOutputs; ++o) {
      total += detail::roundUp(batchSize * M::output_counts_no_batch[o] * outSizes[o]);
    }
    // At least one byte so that data() marks the buffers as allocated.
    buf.io = AlignedBuffer(std::max<size_t>(total, 1));
    buf.rows = batchSize;
    size_t offset = 0;
    for (size_t i = 0; i < nInputs; ++i) {
      buf.in[i] = buf.io.bytes() + offset;
      offset += detail::roundUp(batchSize * M::input_counts_no_batch[i] * inSizes[i]);
    }
    for (size_t o = 0; o < nOutputs; ++o) {
      buf.out[o] = buf.io.bytes() + offset;
      offset += detail::roundUp(batchSize * M::output_counts_no_batch[o] * outSizes[o]);
    }
  }

  void invoke(size_t batchSize, const void* const* inputs, void* const* outputs, void* scratch) {
    if (!M::run(batchSize, inputs, outputs, scratch)) {
      detail::fail(category::FailedRun, "model '", name_, "' refused to run batch size ",
                   batchSize);
    }
  }

  // Checks one batched input: at least batchSize entries (CMSSW reads the first batchSize; with
  // fewer it would read past the end), each of input_counts_no_batch[I] elements.
  template <size_t I, typename A>
  void checkInput(size_t batchSize, const A& arrays) const {
    const size_t expected = M::input_counts_no_batch[I];
    if (arrays.size() < batchSize) {
      detail::fail(category::InputMismatch, "model '", name_, "': input ", I, " ('",
                   M::input_names[I], "') has ", arrays.size(),
                   " batch entries, fewer than the batch size ", batchSize);
    }
    for (size_t b = 0; b < batchSize; ++b) {
      if (arrays[b].size() != expected) {
        detail::fail(category::InputMismatch, "model '", name_, "': input ", I, " ('",
                     M::input_names[I], "') entry ", b, " has ", arrays[b].size(),
                     " elements, but ", expected, " are expected");
      }
    }
  }
};

template <class M>
template <typename... Outputs, typename... Inputs>
std::tuple<Outputs...> Model<M>::run(size_t batchSize, Inputs&&... inputs) {
  if constexpr (sizeof...(Inputs) != nInputs) {
    detail::fail(category::InputMismatch, "model '", name_, "' received ", sizeof...(Inputs),
                 " inputs, but ", nInputs, " are expected");
  } else if constexpr (sizeof...(Outputs) != nOutputs) {
    detail::fail(category::OutputMismatch, "requested ", sizeof...(Outputs),
                 " outputs from model '", name_, "', but ", nOutputs, " are provided");
  } else {
    // The checks static_assert with a clear message; skipping the body then avoids a cascade
    // of unrelated errors.
    constexpr bool typesOk =
        detail::checkArrays<M, std::tuple<std::decay_t<Inputs>...>, std::tuple<Outputs...>>(
            std::index_sequence_for<Inputs...>{}, std::index_sequence_for<Outputs...>{});
    if constexpr (!typesOk) {
      return std::tuple<Outputs...>();
    } else {
      const auto forEachInput = createIndexLooper<nInputs>();
      const auto forEachOutput = createIndexLooper<nOutputs>();
      const auto ins = std::forward_as_tuple(inputs...);

      // As CMSSW: the rule is registered before the inputs are looked at; everything is
      // validated before any buffer is touched.
      checkBatchSize(batchSize);
      const BatchRule* rule = prepare(batchSize);
      const bool dynamic = rule == nullptr;
      forEachInput([&](auto i) { checkInput<i>(batchSize, std::get<i>(ins)); });

      std::tuple<Outputs...> outputs;
      forEachOutput([&](auto o) {
        auto& arrays = std::get<o>(outputs);
        arrays.reserve(batchSize);
        for (size_t b = 0; b < batchSize; ++b) arrays.emplace_back(M::output_counts_no_batch[o]);
      });

      // Entries [offset, offset + valid) through buf's io buffers of `size` entries (zero
      // padding after the valid ones); `call` runs the model on them.
      auto runChunk = [&](size_t offset, size_t size, size_t valid, Buffers& buf, auto&& call) {
        ensureIO(size, buf);
        forEachInput([&](auto i) {
          using E = std::tuple_element_t<i, InputTypes>;
          const size_t count = M::input_counts_no_batch[i];
          E* dst = static_cast<E*>(buf.in[i]);
          const auto& arrays = std::get<i>(ins);
          for (size_t b = 0; b < valid; ++b) {
            detail::toBuffer(arrays[offset + b], dst + b * count);
          }
          std::fill(dst + valid * count, dst + size * count, E{});
        });

        call(buf);

        forEachOutput([&](auto o) {
          using E = std::tuple_element_t<o, OutputTypes>;
          const size_t count = M::output_counts_no_batch[o];
          const E* src = static_cast<const E*>(buf.out[o]);
          auto& arrays = std::get<o>(outputs);
          for (size_t b = 0; b < valid; ++b) {
            detail::fromBuffer(src + b * count, arrays[offset + b]);
          }
        });
      };

      if (dynamic) {
        runChunk(0, batchSize, batchSize, dynamic_,
                 [&](Buffers& buf) { invokeDynamic(batchSize, buf.in.data(), buf.out.data()); });
        return outputs;
      }
      size_t offset = 0;
      for (size_t k = 0; k < rule->nSizes(); ++k) {
        const size_t size = rule->getSize(k);
        const size_t valid = size - (k + 1 == rule->nSizes() ? rule->getLastPadding() : 0);
        Buffers& buf = buffersOf(size);
        void* scratch = scratchOf(size, buf);
        runChunk(offset, size, valid, buf,
                 [&](Buffers& b) { invoke(size, b.in.data(), b.out.data(), scratch); });
        offset += valid;
      }
      return outputs;
    }
  }
}

template <class M>
void Model<M>::runFlat(size_t batchSize, const void* const* inputs, void* const* outputs) {
  checkBatchSize(batchSize);
  if constexpr (nInputs > 0) {
    if (inputs == nullptr) {
      detail::fail(category::InputMismatch, "model '", name_, "': runFlat got a null input array");
    }
    for (size_t i = 0; i < nInputs; ++i) {
      if (inputs[i] == nullptr) {
        detail::fail(category::InputMismatch, "model '", name_, "': runFlat input ", i, " ('",
                     M::input_names[i], "') is null");
      }
    }
  }
  if constexpr (nOutputs > 0) {
    if (outputs == nullptr) {
      detail::fail(category::OutputMismatch, "model '", name_, "': runFlat got a null output array");
    }
    for (size_t o = 0; o < nOutputs; ++o) {
      if (outputs[o] == nullptr) {
        detail::fail(category::OutputMismatch, "model '", name_, "': runFlat output ", o, " ('",
                     M::output_names[o], "') is null");
      }
    }
  }
  const BatchRule* rulePtr = prepare(batchSize);
  if (rulePtr == nullptr) {
    invokeDynamic(batchSize, inputs, outputs);
    return;
  }
  const BatchRule& rule = *rulePtr;
  constexpr auto inSizes = detail::ElementSizes<InputTypes>::value;
  constexpr auto outSizes = detail::ElementSizes<OutputTypes>::value;
  // +1: a zero-length std::array has no usable data().
  std::array<const void*, nInputs + 1> in{};
  std::array<void*, nOutputs + 1> out{};

  size_t offset = 0;
  for (size_t k = 0; k < rule.nSizes(); ++k) {
    const size_t size = rule.getSize(k);
    const size_t valid = size - (k + 1 == rule.nSizes() ? rule.getLastPadding() : 0);
    Buffers& buf = buffersOf(size);
    void* scratch = scratchOf(size, buf);
    if (valid == size) {
      for (size_t i = 0; i < nInputs; ++i) {
        in[i] = static_cast<const unsigned char*>(inputs[i]) +
                offset * M::input_counts_no_batch[i] * inSizes[i];
      }
      for (size_t o = 0; o < nOutputs; ++o) {
        out[o] = static_cast<unsigned char*>(outputs[o]) +
                 offset * M::output_counts_no_batch[o] * outSizes[o];
      }
      invoke(size, in.data(), out.data(), scratch);
    } else {
      // Padded chunk: stage the valid entries, zero the padding, copy back the valid results.
      ensureIO(size, buf);
      for (size_t i = 0; i < nInputs; ++i) {
        const size_t entry = M::input_counts_no_batch[i] * inSizes[i];
        unsigned char* dst = static_cast<unsigned char*>(buf.in[i]);
        const unsigned char* src = static_cast<const unsigned char*>(inputs[i]) + offset * entry;
        std::copy(src, src + valid * entry, dst);
        std::fill(dst + valid * entry, dst + size * entry, static_cast<unsigned char>(0));
      }
      invoke(size, buf.in.data(), buf.out.data(), scratch);
      for (size_t o = 0; o < nOutputs; ++o) {
        const size_t entry = M::output_counts_no_batch[o] * outSizes[o];
        const unsigned char* src = static_cast<const unsigned char*>(buf.out[o]);
        std::copy(src, src + valid * entry, static_cast<unsigned char*>(outputs[o]) + offset * entry);
      }
    }
    offset += valid;
  }
}

template <class M>
template <typename... Ins, typename... Outs>
void Model<M>::runFlat(size_t batchSize, const std::tuple<Ins*...>& inputs,
                       const std::tuple<Outs*...>& outputs) {
  static_assert(sizeof...(Ins) == nInputs,
                "tfaot::Model::runFlat: the number of input pointers differs from the model's");
  static_assert(sizeof...(Outs) == nOutputs,
                "tfaot::Model::runFlat: the number of output pointers differs from the model's");
  static_assert(detail::checkPointers<M, std::tuple<Ins...>, std::tuple<Outs...>>(
      std::index_sequence_for<Ins...>{}, std::index_sequence_for<Outs...>{}));
  const std::array<const void*, nInputs + 1> in = std::apply(
      [](auto*... p) { return std::array<const void*, nInputs + 1>{{p..., nullptr}}; }, inputs);
  const std::array<void*, nOutputs + 1> out = std::apply(
      [](auto*... p) { return std::array<void*, nOutputs + 1>{{p..., nullptr}}; }, outputs);
  runFlat(batchSize, in.data(), out.data());
}

}  // namespace tfaot

#endif  // TFAOT_MODEL_H
