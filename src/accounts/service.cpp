#include "accounts/service.h"

#include "accounts/credentials.h"
#include "accounts/identity.h"
#include "core/log.h"
#include "core/text.h"

#include <algorithm>

namespace hocvu::accounts {
namespace {

// Collapses runs of spaces inside a name ("Nguyễn  Văn" -> "Nguyễn Văn").
std::string tidy_name(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : trim(s)) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

// The hash checked when the login is unknown, so that the answer takes as long as a wrong password.
const std::string& dummy_hash() {
  static const std::string hash = hash_password("không có tài khoản này");
  return hash;
}

// A login as stored: 12 CCCD digits, or a normalised phone; "" when it is neither.
std::string normalise_login(const std::string& input) {
  std::string digits;
  for (char c : input)
    if (c != ' ') digits.push_back(c);
  if (digits.size() == 12 && std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return digits;
  if (auto phone = check_phone(input); phone.normalized) return *phone.normalized;
  return {};
}

}  // namespace

CheckedRegistration check_registration(const RegistrationForm& f, const std::set<std::string, std::less<>>& prefixes) {
  CheckedRegistration out;
  auto& p = out.person;
  auto& errors = out.errors;

  p.full_name = to_nfc(tidy_name(f.full_name));
  if (p.full_name.empty()) errors.emplace_back("full_name", "Hãy nhập họ và tên.");
  else if (!valid_utf8(p.full_name) || p.full_name.size() > 200)
    errors.emplace_back("full_name", "Họ và tên không hợp lệ hoặc dài quá 200 ký tự.");
  else if (std::any_of(p.full_name.begin(), p.full_name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == '<' || c == '>'; }))
    errors.emplace_back("full_name", "Họ và tên chỉ gồm chữ cái, dấu cách và dấu gạch nối.");
  p.search_name = fold_for_search(p.full_name);

  std::optional<Date> birth;
  std::string birth_text = trim(f.birth_date);
  if (birth_text.empty()) {
    errors.emplace_back("birth_date", "Hãy nhập ngày sinh.");
  } else if (!(birth = parse_written_date(birth_text))) {
    errors.emplace_back("birth_date", "Ngày sinh viết theo thứ tự ngày/tháng/năm, ví dụ 02/09/1985.");
  } else {
    p.birth_date = format_date(*birth);
  }

  auto id = check_national_id(f.national_id, prefixes, birth);
  if (id.refusal) errors.emplace_back("national_id", id.refusal->message);
  else p.national_id = id.digits;

  auto phone = check_phone(f.phone);
  if (phone.refusal) errors.emplace_back("phone", phone.refusal->message);
  else p.phone = phone.normalized;

  if (auto weak = check_password(f.password, p.national_id.value_or(""), p.phone.value_or(""), p.birth_date.value_or("")))
    errors.emplace_back("password", weak->message);

  static const std::string_view groups[] = {"official", "student", "worker", "citizen"};
  p.target_group = trim(f.target_group);
  if (std::find(std::begin(groups), std::end(groups), p.target_group) == std::end(groups))
    errors.emplace_back("target_group", "Hãy chọn nhóm của bạn: cán bộ, học sinh – sinh viên, người lao động hoặc người dân.");

  p.unit_code = trim(f.unit_code);
  if (p.unit_code.empty()) errors.emplace_back("unit_code", "Hãy chọn tỉnh, thành phố hoặc xã, phường nơi bạn sống.");
  // In the order of the form, so that the error summary reads top to bottom like the page.
  static const std::string_view order[] = {"full_name", "national_id", "birth_date", "phone",
                                           "target_group", "unit_code", "password"};
  auto rank = [](const std::string& field) { return std::find(std::begin(order), std::end(order), field) - std::begin(order); };
  std::stable_sort(errors.begin(), errors.end(), [&](const auto& a, const auto& b) { return rank(a.first) < rank(b.first); });
  return out;
}

long seconds_locked(const std::optional<FailureRecord>& record, SystemTime now) {
  if (!record || !record->locked_until) return 0;
  auto until = parse_utc(*record->locked_until);
  if (!until || *until <= now) return 0;
  return static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(*until - now).count()) + 1;
}

std::optional<std::string> lock_after(int failures, SystemTime now, const ThrottlePolicy& policy) {
  int over = failures - policy.free_failures;
  if (over <= 0) return std::nullopt;
  auto lock = policy.first_lock;
  for (int i = 1; i < over && lock < policy.max_lock; ++i) lock *= 2;
  return format_utc(now + std::min(lock, policy.max_lock));
}

