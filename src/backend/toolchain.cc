#include "backend/toolchain.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "support/error.h"
#include "support/interrupt.h"

namespace tfaot::backend {

std::vector<std::string> split_command(const std::string& command) {
  std::vector<std::string> words;
  std::istringstream in(command);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

namespace {

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

bool is_triple(const std::string& t) {
  return t.find("-linux") != std::string::npos || t.find("-unknown") != std::string::npos ||
         t.find("-none") != std::string::npos || t.find("-apple") != std::string::npos;
}

// Arm CPU names (GCC's -mcpu values) by prefix; architectures are "armv...".
bool is_arm_cpu(const std::string& t) {
  for (const char* p : {"cortex-a", "neoverse-", "a64fx", "ampere1", "thunderx", "tsv110", "apple-", "carmel", "falkor",
                        "kryo", "saphira", "octeontx", "xgene", "exynos-m", "qdf24xx", "generic-armv"})
    if (starts_with(t, p)) return true;
  return false;
}

}  // namespace

TargetArch target_arch(const std::string& t) {
  if (t == "aarch64" || t == "arm64" || starts_with(t, "aarch64-") || starts_with(t, "arm64-") ||
      starts_with(t, "armv8") || starts_with(t, "armv9") || is_arm_cpu(t))
    return TargetArch::Aarch64;
  return TargetArch::X86_64;
}

TargetArch host_arch() {
#if defined(__aarch64__)
  return TargetArch::Aarch64;
#else
  return TargetArch::X86_64;
#endif
}

const char* arch_name(TargetArch arch) { return arch == TargetArch::Aarch64 ? "aarch64" : "x86-64"; }

std::string resolve_cxx(const ToolchainOptions& options) {
  if (!options.cxx.empty()) return options.cxx;
  if (is_cross_target(options.target))
    return target_arch(options.target) == TargetArch::Aarch64 ? "aarch64-linux-gnu-g++" : "x86_64-linux-gnu-g++";
  if (const char* env = std::getenv("CXX"); env && *env) return env;
  return "c++";
}

std::vector<std::string> compile_command(const ToolchainOptions& options, const std::string& source,
                                         const std::string& object) {
  std::vector<std::string> argv = split_command(resolve_cxx(options));
  // C++17 so that the generated code also builds with older toolchains; no exceptions or
  // RTTI are needed by generated code; -fno-math-errno keeps libm calls inlinable without
  // changing results.
  for (const char* f : {"-std=c++17", "-fPIC", "-fno-exceptions", "-fno-rtti", "-fno-math-errno",
                        "-fno-semantic-interposition", "-fno-ident", "-w"})
    argv.push_back(f);
  argv.push_back(options.opt_level);
  // A target triple (e.g. aarch64-unknown-linux-gnu, as cms-tfaot's --target_triple) or plain
  // "aarch64" selects the cross compiler's default CPU (armv8-a for Debian's): clang takes the
  // triple as --target, GCC cross compilers are already bound to theirs. Arm CPUs are -mcpu
  // values (GCC's -march takes only architectures there); anything else is a -march value.
  const std::string& t = options.target;
  const bool clang = argv[0].find("clang") != std::string::npos;
  const bool arm = target_arch(t) == TargetArch::Aarch64;
  if (is_triple(t)) {
    if (clang) argv.push_back("--target=" + t);
  } else {
    if (clang && arm) argv.push_back("--target=aarch64-linux-gnu");
    if (is_arm_cpu(t)) argv.push_back("-mcpu=" + t);
    else if (!t.empty() && t != "aarch64" && t != "arm64") argv.push_back("-march=" + t);
  }
  if (options.fast_math)
    for (const char* f : {"-fno-signed-zeros", "-fno-trapping-math", "-fassociative-math",
                          "-freciprocal-math", "-ffp-contract=fast"})
      argv.push_back(f);
  for (const auto& f : options.extra_flags) argv.push_back(f);
  argv.insert(argv.end(), {"-I.", "-c", source, "-o", object});
  return argv;
}

ProcessResult run_process(const std::vector<std::string>& argv, const std::filesystem::path& cwd) {
  ProcessResult result;
  if (argv.empty()) return result;
  // Output goes to an unlinked temporary file so that large diagnostics cannot block the child.
  const std::string dir = std::filesystem::temp_directory_path().string();
  std::string tmpl = dir + "/tfaot-proc-XXXXXX";
  int fd = mkstemp(tmpl.data());
  if (fd < 0) {
    result.output = fmt::format("cannot create a temporary file in {}: {}", dir, std::strerror(errno));
    return result;
  }
  unlink(tmpl.c_str());
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  // posix_spawn: safe to call from the worker threads of run_parallel.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  posix_spawn_file_actions_adddup2(&actions, fd, 1);
  posix_spawn_file_actions_adddup2(&actions, fd, 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  const auto start = std::chrono::steady_clock::now();
  int rc = 0;
  // The child starts with no blocked signals (tfaot-compile blocks them in all its threads,
  // support/interrupt.h) and, under interrupt handling, in its own process group.
  const pid_t pid = spawn_tracked([&](bool own_group) {
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    short flags = POSIX_SPAWN_SETSIGMASK;
    if (own_group) {
      flags |= POSIX_SPAWN_SETPGROUP;
      posix_spawnattr_setpgroup(&attr, 0);
    }
    posix_spawnattr_setflags(&attr, flags);
    pid_t child = 0;
    rc = posix_spawnp(&child, args[0], &actions, &attr, args.data(), environ);
    posix_spawnattr_destroy(&attr);
    return rc == 0 ? child : -1;
  });
  posix_spawn_file_actions_destroy(&actions);
  if (pid < 0) {
    close(fd);
    result.output = rc != 0 ? fmt::format("cannot run '{}'", argv[0]) : std::string("interrupted");
    return result;
  }
  // Wait without reaping, untrack, then reap: the pid cannot be reused while still tracked.
  siginfo_t info;
  while (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR) {
  }
  untrack_child(pid);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  lseek(fd, 0, SEEK_SET);
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) result.output.append(buf, static_cast<size_t>(n));
  close(fd);
  return result;
}

std::vector<ProcessResult> run_parallel(const std::vector<CompileJob>& jobs, int max_parallel,
                                        const std::function<void(size_t, const ProcessResult&)>& done) {
  std::vector<ProcessResult> results(jobs.size());
  if (max_parallel < 1) max_parallel = 1;
  size_t next = 0;
  std::vector<std::thread> threads;
  std::mutex mu;
  auto worker = [&] {
    while (true) {
      size_t i;
      {
        std::lock_guard<std::mutex> lock(mu);
        if (next >= jobs.size()) return;
        i = next++;
      }
      results[i] = run_process(jobs[i].argv, jobs[i].cwd);
      if (done) {
        std::lock_guard<std::mutex> lock(mu);
        done(i, results[i]);
      }
    }
  };
  for (int t = 0; t < max_parallel && static_cast<size_t>(t) < jobs.size(); ++t) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  return results;
}

std::string diagnostic_line(const ProcessResult& r) {
  std::string first, line;
  std::istringstream in(r.output);
  while (std::getline(in, line)) {
    if (line.find("error") != std::string::npos) return line;
    if (first.empty()) first = line;
  }
  if (!first.empty()) return first;
  if (r.exit_code > 128) return fmt::format("killed by signal {}", r.exit_code - 128);
  return fmt::format("exit status {}", r.exit_code);
}

void check_toolchain(const ToolchainOptions& options) {
  const std::string cxx = resolve_cxx(options);
  std::vector<std::string> argv = split_command(cxx);
  if (argv.empty()) fail("compilation.cxx: empty compiler command");
  // The temporary directory first: an unusable $TMPDIR is not the compiler's fault.
  const std::string tmp = std::filesystem::temp_directory_path().string();
  std::string dir_tmpl = tmp + "/tfaot-check-XXXXXX";
  if (!mkdtemp(dir_tmpl.data())) fail("cannot create a temporary directory in {}: {}", tmp, std::strerror(errno));
  const std::filesystem::path dir = dir_tmpl;
  std::string error;
  {
    std::ofstream probe_source(dir / "t.cc");
    probe_source << "int tfaot_probe(int x) { return x + 1; }\n";
    probe_source.close();
    if (!probe_source) error = fmt::format("cannot write {}: {}", (dir / "t.cc").string(), std::strerror(errno));
  }
  ProcessResult version, probe;
  if (error.empty()) {
    argv.push_back("--version");
    version = run_process(argv, {});
  }
  // A tiny compile tells whether the compiler accepts the target.
  if (error.empty() && version.exit_code == 0) {
    ToolchainOptions o = options;
    o.opt_level = "-O0";
    probe = run_process(compile_command(o, "t.cc", "t.o"), dir);
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  check_interrupt();
  if (!error.empty()) fail("{}", error);
  if (version.exit_code != 0) {
    if (options.cxx.empty() && is_cross_target(options.target)) {
      std::string package = "g++-" + cxx.substr(0, cxx.size() - 4);  // Debian: no '_' in names
      std::replace(package.begin(), package.end(), '_', '-');
      fail("compilation.target '{}' needs the {} cross compiler '{}', which was not found (Debian: apt-get install "
           "{}; or set compilation.cxx)",
           options.target, arch_name(target_arch(options.target)), cxx, package);
    }
    fail("C++ compiler '{}' not found or not working (set compilation.cxx or $CXX): {}", cxx,
         diagnostic_line(version));
  }
  if (probe.exit_code != 0)
    fail("compilation.target '{}' is not accepted by '{}': {}", options.target, cxx, diagnostic_line(probe));
}

}  // namespace tfaot::backend
