// Errors as values. A Status is either ok or carries a code and a message for operators; functions
// that produce a value return Result<T> (a std::expected-like type: C++20 has none of its own).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace hocvu {

enum class ErrorCode {
  ok = 0,
  invalid_argument,  // the caller's input is wrong
  not_found,
  conflict,          // a uniqueness or state rule was broken
  permission_denied, // the caller may not do this (enrolment missing, lesson locked, ...)
  unavailable,       // a dependency (database) cannot be reached now; retrying may help
  internal,          // a bug or an unexpected state
};

class Status {
 public:
  Status() = default;  // ok
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  bool ok() const { return code_ == ErrorCode::ok; }
  explicit operator bool() const { return ok(); }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  ErrorCode code_ = ErrorCode::ok;
  std::string message_;
};

inline Status Error(ErrorCode code, std::string message) { return {code, std::move(message)}; }

// Holds a T or an error Status (never an ok Status).
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Status error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // The error; an ok Status when the result holds a value.
  Status status() const { return ok() ? Status{} : std::get<1>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace hocvu