FailureRecord after_failure(const std::optional<FailureRecord>& record, SystemTime now, const ThrottlePolicy& policy) {
  FailureRecord next;
  auto start = record ? parse_utc(record->window_start) : std::nullopt;
  if (!record || !start || now - *start > policy.memory) {
    next = FailureRecord{1, format_utc(now), std::nullopt};
  } else {
    next = *record;
    ++next.failures;
  }
  if (auto lock = lock_after(next.failures, now, policy)) next.locked_until = std::move(lock);
  return next;
}

std::optional<FailureRecord> claim(const std::optional<FailureRecord>& record, SystemTime now, const ThrottlePolicy& policy) {
  if (seconds_locked(record, now) > 0) return std::nullopt;
  return after_failure(record, now, policy);
}

Gate sign_in_gate(const GateInput& in, SystemTime now) {
  Gate g;
  // A browser that signed in to this account before, within its own budget (OWASP: a device
  // cookie in the lockout list is treated as no cookie at all).
  if (in.device_trusted && seconds_locked(in.device, now) == 0) {
    g.trusted = true;
    return g;
  }
  g.refused_for = seconds_locked(in.account, now);
  g.delayed = seconds_locked(in.address, now) > 0;
  return g;
}

AttemptClaim claim_attempt(const GateInput& in, SystemTime now) {
  AttemptClaim c;
  c.gate = sign_in_gate(in, now);
  if (c.gate.refused_for > 0) return c;
  if (c.gate.charge_device()) c.device = after_failure(in.device, now, kDeviceThrottle);
  if (c.gate.charge_account()) c.account = after_failure(in.account, now, kAccountThrottle);
  return c;
}

Result<Service::Registered> Service::register_person(const RegistrationForm& form, const std::string& address,
                                                     SystemTime now) {
  Registered out;
  const std::string key = "register:" + address;
  auto counted = store_.failures(key);
  if (!counted) return counted.status();
  if (long wait = seconds_locked(*counted, now); wait > 0) {
    out.retry_after = wait;
    return out;
  }
  auto prefixes = store_.national_id_prefixes();
  if (!prefixes) return prefixes.status();
  auto checked = check_registration(form, *prefixes);
  out.errors = std::move(checked.errors);
  if (!checked.person.unit_code.empty()) {
    auto exists = store_.unit_exists(checked.person.unit_code);
    if (!exists) return exists.status();
    if (!*exists) out.errors.emplace_back("unit_code", "Không có đơn vị hành chính mang mã này.");
  }
  if (!out.errors.empty()) return out;
  // Each registration that reaches the hash counts against the address, whatever its outcome, and
  // is counted before it hashes, with the address's row held: of registrations arriving together
  // when the budget is nearly spent, those after the one that spends it are refused unhashed.
  std::optional<FailureRecord> claimed;
  auto read = store_.update_failures({key}, [&](const Store::FailureRecords& records) {
    claimed = claim(records[0], now, kRegistrationThrottle);
    std::vector<Store::FailureWrite> writes;
    if (claimed) writes.push_back(Store::FailureWrite{key, *claimed});
    return writes;
  });
  if (!read) return read.status();
  if (!claimed) {
    out.retry_after = std::max(1L, seconds_locked((*read)[0], now));
    return out;
  }
  maybe_housekeep(now);
  checked.person.password_hash = hash_password(form.password);
  auto created = store_.create_person(checked.person, format_utc(now));
  if (!created) {
    if (created.status().code() != ErrorCode::conflict) return created.status();
    out.conflict = true;
    if (created.status().message() == "phone")
      out.errors.emplace_back("phone", "Số điện thoại này đã được đăng ký. Nếu đó là bạn, hãy đăng nhập.");
    else
      out.errors.emplace_back("national_id", "Số CCCD này đã được đăng ký. Nếu đó là bạn, hãy đăng nhập.");
    return out;
  }
  out.person = std::move(*created);
  return out;
}

Result<Service::SignedIn> Service::start_session(const Person& person, const Client& client, SystemTime now) {
  SignedIn out;
  out.outcome = SignedIn::Outcome::ok;
  out.person = person;
  out.token = new_token();
  out.expires_at = format_utc(now + kSessionLifetime);
  if (auto st = store_.create_session(person.id, token_digest(out.token), format_utc(now), out.expires_at,
                                      client.user_agent.substr(0, 300));
      !st.ok())
    return st;
  // A fresh device cookie every time, so that a cookie planted by someone else never becomes trusted.
  out.device = new_token();
  const std::string previous = client.device.size() == 43 ? token_digest(client.device) : std::string();
  if (auto st = store_.trust_device(token_digest(out.device), person.id, previous, format_utc(now)); !st.ok()) return st;
  return out;
}

