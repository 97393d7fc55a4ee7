// Passwords and session tokens. Passwords are hashed with argon2id (libsodium); session and API
// tokens are 256-bit random values of which the database keeps only a digest, so a copy of the
// database does not let anyone sign in. Thread-safe; call sodium_init() once at start.
#pragma once

#include "accounts/identity.h"

#include <optional>
#include <string>
#include <string_view>

namespace hocvu::accounts {

// The policy for a new password: at least 8 characters and at most 128 bytes, not one character
// repeated, not a well-known password, and not the person's CCCD, phone or birth date.
std::optional<Refusal> check_password(std::string_view password, std::string_view national_id,
                                      std::string_view phone, std::string_view birth_date);

// An argon2id hash in libsodium's string format ("$argon2id$v=19$m=...").
// Costs ~20 MiB and tens of milliseconds. In the server it runs only on the hashing pool (a route
// declared web::Execution::hashing); on an I/O thread or a database worker it throws
// std::logic_error (core/thread_role.h). Commands and tests call it from any thread.
std::string hash_password(std::string_view password);

// True when `password` matches `hash`. Constant-time in the password. Runs where hash_password may.
bool verify_password(std::string_view hash, std::string_view password);

// True when `hash` was made with other parameters than hash_password() uses now (rehash it
// at the next successful sign-in).
bool needs_rehash(std::string_view hash);

// A new random token: 43 URL-safe characters (256 bits).
std::string new_token();

// The digest stored in place of a token: 64 hex characters (BLAKE2b-256).
std::string token_digest(std::string_view token);

}  // namespace hocvu::accounts
