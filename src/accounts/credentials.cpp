#include "accounts/credentials.h"

#include "core/thread_role.h"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>

namespace hocvu::accounts {
namespace {

// OWASP's argon2id recommendation (m = 19 MiB, t = 2, p = 1): strong enough for passwords, and
// cheap enough that a 2-core node can take a burst of sign-ins when a class starts.
constexpr unsigned long long kOpsLimit = 2;
constexpr std::size_t kMemLimit = 19u << 20;

// How many hashes run at once is decided by where they run: the server runs every route that
// hashes on its hashing pool (HOCVU_HASHING_THREADS, one per core by default, each hash 19 MiB),
// never on the workers that serve database requests or on an I/O thread. A hash started on one of
// those is a route registered with the wrong web::Execution: refused loudly (a 500 and a log line
// in every test that calls the route) rather than quietly filling the workers.
void check_thread() {
  auto role = this_thread_role();
  if (role == ThreadRole::database_worker || role == ThreadRole::io)
    throw std::logic_error("password hashing outside the hashing pool: register the route with web::Execution::hashing");
}

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string digits_only(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c >= '0' && c <= '9') out.push_back(c);
  return out;
}

}  // namespace

std::optional<Refusal> check_password(std::string_view pw, std::string_view national_id, std::string_view phone,
                                      std::string_view birth_date) {
  if (code_points(pw) < 8) return Refusal{"password_too_short", "Mật khẩu phải có ít nhất 8 ký tự."};
  if (pw.size() > 128) return Refusal{"password_too_long", "Mật khẩu dài quá 128 ký tự."};
  if (std::all_of(pw.begin(), pw.end(), [&](char c) { return c == pw.front(); }))
    return Refusal{"password_repeated", "Mật khẩu không được chỉ lặp lại một ký tự."};
  static const std::string_view common[] = {
      "12345678", "123456789", "1234567890", "87654321", "11111111", "00000000", "12341234", "password",
      "password1", "matkhau", "matkhau1", "matkhau123", "abcd1234", "qwerty123", "qwertyuiop", "iloveyou",
      "vietnam1", "vietnam123", "123123123", "abc12345", "a1234567", "12345678a", "anhyeuem", "emyeuanh"};
  std::string lower(pw);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (auto c : common)
    if (lower == c) return Refusal{"password_common", "Mật khẩu này quá phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác."};
  std::string digits = digits_only(pw);
  bool only_digits = digits.size() == pw.size();
  auto same_as = [&](std::string_view v) { return !v.empty() && only_digits && digits == digits_only(v); };
  if (same_as(national_id) || same_as(phone) || (same_as(birth_date) && !birth_date.empty()))
    return Refusal{"password_personal", "Mật khẩu không được trùng số CCCD, số điện thoại hay ngày sinh."};
  // The phone in the form people remember it (0912345678 vs +84912345678) counts too.
  if (only_digits && phone.size() == 10 && digits == "84" + std::string(phone.substr(1)))
    return Refusal{"password_personal", "Mật khẩu không được trùng số CCCD, số điện thoại hay ngày sinh."};
  return std::nullopt;
}

std::string hash_password(std::string_view pw) {
  check_thread();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, pw.data(), pw.size(), kOpsLimit, kMemLimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("argon2id: out of memory");
  return out;
}

bool verify_password(std::string_view hash, std::string_view pw) {
  check_thread();
  std::string h(hash);  // libsodium wants a NUL-terminated string
  return crypto_pwhash_str_verify(h.c_str(), pw.data(), pw.size()) == 0;
}

bool needs_rehash(std::string_view hash) {
  std::string h(hash);
  return crypto_pwhash_str_needs_rehash(h.c_str(), kOpsLimit, kMemLimit) != 0;
}

std::string new_token() {
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  char out[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

std::string token_digest(std::string_view token) {
  unsigned char hash[32];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr, 0);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return hex;
}

}  // namespace hocvu::accounts