Result<Service::Attempt> Service::begin_attempt(const std::string& login_input, const Client& client, SystemTime now) {
  Attempt a;
  a.login = normalise_login(login_input);
  a.account_key = "login:" + (a.login.empty() ? fold_for_search(login_input) : a.login);
  a.address_key = "address:" + client.address;
  if (!a.login.empty()) {
    auto found = store_.find_by_login(a.login);
    if (!found) return found.status();
    a.found = std::move(*found);
  }
  if (a.found && client.device.size() == 43) {
    const std::string digest = token_digest(client.device);
    auto trusted = store_.device_trusted(digest, a.found->person.id);
    if (!trusted) return trusted.status();
    if (*trusted) {
      a.records.device_trusted = true;
      a.device_key = device_failure_key(digest, a.found->person.id);
    }
  }
  // The address only delays, and is counted after a wrong password only: read, not held.
  auto address = store_.failures(a.address_key);
  if (!address) return address.status();
  a.records.address = std::move(*address);
  // First a plain read: an attempt the gate refuses now is refused without holding any row, so a
  // flood against a locked account never queues behind that account's row (nor holds back a
  // trusted browser, which then only waits for its own device's row).
  auto account = store_.failures(a.account_key);
  if (!account) return account.status();
  a.records.account = std::move(*account);
  if (a.records.device_trusted) {
    auto device = store_.failures(a.device_key);
    if (!device) return device.status();
    a.records.device = std::move(*device);
  }
  const AttemptClaim first = claim_attempt(a.records, now);
  a.gate = first.gate;
  if (first.gate.refused_for > 0 || (!first.account && !first.device)) return a;
  // Then the attempt is claimed, and counted unless refused, before its password is hashed: with
  // the rows it counts on held, so that concurrent attempts, on any node, each decide on the
  // count the ones before them left (the gate is asked again under the hold).
  std::vector<std::string> keys;
  if (first.account) keys.push_back(a.account_key);
  if (first.device) keys.push_back(a.device_key);
  for (int round = 0; round < 2; ++round) {
    AttemptClaim decided;
    bool needs_more = false;  // under the hold the gate wants a row not held: claim again holding both
    auto read = store_.update_failures(keys, [&](const Store::FailureRecords& records) {
      GateInput in = a.records;
      for (std::size_t i = 0; i < keys.size(); ++i) (keys[i] == a.account_key ? in.account : in.device) = records[i];
      decided = claim_attempt(in, now);
      const auto held = [&](const std::string& key) { return std::find(keys.begin(), keys.end(), key) != keys.end(); };
      needs_more = (decided.account && !held(a.account_key)) || (decided.device && !held(a.device_key));
      std::vector<Store::FailureWrite> writes;
      if (needs_more) return writes;
      if (decided.account) writes.push_back(Store::FailureWrite{a.account_key, *decided.account});
      if (decided.device) writes.push_back(Store::FailureWrite{a.device_key, *decided.device});
      return writes;
    });
    if (!read) return read.status();
    for (std::size_t i = 0; i < keys.size(); ++i) (keys[i] == a.account_key ? a.records.account : a.records.device) = (*read)[i];
    a.gate = decided.gate;
    if (!needs_more) return a;
    keys = {a.account_key};
    if (a.records.device_trusted) keys.push_back(a.device_key);
  }
  return Error(ErrorCode::unavailable, "sign-in claim did not settle");
}

Result<FailureRecord> Service::count_failure(const std::string& key, const ThrottlePolicy& policy, SystemTime now) {
  FailureRecord counted;
  auto read = store_.update_failures({key}, [&](const Store::FailureRecords& records) {
    counted = after_failure(records[0], now, policy);
    return std::vector<Store::FailureWrite>{{key, counted}};
  });
  if (!read) return read.status();
  return counted;
}

void Service::maybe_housekeep(SystemTime now) {
  // Occasionally, as failures arrive (they are what fills the table), delete what has expired.
  const std::int64_t at = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  std::int64_t last = last_housekeeping_.load();
  const std::int64_t interval = std::chrono::duration_cast<std::chrono::nanoseconds>(kHousekeepingInterval).count();
  if ((last == std::numeric_limits<std::int64_t>::min() || at - last >= interval) &&
      last_housekeeping_.compare_exchange_strong(last, at))
    // Nothing the request did depends on it: the next interval tries again.
    if (auto gone = housekeeping(now); !gone)
      log_warn("throttle housekeeping failed", {{"error", gone.status().message()}});
}

