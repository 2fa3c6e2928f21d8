// Interrupting a CLI cleanly (SIGINT, SIGTERM, SIGHUP). No work happens in a signal handler:
// the signals are blocked in every thread and taken by one watcher thread (sigwait), which
// records the signal and terminates the child processes started through spawn_tracked (each in
// its own process group, so a compiler's own children go too). The main thread notices at its
// next check_interrupt() and unwinds by throwing Interrupted, so that destructors remove the
// temporary directories; the tool then exits with 128 + signal (run_tool).
// A second signal while unwinding exits at once (children killed, temporaries may remain).
#pragma once

#include <sys/types.h>

#include <functional>
#include <stdexcept>

namespace tfaot {

// Not a tfaot::Error, so that no handler of bad input swallows it.
class Interrupted : public std::runtime_error {
 public:
  explicit Interrupted(int signal);
  int signal() const { return signal_; }

 private:
  int signal_;
};

// Starts the watcher. Call first thing in main, before any thread exists (threads inherit the
// blocked signals). `tool` prefixes the message of a second signal. Signals ignored at startup
// (nohup) stay ignored. Without this call nothing changes: signals keep their default action.
void install_interrupt_handling(const char* tool);

// The signal received since install_interrupt_handling, or 0.
int interrupt_signal();

// Throws Interrupted if a signal was received.
void check_interrupt();

// Runs `spawn` (which starts a child and returns its pid, or -1) unless a signal was received,
// and tracks the child until untrack_child(pid): the watcher terminates tracked children on a
// signal. Returns -1 without calling `spawn` if interrupted. `own_group` tells whether children
// should get their own process group (true once install_interrupt_handling ran).
pid_t spawn_tracked(const std::function<pid_t(bool own_group)>& spawn);
// Call once the child has exited but before it is reaped, so its pid cannot have been reused.
void untrack_child(pid_t pid);

}  // namespace tfaot
