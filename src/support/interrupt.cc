#include "support/interrupt.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include <fmt/format.h>

namespace tfaot {

namespace {

std::atomic<int> g_signal{0};
std::atomic<bool> g_installed{false};
const char* g_tool = "tfaot";
// Guards the set of children and spawning (so that a child is either started before the
// watcher's kill or not at all). Both are leaked on purpose: the watcher thread may still use
// them while static objects are destroyed at exit.
std::mutex& children_mutex() {
  static auto* mu = new std::mutex;
  return *mu;
}
std::set<pid_t>& children() {
  static auto* set = new std::set<pid_t>;
  return *set;
}

const char* signal_name(int sig) {
  switch (sig) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    default: return "a signal";
  }
}

// Each child leads its own process group: the group takes the compiler's own subprocesses.
void kill_children(int sig) {
  for (pid_t pid : children()) kill(-pid, sig);
}

[[noreturn]] void exit_now(int sig) {
  {
    std::lock_guard<std::mutex> lock(children_mutex());
    kill_children(SIGKILL);
  }
  const std::string msg = fmt::format("{}: interrupted again by {}, exiting without cleanup\n", g_tool,
                                      signal_name(sig));
  ssize_t ignored = write(2, msg.data(), msg.size());
  (void)ignored;
  _exit(128 + sig);
}

int wait_signal(const sigset_t& set) {
  int sig = 0;
  while (sigwait(&set, &sig) != 0) {
  }
  return sig;
}

void watch(sigset_t set) {
  const int sig = wait_signal(set);
  {
    std::lock_guard<std::mutex> lock(children_mutex());
    g_signal.store(sig);
    kill_children(SIGTERM);
  }
  // Children that survive SIGTERM for a while are killed; a second signal ends everything.
  timespec grace{2, 0};
  int again;
  while ((again = sigtimedwait(&set, nullptr, &grace)) < 0 && errno == EINTR) {
  }
  if (again > 0) exit_now(again);
  {
    std::lock_guard<std::mutex> lock(children_mutex());
    kill_children(SIGKILL);
  }
  exit_now(wait_signal(set));
}

}  // namespace

Interrupted::Interrupted(int signal)
    : std::runtime_error(fmt::format("interrupted by {}: stopped, temporary files removed, nothing written",
                                     signal_name(signal))),
      signal_(signal) {}

void install_interrupt_handling(const char* tool) {
  if (g_installed.exchange(true)) return;
  g_tool = tool;
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction old;
    std::memset(&old, 0, sizeof old);
    if (sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    sigaddset(&set, sig);
  }
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread(watch, set).detach();
}

int interrupt_signal() { return g_signal.load(); }

void check_interrupt() {
  if (const int sig = g_signal.load()) throw Interrupted(sig);
}

pid_t spawn_tracked(const std::function<pid_t(bool own_group)>& spawn) {
  std::lock_guard<std::mutex> lock(children_mutex());
  if (g_signal.load() != 0) return -1;
  const pid_t pid = spawn(g_installed.load());
  if (pid > 0) children().insert(pid);
  return pid;
}

void untrack_child(pid_t pid) {
  std::lock_guard<std::mutex> lock(children_mutex());
  children().erase(pid);
}

}  // namespace tfaot