Result<std::int64_t> Service::housekeeping(SystemTime now) {
  return store_.forget_stale(format_utc(now - kLongestThrottleMemory), format_utc(now), format_utc(now - kDeviceTrustLifetime));
}

// The account or device was counted when the attempt was claimed; the address counts failed
// attempts only, so only now.
Status Service::record_failure(const Attempt& a, SystemTime now) {
  if (a.gate.charge_address())
    if (auto c = count_failure(a.address_key, kAddressThrottle, now); !c) return c.status();
  return {};
}

// The right password. From an untrusted client the account's failures are forgiven (with the one
// this attempt was counted as); from a trusted browser only that browser's are (the owner signing in
// on their phone must not give an attacker elsewhere a fresh set of guesses). The address's never
// are: one person's success behind a shared address says nothing about the others there.
Status Service::record_success(const Attempt& a) {
  if (!a.gate.trusted)
    if (auto st = store_.clear_failures(a.account_key); !st.ok()) return st;
  if (a.records.device_trusted)
    if (auto st = store_.clear_failures(a.device_key); !st.ok()) return st;
  return {};
}

Result<Service::SignedIn> Service::sign_in(const std::string& login_input, const std::string& password, const Client& client,
                                           SystemTime now) {
  auto attempt = begin_attempt(login_input, client, now);
  if (!attempt) return attempt.status();
  SignedIn out;
  if (attempt->gate.delayed) out.delay = kAddressDelay;
  if (attempt->gate.refused_for > 0) {
    out.outcome = SignedIn::Outcome::throttled;
    out.retry_after = attempt->gate.refused_for;
    return out;
  }
  const auto& found = attempt->found;
  const bool has_password = found && found->password_hash;
  const bool ok = verify_password(has_password ? *found->password_hash : dummy_hash(), password) && has_password;
  if (!ok) {
    if (auto st = record_failure(*attempt, now); !st.ok()) return st;
    maybe_housekeep(now);
    return out;
  }
  if (auto st = record_success(*attempt); !st.ok()) return st;
  auto session = start_session(found->person, client, now);
  if (!session) return session.status();
  session->delay = out.delay;
  return session;
}

Result<Service::FirstSignIn> Service::first_sign_in(const std::string& login_input, const std::string& code,
                                                    const std::string& new_password, const Client& client, SystemTime now) {
  FirstSignIn out;
  auto attempt = begin_attempt(login_input, client, now);
  if (!attempt) return attempt.status();
  if (attempt->gate.delayed) out.signed_in.delay = kAddressDelay;
  if (attempt->gate.refused_for > 0) {
    out.signed_in.outcome = SignedIn::Outcome::throttled;
    out.signed_in.retry_after = attempt->gate.refused_for;
    return out;
  }
  const auto& found = attempt->found;
  bool proven = false;
  if (found) {
    auto matches = store_.setup_code_matches(found->person.id, token_digest(code), format_utc(now));
    if (!matches) return matches.status();
    proven = *matches;
  }
  if (!proven) {
    // The same work as a proven code with an acceptable password, so that neither the answer nor
    // its time tells an unknown login from a wrong code.
    (void)hash_password(new_password);
    if (auto st = record_failure(*attempt, now); !st.ok()) return st;
    maybe_housekeep(now);
    return out;  // bad_credentials
  }
  // The code is proven: now, and only now, the person may hear that their password is too weak.
  if (auto weak = check_password(new_password, found->person.national_id.value_or(""), found->person.phone.value_or(""),
                                 found->person.birth_date.value_or(""))) {
    out.errors.emplace_back("new_password", weak->message);
    // The code proves who is asking: the attempt counted when it was claimed is forgiven.
    if (auto st = record_success(*attempt); !st.ok()) return st;
    return out;
  }
  auto redeemed = store_.redeem_setup_code(found->person.id, token_digest(code), hash_password(new_password), format_utc(now));
  if (!redeemed) return redeemed.status();
  if (!*redeemed) {  // spent or expired between the two reads
    if (auto st = record_failure(*attempt, now); !st.ok()) return st;
    maybe_housekeep(now);
    return out;
  }
  if (auto st = record_success(*attempt); !st.ok()) return st;
  auto session = start_session(found->person, client, now);
  if (!session) return session.status();
  out.signed_in = std::move(*session);
  if (attempt->gate.delayed) out.signed_in.delay = kAddressDelay;
  return out;
}

