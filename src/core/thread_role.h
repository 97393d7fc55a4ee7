// What the current thread is for, so that work which must not run on it can refuse to. The server
// marks the threads it runs handlers on (server/http_server.cpp); other threads (commands, tests)
// are unmarked. Password hashing (accounts/credentials.cpp) refuses an I/O thread and a database
// worker: a route that hashes must be registered with web::Execution::hashing.
#pragma once

namespace hocvu {

enum class ThreadRole { unmarked, io, database_worker, hashing };

inline ThreadRole& this_thread_role_slot() {
  thread_local ThreadRole role = ThreadRole::unmarked;
  return role;
}
inline ThreadRole this_thread_role() { return this_thread_role_slot(); }

// Marks the current thread for the scope's lifetime, then restores what it was.
class ThreadRoleScope {
 public:
  explicit ThreadRoleScope(ThreadRole role) : previous_(this_thread_role_slot()) { this_thread_role_slot() = role; }
  ~ThreadRoleScope() { this_thread_role_slot() = previous_; }
  ThreadRoleScope(const ThreadRoleScope&) = delete;
  ThreadRoleScope& operator=(const ThreadRoleScope&) = delete;

 private:
  ThreadRole previous_;
};

}  // namespace hocvu
