// ThreadSanitizer's defaults, compiled into every program of a
// -DMCPCRED_SANITIZE=thread build (cmake/MCPCredSanitize.cmake), so that they
// hold in every process a test starts, whatever environment the test gives it
// (the Python and TypeScript suites start the agent with their own). An
// explicit TSAN_OPTIONS still adds to or overrides the options.

extern "C" {

// halt_on_error: a finding aborts the process, so the test that ran it fails.
// report_atomic_races=0: Abseil's absl::Mutex wakes a waiter by an atomic
// write into a thread-identity block that TSan last saw written by mmap, from
// inside the Mutex's annotated code, where TSan ignores the ordering that
// makes it safe (google/sanitizers#953, abseil-cpp#217; the workaround their
// maintainers give). A race between two plain accesses, which is what a
// missing lock produces, is still reported.
const char* __tsan_default_options() {
  return "halt_on_error=1:second_deadlock_stack=1:report_atomic_races=0";
}

// Only for libraries from Debian that are not instrumented: TSan cannot see
// their own synchronisation (atomics, internal queues and main loops) and
// reports races inside them. Abseil is not listed: the thread build uses
// Debian's Abseil rebuilt with TSan (scripts/tsan-abseil.sh), so every
// absl::Mutex, in mcpcred and in gRPC, is seen. Never add a pattern that
// matches mcpcred's own code: fix the race instead.
const char* __tsan_default_suppressions() {
  return "called_from_lib:libgrpc++.so\n"
         "called_from_lib:libgrpc.so\n"
         "called_from_lib:libgpr.so\n"
         "called_from_lib:libprotobuf.so\n"
         "race:libgrpc.so\n"
         "race:libgrpc++.so\n"
         "race:libgpr.so\n"
         "race:libprotobuf.so\n"
         // GLib, GObject and GIO under libsecret and the desktop notifier:
         // GDBus runs its own worker thread.
         "race:libglib-2.0.so\n"
         "race:libgobject-2.0.so\n"
         "race:libgio-2.0.so\n"
         "race:libsecret-1.so\n"
         // libcurl under the agent's http module (its resolver threads).
         "race:libcurl.so\n";
}

}  // extern "C"
