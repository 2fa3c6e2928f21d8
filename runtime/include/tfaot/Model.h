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
// whose results are dropped. A compiled batch size without a rule runs its code directly. Any
// other batch size runs the model's dynamic-batch entry if the package has one
// (M::has_dynamic_batch: one call, no padding, no rule registered); otherwise it gets
// BatchStrategy's default rule (CMSSW's) on first use.
//
// run(): inputs and outputs are XxxArrays (Arrays.h) in the model's order (signature keys,
// sorted). Their element types must equal the model's (static_assert); counts, batch entries
// and entry sizes are checked at run time (tfaot::Exception). Copies go through per-batch-size
// buffers that are allocated once, on first use of that size, and reused: a warm run allocates
// only the returned vectors (the dynamic entry's buffers grow to the largest batch size seen).
//
// runFlat(): inputs[i] / outputs[i] are contiguous row-major buffers of batchSize entries.
// Unpadded chunks run the compiled code directly on offset pointers (no copy); only a padded
// last chunk goes through the internal buffers. A warm runFlat performs no heap allocation.
// Outputs must not overlap inputs.
//
// Thread safety: an instance is used by one thread at a time (it owns mutable buffers and its
// strategy); distinct instances are independent, the generated code is reentrant.
#ifndef TFAOT_MODEL_H
#define TFAOT_MODEL_H

#include <algorithm>
#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "tfaot/Arrays.h"
#include "tfaot/Batching.h"
#include "tfaot/Exception.h"
#include "tfaot/Flat.h"

namespace tfaot {

namespace detail {

// Instantiated per argument so that a type error names the index and both types.
template <size_t Index, typename Expected, typename Given>
struct CheckInputArrays {
  using Element = typename ArraysElement<Given>::type;
  static_assert(!std::is_void<Element>::value,
                "tfaot::Model::run: every input must be a std::vector<std::vector<T>> "
                "(tfaot::FloatArrays, tfaot::Int64Arrays, ...)");
  static_assert(std::is_void<Element>::value || std::is_same<Element, Expected>::value,
                "tfaot::Model::run: the element type of this input differs from the model's "
                "input dtype (template arguments: input index, model type, given arrays)");
  static constexpr bool ok = std::is_same<Element, Expected>::value;
};

template <size_t Index, typename Expected, typename Given>
struct CheckOutputArrays {
  using Element = typename ArraysElement<Given>::type;
  static_assert(!std::is_void<Element>::value,
                "tfaot::Model::run: every output type must be a std::vector<std::vector<T>> "
                "(tfaot::FloatArrays, tfaot::BoolArrays, ...)");
  static_assert(std::is_void<Element>::value || std::is_same<Element, Expected>::value,
                "tfaot::Model::run: the element type of this output differs from the model's "
                "output dtype (template arguments: output index, model type, requested arrays)");
  static constexpr bool ok = std::is_same<Element, Expected>::value;
};

// Packages compiled with batch rules (compilation.batch_rules) list them in M::batch_rules
// (strings "batchSize:size1,...,sizeN"); older packages and hand-written models have none.
template <class M, class = void>
struct HasCompiledRules : std::false_type {};
template <class M>
struct HasCompiledRules<M, std::void_t<decltype(M::batch_rules)>> : std::true_type {};

template <class M, typename InTuple, typename OutTuple, size_t... II, size_t... OI>
constexpr bool checkArrays(std::index_sequence<II...>, std::index_sequence<OI...>) {
  return (CheckInputArrays<II, std::tuple_element_t<II, typename M::input_types>,
                           std::tuple_element_t<II, InTuple>>::ok && ... && true) &&
         (CheckOutputArrays<OI, std::tuple_element_t<OI, typename M::output_types>,
                            std::tuple_element_t<OI, OutTuple>>::ok && ... && true);
}

template <class M, typename InTuple, typename OutTuple, size_t... II, size_t... OI>
constexpr bool checkPointers(std::index_sequence<II...>, std::index_sequence<OI...>) {
  static_assert(((std::is_same<std::remove_const_t<std::tuple_element_t<II, InTuple>>,
                               std::tuple_element_t<II, typename M::input_types>>::value) && ... &&
                 true),
                "tfaot::Model::runFlat: an input pointer type differs from the model's dtype");
  static_assert(((std::is_same<std::tuple_element_t<OI, OutTuple>,
                               std::tuple_element_t<OI, typename M::output_types>>::value) && ... &&
                 true),
                "tfaot::Model::runFlat: an output pointer type differs from the model's dtype "
                "(or is const)");
  return true;
}

}  // namespace detail

template <class M>
class Model {
 public:
  static constexpr size_t nInputs = M::num_inputs;
  static constexpr size_t nOutputs = M::num_outputs;

