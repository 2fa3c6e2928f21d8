#include "backend/toolchain.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "support/error.h"

namespace tfaot::backend {

std::vector<std::string> split_command(const std::string& command) {
  std::vector<std::string> words;
  std::istringstream in(command);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

std::string resolve_cxx(const ToolchainOptions& options) {
  if (!options.cxx.empty()) return options.cxx;
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
  // A target triple (e.g. aarch64-unknown-linux-gnu, as cms-tfaot's --target_triple) selects
  // the cross compiler's default CPU: clang takes it as --target, GCC cross compilers are
  // already bound to their triple. Anything else is a -march value.
  const std::string& t = options.target;
  const bool triple = t.find("-linux") != std::string::npos || t.find("-unknown") != std::string::npos ||
                      t.find("-none") != std::string::npos || t.find("-apple") != std::string::npos;
  if (triple) {
    if (argv[0].find("clang") != std::string::npos) argv.push_back("--target=" + t);
  } else if (!t.empty()) {
    argv.push_back("-march=" + t);
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
  char tmpl[] = "/tmp/tfaot-proc-XXXXXX";
  int fd = mkstemp(tmpl);
  if (fd < 0) return result;
  unlink(tmpl);
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
  pid_t pid = 0;
  const auto start = std::chrono::steady_clock::now();
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    close(fd);
    result.output = fmt::format("cannot run '{}'", argv[0]);
    return result;
  }
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

std::vector<ProcessResult> run_parallel(const std::vector<CompileJob>& jobs, int max_parallel) {
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
    }
  };
  for (int t = 0; t < max_parallel && static_cast<size_t>(t) < jobs.size(); ++t) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  return results;
}

void check_toolchain(const ToolchainOptions& options) {
  const std::string cxx = resolve_cxx(options);
  std::vector<std::string> argv = split_command(cxx);
  if (argv.empty()) fail("compilation.cxx: empty compiler command");
  argv.push_back("--version");
  ProcessResult r = run_process(argv, {});
  if (r.exit_code != 0)
    fail("C++ compiler '{}' not found or not working (set compilation.cxx or $CXX)", cxx);
  // A tiny compile tells whether the compiler accepts the target.
  char dir_tmpl[] = "/tmp/tfaot-check-XXXXXX";
  if (!mkdtemp(dir_tmpl)) fail("cannot create a temporary directory in /tmp");
  std::filesystem::path dir = dir_tmpl;
  { std::ofstream(dir / "t.cc") << "int tfaot_probe(int x) { return x + 1; }\n"; }
  ToolchainOptions probe = options;
  probe.opt_level = "-O0";
  r = run_process(compile_command(probe, "t.cc", "t.o"), dir);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  if (r.exit_code != 0) {
    std::string first = r.output.substr(0, r.output.find('\n'));
    fail("compilation.target '{}' is not accepted by '{}': {}", options.target, cxx, first);
  }
}

}  // namespace tfaot::backend
