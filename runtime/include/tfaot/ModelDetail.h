// Compile-time helpers of tfaot::Model (Model.h): the element-type checks of run() and
// runFlat(), the optional M::batch_rules member, and CMSSW's model name.
#ifndef TFAOT_MODEL_DETAIL_H
#define TFAOT_MODEL_DETAIL_H

#include <cstddef>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "tfaot/Arrays.h"

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

// The qualified name of a type as the compiler spells it ("tfaot_model::simple"), or "" for
// compilers without __PRETTY_FUNCTION__.
template <class TfaotModelType>
std::string_view qualifiedTypeName() {
#if defined(__GNUC__) || defined(__clang__)
  // GCC: "... [with TfaotModelType = ns::name; ...]", Clang: "... [TfaotModelType = ns::name]".
  const std::string_view function = __PRETTY_FUNCTION__;
  const std::string_view key = "TfaotModelType = ";
  const size_t at = function.find(key);
  if (at == std::string_view::npos) return {};
  const std::string_view rest = function.substr(at + key.size());
  return rest.substr(0, rest.find_first_of(";]"));
#else
  return {};
#endif
}

// CMSSW's Model::name() is its wrapper's name, "<namespace>_<class>" (compilation.namespace as
// written, e.g. "tfaot_model_simple"). model.h declares struct M::name in that namespace, so
// the namespace is the type's qualifier; M::name alone where it cannot be derived.
template <class M>
std::string wrapperName() {
  const std::string_view type = qualifiedTypeName<M>();
  const size_t separator = type.rfind("::");
  if (separator == std::string_view::npos || type.find('<') != std::string_view::npos) {
    return M::name;
  }
  return std::string(type.substr(0, separator)) + "_" + M::name;
}

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
}  // namespace tfaot

#endif  // TFAOT_MODEL_DETAIL_H