  // Registers the rules compiled into the package (M::batch_rules, compilation.batch_rules);
  // setBatchRule / setBatchRules / setBatchStrategy later replace them.
  explicit Model()
      : name_(M::name), batchSizes_(M::batch_sizes.begin(), M::batch_sizes.end()) {
    if constexpr (detail::HasCompiledRules<M>::value) {
      for (const char* rule : M::batch_rules) addRule([&] { return BatchRule(std::string(rule)); });
    }
  }
  Model(Model&&) = default;
  Model& operator=(Model&&) = default;
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;
  ~Model() = default;

  const std::string& name() const { return name_; }

  // The compiled batch sizes, ascending.
  const std::vector<size_t>& batchSizes() const { return batchSizes_; }

  // Replaces the strategy (compiled-in rules too); throws Exception("BatchRule") if a rule uses
  // a non-compiled size.
  void setBatchStrategy(const BatchStrategy& strategy) {
    for (const auto& entry : strategy.rules()) checkCompiled(entry.second);
    batchStrategy_ = strategy;
  }
  const BatchStrategy& getBatchStrategy() const { return batchStrategy_; }

  // Registers a rule (see BatchRule); throws Exception("BatchRule"), naming the model, if the
  // rule is invalid or uses a size the model is not compiled for.
  void setBatchRule(size_t batchSize, const std::vector<size_t>& sizes, size_t lastPadding = 0) {
    addRule([&] { return BatchRule(batchSize, sizes, lastPadding); });
  }
  void setBatchRule(const std::string& batchRule) {
    addRule([&] { return BatchRule(batchRule); });
  }

  // Registers every rule of a rules file (readBatchRules; tfaot-tune writes them). All or
  // nothing: throws Exception("BatchRule") naming the file if a rule is invalid or uses a size
  // that is not compiled, and then registers none.
  void setBatchRules(const std::string& path) {
    std::vector<BatchRule> rules;
    std::vector<size_t> lines;
    try {
      rules = readBatchRules(path, &lines);
    } catch (const Exception& e) {
      detail::fail("BatchRule", "model '", name_, "': ", e.message());
    }
    for (size_t i = 0; i < rules.size(); ++i) {
      try {
        checkCompiled(rules[i]);
      } catch (const Exception& e) {
        detail::fail("BatchRule", path, ":", lines[i], ": ", e.message());
      }
    }
    for (const BatchRule& rule : rules) batchStrategy_.setRule(rule);
  }

  template <typename... Outputs, typename... Inputs>
  std::tuple<Outputs...> run(size_t batchSize, Inputs&&... inputs);

