// Validation and normalisation of the personal data that identifies a person: the national ID
// number (CCCD), the phone number and the birth date. Pure functions over values.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace hocvu::accounts {

struct Date {
  int year = 0, month = 0, day = 0;
  friend bool operator==(const Date&, const Date&) = default;
};

// Parses "YYYY-MM-DD" (a real calendar date); nullopt otherwise.
std::optional<Date> parse_date(std::string_view text);
// A date as people write it in Vietnam, day first: "02/09/1985", "2/9/1985", "02-09-1985",
// "02.09.1985" (one separator throughout, a four-digit year), or ISO "1985-09-02". Nothing else:
// no spaces, signs or trailing text.
std::optional<Date> parse_written_date(std::string_view text);
std::string format_date(const Date& d);  // "YYYY-MM-DD"

// Why a value was refused: a stable code for programs and a Vietnamese message for people.
struct Refusal {
  std::string code;     // e.g. "national_id_length"
  std::string message;  // Vietnamese, fit to show beside the field
};

// A CCCD is 12 digits: 3 for the province of birth registration (the 63 codes in use before the
// 2025 merger; `province_codes` holds them as data), 1 for century and sex (0/1: 1900s, 2/3:
// 2000s, 4/5: 2100s; even is male), 2 for the last digits of the birth year, 6 more.
// When `birth_date` is given, the century digit and the year digits must agree with it.
// Spaces are ignored. Returns the 12 digits, or why not.
struct NationalIdCheck {
  std::optional<std::string> digits;
  std::optional<Refusal> refusal;
};
NationalIdCheck check_national_id(std::string_view input, const std::set<std::string, std::less<>>& province_codes,
                                  const std::optional<Date>& birth_date);

// A Vietnamese phone number as people give it for sign-in: "0" and 9 more digits, or "+84"/"84"
// and 9 digits (11-digit landlines are not accepted);
// spaces, dots and dashes are ignored. Returns it normalised as "0xxxxxxxxx", or why not.
struct PhoneCheck {
  std::optional<std::string> normalized;
  std::optional<Refusal> refusal;
};
PhoneCheck check_phone(std::string_view input);

// "0912345678" -> "091****678": enough for the person to recognise, not enough to use.
std::string mask_phone(std::string_view normalized);
// "001099012345" -> "001******345".
std::string mask_national_id(std::string_view digits);

}  // namespace hocvu::accounts
