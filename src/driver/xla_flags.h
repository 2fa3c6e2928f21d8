// XLA's aot_compile_cpu flags (cms-tfaot's --additional-flags, e.g. CMSDIST's
// "--target_triple x86_64-unknown-linux-gnu") mapped to tfaot's options: --target_triple and
// --target_cpu choose compilation.target where tfaot has an equivalent; every other flag is
// accepted and reported as ignored, one note per flag.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tfaot::driver {

struct XlaFlags {
  std::optional<std::string> target;  // tfaot's --target, if the flags choose one
  std::string triple_arch;            // the architecture of --target_triple ("" if none given)
  std::vector<std::string> notes;     // one line per flag without an effect
};

// Parses the whitespace-separated `flags` (--name=value or --name value). An x86_64 triple keeps
// the configured target, an aarch64 one selects tfaot's aarch64 target, --target_cpu names the
// -march/-mcpu value. Fails for a triple tfaot cannot generate code for (only x86_64, aarch64).
XlaFlags parse_xla_flags(const std::string& flags);

}  // namespace tfaot::driver
