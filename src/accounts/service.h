// Registration, sign-in and sessions: the accounts rules over the Store, knowing nothing of HTTP.
#pragma once

#include "accounts/store.h"
#include "core/time.h"

#include <atomic>
#include <chrono>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace hocvu::accounts {

// Field name -> Vietnamese message, in form order.
using FieldErrors = std::vector<std::pair<std::string, std::string>>;

struct RegistrationForm {
  std::string full_name, national_id, phone, password, birth_date, target_group, unit_code;
};

// Checks and normalises a registration (everything but whether the unit exists and the hashing).
// Pure: `prefixes` are the CCCD province prefixes. On success `errors` is empty.
struct CheckedRegistration {
  NewPerson person;  // password_hash empty
  FieldErrors errors;
};
CheckedRegistration check_registration(const RegistrationForm& form, const std::set<std::string, std::less<>>& prefixes);

// Throttling (OWASP "Slow Down Online Guessing Attacks with Device Cookies"; docs/operations.md).
// A key (an account's untrusted clients, one trusted device of an account, an address) may fail
// `free_failures` times; each failure after that locks it for `first_lock`, doubled per further
// failure up to `max_lock`. Failures are forgotten `memory` after the first of them.
struct ThrottlePolicy {
  int free_failures;
  std::chrono::seconds first_lock;
  std::chrono::seconds max_lock;
  std::chrono::seconds memory;
};
// Clients that have never signed in to the account (no device cookie for it).
inline constexpr ThrottlePolicy kAccountThrottle{5, std::chrono::minutes(1), std::chrono::hours(1), std::chrono::hours(24)};
// One browser that has signed in to the account before: its own budget, so that an attacker
// hammering the account never holds it back, and a stolen cookie buys few guesses.
inline constexpr ThrottlePolicy kDeviceThrottle{10, std::chrono::minutes(1), std::chrono::hours(1), std::chrono::hours(24)};
// One address, counting failed attempts only. While it is "locked", answers to it are held back
// by kAddressDelay, never refused: thousands share an address behind NAT and proxies.
inline constexpr ThrottlePolicy kAddressThrottle{30, std::chrono::minutes(1), std::chrono::minutes(15), std::chrono::hours(1)};
inline constexpr std::chrono::milliseconds kAddressDelay{500};
// Registrations from one address (each costs an argon2 hash), successful or not: the 100th within an
// hour locks the address's registrations for a minute, doubling.
inline constexpr ThrottlePolicy kRegistrationThrottle{99, std::chrono::minutes(1), std::chrono::hours(1), std::chrono::hours(1)};

// The longest `memory` of the policies above: a failure record whose window began longer ago, and
// whose lock has passed, decides nothing any more (housekeeping deletes it).
inline constexpr std::chrono::seconds kLongestThrottleMemory = std::chrono::hours(24);
// How long a browser stays trusted for an account after its last sign-in there: the device
// cookie's lifetime (400 days, the longest browsers keep a cookie). Older trusts are deleted.
inline constexpr std::chrono::seconds kDeviceTrustLifetime = std::chrono::hours(24 * 400);
// At most this often per process, a sign-in or registration that counted a failure also deletes
// what nobody needs any more (after its counts; an error there is logged, never the request's).
inline constexpr std::chrono::seconds kHousekeepingInterval = std::chrono::minutes(1);
static_assert(kLongestThrottleMemory >= kAccountThrottle.memory && kLongestThrottleMemory >= kDeviceThrottle.memory &&
              kLongestThrottleMemory >= kAddressThrottle.memory && kLongestThrottleMemory >= kRegistrationThrottle.memory);

// Seconds until `record` unlocks at `now`; 0 when it is not locked.
long seconds_locked(const std::optional<FailureRecord>& record, SystemTime now);
// When a key that has just reached `failures` within its window is locked until (nullopt: not locked).
std::optional<std::string> lock_after(int failures, SystemTime now, const ThrottlePolicy& policy);
// The record after one more failure at `now`: the only rule for a window and its lock. The store
// writes what it returns while holding the record's row (Store::update_failures).
FailureRecord after_failure(const std::optional<FailureRecord>& record, SystemTime now, const ThrottlePolicy& policy);
// An attempt on a key that is only ever counted, claimed before its costly work: nullopt (refused,
// nothing counted) while `record` is locked at `now`, else the record with this attempt counted.
std::optional<FailureRecord> claim(const std::optional<FailureRecord>& record, SystemTime now, const ThrottlePolicy& policy);

// What a sign-in attempt may do before its password is checked, from the throttle records.
struct GateInput {
  bool device_trusted = false;  // the request carries a device cookie trusted for this account
  std::optional<FailureRecord> account, device, address;
};
struct Gate {
  bool trusted = false;     // a trusted device within its own budget: no account lock, no delay
  long refused_for = 0;     // seconds: an untrusted client of a locked account is refused unheard
  bool delayed = false;     // from an address over its failure budget: the answer waits kAddressDelay
  // Which records a wrong password counts against.
  bool charge_account() const { return !trusted; }
  bool charge_device() const { return trusted; }
  bool charge_address() const { return !trusted; }
};
Gate sign_in_gate(const GateInput& in, SystemTime now);

// A sign-in attempt claimed before its password is checked, decided on records read with their
// rows held: the gate, and unless it refuses, the attempt already counted as a failure against the
// record it charges (the account's, or the trusted device's). Counting first means that of
// attempts arriving together after a lock has passed, one goes on and the rest meet the lock it
// earns; the right password then clears the count (Service::record_success).
struct AttemptClaim {
  Gate gate;
  std::optional<FailureRecord> account, device;  // the records to store, when counted
};
AttemptClaim claim_attempt(const GateInput& in, SystemTime now);

