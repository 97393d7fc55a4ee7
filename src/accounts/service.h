// Registration, sign-in and sessions: the accounts rules over the Store, knowing nothing of HTTP.
#pragma once

#include "accounts/store.h"
#include "core/time.h"

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

// Failed sign-ins: after `max_failures` within `window` for one key, the key is locked for `lock`.
struct ThrottlePolicy {
  int max_failures;
  std::chrono::seconds window;
  std::chrono::seconds lock;
};
inline constexpr ThrottlePolicy kLoginThrottle{5, std::chrono::minutes(15), std::chrono::minutes(15)};
inline constexpr ThrottlePolicy kAddressThrottle{30, std::chrono::minutes(15), std::chrono::minutes(15)};

// Seconds until `record` unlocks at `now`; 0 when it is not locked.
long seconds_locked(const std::optional<FailureRecord>& record, SystemTime now);
// The record after one more failure at `now`.
FailureRecord after_failure(const std::optional<FailureRecord>& record, SystemTime now, const ThrottlePolicy& policy);

inline constexpr std::chrono::hours kSessionLifetime{24 * 14};

class Service {
 public:
  explicit Service(Store& store) : store_(store) {}

  struct Registered {
    std::optional<Person> person;
    FieldErrors errors;   // 422 when not empty
    bool conflict = false;  // 409: errors name the field already taken
  };
  Result<Registered> register_person(const RegistrationForm& form, SystemTime now);

  struct SignedIn {
    enum class Outcome { ok, bad_credentials, throttled } outcome = Outcome::bad_credentials;
    std::optional<Person> person;
    std::string token;       // give to the client; only its digest is stored
    std::string expires_at;
    long retry_after = 0;    // seconds, when throttled
  };
  // Never says whether an account exists: an unknown login costs the same work and gets the same
  // answer as a wrong password.
  Result<SignedIn> sign_in(const std::string& login, const std::string& password, const std::string& address,
                           const std::string& user_agent, SystemTime now);

  // A session after registration (the person just chose their password).
  Result<SignedIn> start_session(const Person& person, const std::string& user_agent, SystemTime now);

  // First sign-in of a person created by import: the one-time code from their manager, and the
  // password they choose. Throttled like sign-in; answers the same for every kind of failure.
  struct FirstSignIn {
    SignedIn signed_in;
    FieldErrors errors;  // new_password too weak (the code is not spent then)
  };
  Result<FirstSignIn> first_sign_in(const std::string& login, const std::string& code, const std::string& new_password,
                                    const std::string& address, const std::string& user_agent, SystemTime now);

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
  // A sign-in attempt's login as stored and its throttle records (per login, per address).
  struct Attempt {
    std::string login;  // "" when the input is neither a CCCD nor a phone number
    std::string login_key, address_key;
    std::optional<FailureRecord> login_record, address_record;
    long wait = 0;      // seconds until either key unlocks; 0 when free
  };
  Result<Attempt> begin_attempt(const std::string& login_input, const std::string& address, SystemTime now);
  Status record_failure(const Attempt& attempt, SystemTime now);

  Store& store_;
};

}  // namespace hocvu::accounts