Result<std::optional<Person>> Service::authenticate(const std::string& token, SystemTime now) {
  if (token.size() != 43) return std::optional<Person>{};
  return store_.session_person(token_digest(token), format_utc(now));
}

Result<Service::Bearer> Service::authenticate_bearer(const std::string& token, bool writes, SystemTime now) {
  Bearer out;
  if (token.size() != 43) return out;
  auto session = store_.session_person(token_digest(token), format_utc(now));
  if (!session) return session.status();
  if (*session) {
    out.person = std::move(*session);
    return out;
  }
  auto owner = store_.api_token_owner(token_digest(token));
  if (!owner) return owner.status();
  if (!*owner) return out;
  out.api_token = true;
  if (writes && (*owner)->scopes != "read write") {
    out.scope_denied = true;
    return out;
  }
  out.person = std::move((*owner)->person);
  return out;
}

Result<Service::NewApiToken> Service::create_api_token(const Person& owner, const std::string& name, const std::string& scopes,
                                                       SystemTime now) {
  NewApiToken out;
  out.secret = new_token();
  auto created = store_.create_api_token(owner.id, name, token_digest(out.secret), scopes, format_utc(now));
  if (!created) return created.status();
  out.token = std::move(*created);
  return out;
}

Status Service::sign_out(const std::string& token) { return store_.delete_session(token_digest(token)); }

Result<Service::Updated> Service::update_profile(const Person& current, const ProfileForm& f, SystemTime now) {
  // Reuse the registration checks for the fields that are shared; the fixed ones pass through.
  RegistrationForm as_registration{f.full_name, current.national_id.value_or(""), f.phone, "",
                                   current.birth_date.value_or(""), f.target_group, f.unit_code};
  auto prefixes = store_.national_id_prefixes();
  if (!prefixes) return prefixes.status();
  auto checked = check_registration(as_registration, *prefixes);
  Updated out;
  for (auto& e : checked.errors)
    if (e.first != "password" && e.first != "national_id" && e.first != "birth_date") out.errors.push_back(e);
  std::string email = trim(f.email);
  if (!email.empty()) {
    auto at = email.find('@');
    if (at == std::string::npos || at == 0 || email.find('.', at) == std::string::npos || email.size() > 254 ||
        email.find(' ') != std::string::npos)
      out.errors.emplace_back("email", "Địa chỉ email chưa đúng, ví dụ: ten@example.vn.");
    else
      checked.person.email = email;
  }
  if (!checked.person.unit_code.empty()) {
    auto exists = store_.unit_exists(checked.person.unit_code);
    if (!exists) return exists.status();
    if (!*exists) out.errors.emplace_back("unit_code", "Không có đơn vị hành chính mang mã này.");
  }
  if (!out.errors.empty()) return out;
  auto updated = store_.update_profile(current.id, checked.person, format_utc(now));
  if (!updated) {
    if (updated.status().code() != ErrorCode::conflict) return updated.status();
    out.conflict = true;
    out.errors.emplace_back("phone", "Số điện thoại này đã thuộc về một tài khoản khác.");
    return out;
  }
  out.person = std::move(*updated);
  return out;
}

Result<FieldErrors> Service::change_password(const Person& person, const std::string& current_password,
                                             const std::string& new_password, const std::string& token, SystemTime now) {
  FieldErrors errors;
  auto hash = store_.password_hash(person.id);
  if (!hash) return hash.status();
  if (!*hash || !verify_password(**hash, current_password)) {
    errors.emplace_back("current_password", "Mật khẩu hiện tại không đúng.");
    return errors;
  }
  if (auto weak = check_password(new_password, person.national_id.value_or(""), person.phone.value_or(""),
                                 person.birth_date.value_or(""))) {
    errors.emplace_back("new_password", weak->message);
    return errors;
  }
  if (auto st = store_.set_password_hash(person.id, hash_password(new_password), format_utc(now)); !st.ok()) return st;
  // Whoever knew the old password is signed out everywhere else.
  if (auto st = store_.delete_other_sessions(person.id, token_digest(token)); !st.ok()) return st;
  return errors;
}

Status Service::sign_out_elsewhere(const Person& person, const std::string& token) {
  return store_.delete_other_sessions(person.id, token_digest(token));
}

Result<Service::PersonalData> Service::personal_data(const Person& person, const std::string& token) {
  auto sessions = store_.sessions(person.id, token_digest(token));
  if (!sessions) return sessions.status();
  return PersonalData{person, std::move(*sessions)};
}

}  // namespace hocvu::accounts
