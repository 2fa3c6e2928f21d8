// Multi-target objects (compilation.target with several -march values, x86-64 only: the
// selection uses cpuid, so no Arm target may be listed): the code
// of one batch size is compiled once per target as a hidden function NAME_bsN__<suffix>
// (TFAOT_VARIANT_ENTRY, see emitter.cc); a small dispatcher, compiled for the least capable
// target, defines the public NAME_bsN::run and calls the best variant the CPU supports, chosen
// once at first use (thread-safe static, no heap); `ld -r` joins them into one NAME_bsN.o.
// TFAOT_FORCE_TARGET=<target> in the environment forces a variant (tests, emulators).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "backend/toolchain.h"

namespace tfaot::backend {

struct TargetVariant {
  std::string target;                     // -march value
  std::string suffix;                     // symbol suffix: target with non-identifier chars as '_'
  std::vector<std::string> cpu_features;  // __builtin_cpu_supports names the target implies
};

// Resolves the targets' CPU features with the compiler's predefined macros; returns them
// best first (most features), the least capable last. Throws Error (naming the target) for a
// target the compiler rejects or that is not x86-64.
std::vector<TargetVariant> resolve_variants(const ToolchainOptions& base, const std::vector<std::string>& targets);

// Symbol of a variant's entry: "NAME_bsN__" + suffix.
std::string variant_entry(const std::string& struct_name, const TargetVariant& v);

// Source of the dispatcher defining `NS::struct_name::run` (includes "<struct_name>.h").
std::string dispatcher_source(const std::string& ns, const std::string& struct_name,
                              const std::vector<TargetVariant>& variants);

// `cxx -r -nostdlib objects... -o out`: one relocatable object.
std::vector<std::string> partial_link_command(const ToolchainOptions& options, const std::vector<std::string>& objects,
                                              const std::string& out);

// How the object of one generated unit (`name`.cc in `dir`) is built: compile jobs, then, for
// several targets, each variant's weak symbols renamed and everything joined by a partial link
// into `object`. No variants: one plain compile. Writes `name`_dispatch.cc for several.
struct ObjectBuild {
  std::string object;
  std::vector<CompileJob> jobs;
  std::vector<std::pair<std::string, std::string>> renames;  // variant object, suffix
  std::vector<std::string> parts;                            // partial link inputs (empty: none)
};
ObjectBuild plan_object(const ToolchainOptions& tc, const std::vector<TargetVariant>& variants, const std::string& ns,
                        const std::string& name, const std::filesystem::path& dir);

// Renames the weak (COMDAT) definitions of `object` by appending ".<suffix>", so that
// inline code instantiated for one target is never merged with another target's copy.
// Throws Error if nm/objcopy fail.
void rename_weak_definitions(const std::filesystem::path& object, const std::string& suffix);

}  // namespace tfaot::backend