inline constexpr std::chrono::hours kSessionLifetime{24 * 14};

class Service {
 public:
  explicit Service(Store& store) : store_(store) {}

  // Who is asking: the client's address (behind trusted proxies), its User-Agent, and the device
  // cookie it holds ("" when none).
  struct Client {
    std::string address, user_agent, device;
  };

  struct Registered {
    std::optional<Person> person;
    FieldErrors errors;   // 422 when not empty
    bool conflict = false;  // 409: errors name the field already taken
    long retry_after = 0;   // 429: too many registrations from this address (kRegistrationThrottle)
  };
  Result<Registered> register_person(const RegistrationForm& form, const std::string& address, SystemTime now);

  struct SignedIn {
    enum class Outcome { ok, bad_credentials, throttled } outcome = Outcome::bad_credentials;
    std::optional<Person> person;
    std::string token;       // give to the client; only its digest is stored
    std::string expires_at;
    std::string device;      // on ok: the device cookie to give (a fresh one, trusted for this account)
    long retry_after = 0;    // seconds, when throttled
    std::chrono::milliseconds delay{0};  // hold the answer back this long (an address over its budget)
  };
  // Never says whether an account exists: an unknown login costs the same work and gets the same
  // answer as a wrong password. Failures against other accounts never refuse a correct password.
  Result<SignedIn> sign_in(const std::string& login, const std::string& password, const Client& client, SystemTime now);

  // A session after registration or first sign-in (the person just chose their password), and a
  // device cookie trusted for them (replacing `client.device`, whose trust moves to the new one).
  Result<SignedIn> start_session(const Person& person, const Client& client, SystemTime now);

  // First sign-in of a person created by import: the one-time code from their manager, and the
  // password they choose. Throttled like sign-in. Until the code is proven, an unknown login, a
  // wrong code and a weak password get the same answer after the same work (one argon2 hash).
  struct FirstSignIn {
    SignedIn signed_in;
    FieldErrors errors;  // new_password too weak, once the code is proven (the code is not spent then)
  };
  Result<FirstSignIn> first_sign_in(const std::string& login, const std::string& code, const std::string& new_password,
                                    const Client& client, SystemTime now);

  Result<std::optional<Person>> authenticate(const std::string& token, SystemTime now);

  // A bearer token: a session's, or a personal API token's. `writes` says whether the request
  // changes anything; a read-only API token does not authenticate such a request.
  struct Bearer {
    std::optional<Person> person;
    bool api_token = false;
    bool scope_denied = false;
  };
  Result<Bearer> authenticate_bearer(const std::string& token, bool writes, SystemTime now);

  // Personal API tokens. scopes: "read" or "read write". The token is in the result only here.
  struct NewApiToken {
    Store::ApiToken token;
    std::string secret;
  };
  Result<NewApiToken> create_api_token(const Person& owner, const std::string& name, const std::string& scopes, SystemTime now);
  Result<std::vector<Store::ApiToken>> api_tokens(const Person& owner) { return store_.api_tokens(owner.id); }
  Status revoke_api_token(const Person& owner, std::int64_t id) { return store_.revoke_api_token(owner.id, id); }
  Status sign_out(const std::string& token);

  // The fields a person may change about themselves. The CCCD and birth date are fixed: they
  // identify the person, and a manager corrects them.
  struct ProfileForm {
    std::string full_name, phone, email, target_group, unit_code;
  };
  struct Updated {
    std::optional<Person> person;
    FieldErrors errors;
    bool conflict = false;
  };
  Result<Updated> update_profile(const Person& current, const ProfileForm& form, SystemTime now);

  // Changes the password after checking the current one; ends the person's other sessions.
  // errors name "current_password" or "new_password" when refused.
  Result<FieldErrors> change_password(const Person& person, const std::string& current_password,
                                      const std::string& new_password, const std::string& token, SystemTime now);

  // Ends every session of the person but the one holding `token`.
  Status sign_out_elsewhere(const Person& person, const std::string& token);

  // Everything the platform holds about the person, for them to download.
  struct PersonalData {
    Person person;
    std::vector<Store::SessionInfo> sessions;
  };
  Result<PersonalData> personal_data(const Person& person, const std::string& token);

 private:
  // A sign-in attempt: the login as stored, the person it names, its throttle keys and records.
  struct Attempt {
    std::string login;  // "" when the input is neither a CCCD nor a phone number
    std::optional<Credentials> found;
    std::string account_key, device_key, address_key;
    GateInput records;
    Gate gate;
  };
  // Reads who is asking and claims the attempt (claim_attempt), counting it before any hashing.
  Result<Attempt> begin_attempt(const std::string& login_input, const Client& client, SystemTime now);
  // A wrong password or code: counts it against the address too (the account or device already
  // counted it when it was claimed).
  Status record_failure(const Attempt& attempt, SystemTime now);
  Status record_success(const Attempt& attempt);
  // Counts a failure for `key` under `policy` (after_failure, with the row held).
  Result<FailureRecord> count_failure(const std::string& key, const ThrottlePolicy& policy, SystemTime now);
  // At most once per kHousekeepingInterval per process, deletes expired failure records and device
  // trusts. Called after a request's counts; an error is logged and otherwise ignored.
  void maybe_housekeep(SystemTime now);

 public:
  // Deletes failure records and device trusts that decide nothing any more at `now` (Store::forget_stale).
  Result<std::int64_t> housekeeping(SystemTime now);

 private:
  Store& store_;
  std::atomic<std::int64_t> last_housekeeping_{std::numeric_limits<std::int64_t>::min()};  // ns since epoch
};

}  // namespace hocvu::accounts