  // Zero-copy evaluation over contiguous buffers (see the top of this file).
  void runFlat(size_t batchSize, const void* const* inputs, void* const* outputs);
  void runFlat(size_t batchSize, const std::array<const void*, nInputs>& inputs,
               const std::array<void*, nOutputs>& outputs) {
    runFlat(batchSize, inputs.data(), outputs.data());
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
  std::array<Buffers, kNumSizes> buffers_;
  Buffers dynamic_;  // the dynamic-batch entry's: io grows with the batch size

  template <typename Make>
  void addRule(const Make& make) {
    try {
      BatchRule rule = make();
      checkCompiled(rule);
      batchStrategy_.setRule(rule);
    } catch (const Exception& e) {
      if (e.message().rfind("model '", 0) == 0) throw;
      detail::fail(e.category().c_str(), "model '", name_, "': ", e.message());
    }
  }

  void checkCompiled(const BatchRule& rule) const {
    for (size_t size : rule.getSizes()) {
      if (!isCompiled<M>(size)) {
        detail::fail("BatchRule", "model '", name_, "': rule for batch size ",
                     rule.getBatchSize(), " uses size ", size,
                     " which is not a compiled batch size (compiled: ", compiledList(), ")");
      }
    }
  }

  std::string compiledList() const {
    std::string list;
    for (size_t bs : batchSizes_) list += (list.empty() ? "" : ",") + std::to_string(bs);
    return list;
  }

  // The rule of batchSize, registering the default rule on first use.
  const BatchRule& ensureRule(size_t batchSize) {
    detail::checkBatchSize<M>(batchSize);
    if (!batchStrategy_.hasRule(batchSize)) {
      batchStrategy_.setDefaultRule(batchSize, batchSizes_);
    }
    const BatchRule& rule = batchStrategy_.getRule(batchSize);
    return rule;
  }

  // True if batchSize goes through the dynamic-batch entry (see the top of this file).
  bool useDynamic(size_t batchSize) const {
    if constexpr (hasDynamicBatch<M>()) {
      return batchSize > 0 && !batchStrategy_.hasRule(batchSize) && !isCompiled<M>(batchSize);
    } else {
      (void)batchSize;
      return false;
    }
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
    detail::fail("BatchRule", "model '", name_, "': batch size ", batchSize,
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
      detail::fail("RunFailed", "model '", name_, "' refused to run batch size ", batchSize);
    }
  }

  // Checks one batched input: batchSize entries of input_counts_no_batch[I] elements each.
  template <size_t I, typename A>
  void checkInput(size_t batchSize, const A& arrays) const {
    const size_t expected = M::input_counts_no_batch[I];
    if (arrays.size() != batchSize) {
      detail::fail("InputMismatch", "model '", name_, "': input ", I, " ('", M::input_names[I],
                   "') has ", arrays.size(), " batch entries, but the batch size is ",
                   batchSize);
    }
    for (size_t b = 0; b < batchSize; ++b) {
      if (arrays[b].size() != expected) {
        detail::fail("InputMismatch", "model '", name_, "': input ", I, " ('",
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
    detail::fail("InputMismatch", "model '", name_, "' received ", sizeof...(Inputs),
                 " inputs, but ", nInputs, " are expected");
  } else if constexpr (sizeof...(Outputs) != nOutputs) {
    detail::fail("OutputMismatch", "requested ", sizeof...(Outputs), " outputs from model '",
                 name_, "', but ", nOutputs, " are provided");
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

      // Validate everything before touching any buffer.
      detail::checkBatchSize<M>(batchSize);
      forEachInput([&](auto i) { checkInput<i>(batchSize, std::get<i>(ins)); });
      const bool dynamic = useDynamic(batchSize);
      const BatchRule* rule = dynamic ? nullptr : &ensureRule(batchSize);

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
  detail::checkBatchSize<M>(batchSize);
  if constexpr (nInputs > 0) {
    if (inputs == nullptr) {
      detail::fail("InputMismatch", "model '", name_, "': runFlat got a null input array");
    }
    for (size_t i = 0; i < nInputs; ++i) {
      if (inputs[i] == nullptr) {
        detail::fail("InputMismatch", "model '", name_, "': runFlat input ", i, " ('",
                     M::input_names[i], "') is null");
      }
    }
  }
  if constexpr (nOutputs > 0) {
    if (outputs == nullptr) {
      detail::fail("OutputMismatch", "model '", name_, "': runFlat got a null output array");
    }
    for (size_t o = 0; o < nOutputs; ++o) {
      if (outputs[o] == nullptr) {
        detail::fail("OutputMismatch", "model '", name_, "': runFlat output ", o, " ('",
                     M::output_names[o], "') is null");
      }
    }
  }
  if (useDynamic(batchSize)) {
    invokeDynamic(batchSize, inputs, outputs);
    return;
  }
  const BatchRule& rule = ensureRule(batchSize);
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
      [](auto*... p) { return std::array<const void*, nInputs + 1>{p..., nullptr}; }, inputs);
  const std::array<void*, nOutputs + 1> out = std::apply(
      [](auto*... p) { return std::array<void*, nOutputs + 1>{p..., nullptr}; }, outputs);
  runFlat(batchSize, in.data(), out.data());
}

}  // namespace tfaot

#endif  // TFAOT_MODEL_H
