#include "driver/golden.h"

#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "support/error.h"
#include "support/file.h"

namespace tfaot::driver {

namespace {

using nlohmann::json;

double json_float(const json& v, const std::string& where) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (s == "Infinity") return std::numeric_limits<double>::infinity();
    if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
  }
  fail("{}: not a number", where);
}

Tensor read_tensor(const json& j, const std::string& where) {
  if (!j.is_object() || !j.contains("dtype") || !j.contains("shape") || !j.contains("data"))
    fail("{}: a tensor needs dtype, shape and data", where);
  DType dtype = dtype_from_name(j["dtype"].get<std::string>());
  if (dtype == DType::Invalid) fail("{}: unknown dtype '{}'", where, j["dtype"].get<std::string>());
  Shape shape = j["shape"].get<Shape>();
  Tensor t(dtype, shape);
  const json& data = j["data"];
  if (!data.is_array() || static_cast<int64_t>(data.size()) != t.num_elements())
    fail("{}: {} values for shape {}", where, data.size(), shape_str(shape));
  for (size_t i = 0; i < data.size(); ++i) {
    const json& v = data[i];
    if (dtype == DType::Bool) {
      if (!v.is_boolean()) fail("{}: bool value expected", where);
      t.data<bool>()[i] = v.get<bool>();
    } else if (dtype == DType::Float) {
      // Shortest decimal that round-trips through double then float (GOLDEN.md).
      t.data<float>()[i] = static_cast<float>(json_float(v, where));
    } else if (dtype_is_float(dtype)) {
      t.set_double(static_cast<int64_t>(i), json_float(v, where));
    } else if (dtype == DType::Int64) {
      t.data<int64_t>()[i] = v.get<int64_t>();
    } else {
      t.set_double(static_cast<int64_t>(i), json_float(v, where));
    }
  }
  return t;
}

}  // namespace

Golden read_golden(const std::filesystem::path& path) {
  const std::string text = read_regular_file(path, "golden file", uint64_t{2} << 30);
  json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const std::exception& e) {
    fail("{}: invalid JSON: {}", path.string(), e.what());
  }
  return with_context(path.string(), [&] {
    Golden g;
    if (j.value("format", "") != "tf-oracle-golden-v1")
      fail("unsupported golden format '{}'", j.value("format", ""));
    const json& model = j.at("model");
    g.model_name = model.value("name", "");
    g.signature = model.value("signature", "");
    g.format = model.value("format", "savedmodel");
    for (const auto& [k, v] : j.at("inputs").items()) {
      g.input_keys.push_back(k);
      g.tensor_names[k] = v.value("tensor_name", k);
    }
    for (const auto& [k, v] : j.at("outputs").items()) {
      g.output_keys.push_back(k);
      g.tensor_names[k] = v.value("tensor_name", k);
    }
    if (j.contains("input_shapes"))
      for (const auto& [k, dims] : j["input_shapes"].items()) {
        std::vector<std::string> d;
        for (const auto& x : dims) d.push_back(x.is_string() ? x.get<std::string>() : std::to_string(x.get<int64_t>()));
        g.input_shapes[k] = d;
      }
    for (size_t c = 0; c < j.at("cases").size(); ++c) {
      const json& jc = j["cases"][c];
      GoldenCase gc;
      gc.batch_size = jc.value("batch_size", int64_t{0});
      for (const auto& [k, v] : jc.at("inputs").items())
        gc.inputs.emplace(k, read_tensor(v, fmt::format("case {} input '{}'", c, k)));
      for (const auto& [k, v] : jc.at("outputs").items())
        gc.outputs.emplace(k, read_tensor(v, fmt::format("case {} output '{}'", c, k)));
      g.cases.push_back(std::move(gc));
    }
    return g;
  });
}

Comparison compare(const Tensor& actual, const Tensor& expected, const Tolerance& tol) {
  Comparison c;
  if (actual.dtype() != expected.dtype() || actual.shape() != expected.shape()) {
    c.pass = false;
    c.message = fmt::format("got {}{}, expected {}{}", dtype_name(actual.dtype()),
                            shape_str(actual.shape()), dtype_name(expected.dtype()),
                            shape_str(expected.shape()));
    return c;
  }
  bool exact = !dtype_is_float(expected.dtype());
  for (int64_t i = 0; i < expected.num_elements(); ++i) {
    double a = actual.get_double(i), e = expected.get_double(i);
    bool ok;
    if (std::isnan(e) || std::isnan(a)) {
      ok = std::isnan(e) && std::isnan(a);
      if (!ok) c.max_abs = std::numeric_limits<double>::infinity();
    } else {
      double abs = std::fabs(a - e);
      if (std::isinf(e) || std::isinf(a)) abs = a == e ? 0 : std::numeric_limits<double>::infinity();
      double rel = e != 0 ? abs / std::fabs(e) : (abs == 0 ? 0 : std::numeric_limits<double>::infinity());
      c.max_abs = std::max(c.max_abs, abs);
      if (std::isfinite(rel)) c.max_rel = std::max(c.max_rel, rel);
      ok = exact ? a == e : abs <= tol.atol + tol.rtol * std::fabs(e);
    }
    if (!ok) {
      if (c.first_mismatch < 0) c.first_mismatch = i;
      ++c.mismatches;
      c.pass = false;
    }
  }
  if (!c.pass)
    c.message = fmt::format("{} of {} elements differ (first at {})", c.mismatches,
                            expected.num_elements(), c.first_mismatch);
  return c;
}

}  // namespace tfaot::driver
