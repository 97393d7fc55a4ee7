#include "accounts/people_import.h"

#include "accounts/identity.h"
#include "core/text.h"

#include <algorithm>

namespace hocvu::accounts {
namespace {

int column(const std::vector<std::string>& header, std::initializer_list<const char*> names) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    std::string h = fold_for_search(header[i]);
    std::replace(h.begin(), h.end(), ' ', '_');
    for (auto n : names)
      if (h == n) return static_cast<int>(i);
  }
  return -1;
}

// Excel writes dates as the sheet shows them: 02/09/1985 in Vietnam, or ISO 1985-09-02.
std::optional<std::string> parse_group(const std::string& s) {
  std::string f = fold_for_search(s);
  if (f == "official" || f.starts_with("can bo") || f.starts_with("cong chuc") || f.starts_with("vien chuc")) return "official";
  if (f == "student" || f.starts_with("hoc sinh") || f.starts_with("sinh vien")) return "student";
  if (f == "worker" || f.starts_with("nguoi lao dong") || f == "lao dong") return "worker";
  if (f == "citizen" || f.starts_with("nguoi dan") || f == "cong dan") return "citizen";
  return std::nullopt;
}

bool same(const Person& p, const NewPerson& n) {
  return p.full_name == n.full_name && p.phone == n.phone && p.birth_date == n.birth_date &&
         p.target_group == n.target_group && p.unit_code == n.unit_code && (!n.email || p.email == n.email);
}

// The subject `p` as the importer's context knows it.
std::optional<Subject> subject_of(const ImportContext& ctx, const Person& p) {
  if (ctx.subject_of) return ctx.subject_of(p);
  auto unit = ctx.units.find(p.unit_code);
  if (unit == ctx.units.end()) return std::nullopt;
  return Subject{p.id, unit->second, {}};
}

// The person as the importer may see them: nullopt for nobody and for someone outside their scope.
std::optional<std::pair<Person, Subject>> seen(const ImportContext& ctx, std::optional<Person> p) {
  if (!p) return std::nullopt;
  auto subject = subject_of(ctx, *p);
  if (!subject || !may(ctx.importer, Action::list_people, *subject)) return std::nullopt;
  return std::pair{std::move(*p), std::move(*subject)};
}

void recount(ImportPlan& plan) {
  plan.created = plan.updated = plan.unchanged = plan.rejected = 0;
  for (const auto& row : plan.rows) switch (row.action) {
      case ImportRow::Action::create: ++plan.created; break;
      case ImportRow::Action::update: ++plan.updated; break;
      case ImportRow::Action::unchanged: ++plan.unchanged; break;
      case ImportRow::Action::reject: ++plan.rejected; break;
    }
}

}  // namespace

int refuse_taken_elsewhere(ImportPlan& plan, const ImportContext& ctx) {
  int refused = 0;
  for (auto& row : plan.rows) {
    if (row.action != ImportRow::Action::create && row.action != ImportRow::Action::update) continue;
    auto holder = row.action == ImportRow::Action::create ? ctx.person_by_national_id(*row.person.national_id) : std::nullopt;
    auto phone_holder = ctx.person_by_phone(*row.person.phone);
    const bool taken = holder || (phone_holder && phone_holder->id != row.existing_id.value_or(0));
    if (!taken) continue;
    row.action = ImportRow::Action::reject;
    row.reason = kTakenElsewhere;
    ++refused;
  }
  if (refused) recount(plan);
  return refused;
}

const char* action_name(ImportRow::Action a) {
  switch (a) {
    case ImportRow::Action::create: return "create";
    case ImportRow::Action::update: return "update";
    case ImportRow::Action::unchanged: return "unchanged";
    case ImportRow::Action::reject: return "reject";
  }
  return "reject";
}

std::string people_import_template() {
  return "\xEF\xBB\xBF" "ho_ten,cccd,so_dien_thoai,ngay_sinh,nhom,ma_don_vi,email,to_chuc,vai_tro\r\n"
         "Nguyễn Văn An,001085001234,0912345678,02/09/1985,Cán bộ công chức,01,,,\r\n";
}

ImportPlan plan_people_import(const std::vector<CsvRow>& rows, const ImportContext& ctx) {
  ImportPlan plan;
  if (rows.empty()) {
    plan.error = "Tệp trống: cần dòng tiêu đề và các dòng dữ liệu (tải tệp mẫu để xem).";
    return plan;
  }
  const auto& h = rows.front().fields;
  const int c_name = column(h, {"ho_ten", "ho_va_ten", "full_name"});
  const int c_id = column(h, {"cccd", "so_cccd", "national_id"});
  const int c_phone = column(h, {"so_dien_thoai", "dien_thoai", "phone"});
  const int c_birth = column(h, {"ngay_sinh", "birth_date"});
  const int c_group = column(h, {"nhom", "doi_tuong", "target_group"});
  const int c_unit = column(h, {"ma_don_vi", "ma_xa", "unit_code"});
  const int c_email = column(h, {"email", "thu_dien_tu"});
  const int c_org = column(h, {"to_chuc", "ma_to_chuc", "organisation_id"});
  const int c_role = column(h, {"vai_tro", "role"});
  if (c_name < 0 || c_id < 0 || c_phone < 0 || c_birth < 0 || c_group < 0 || c_unit < 0) {
    plan.error = "Dòng tiêu đề phải có các cột ho_ten, cccd, so_dien_thoai, ngay_sinh, nhom, ma_don_vi (tải tệp mẫu để xem).";
    return plan;
  }
  std::set<std::string> ids_in_file, phones_in_file;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& f = rows[i].fields;
    auto at = [&](int c) { return c >= 0 && c < static_cast<int>(f.size()) ? trim(f[static_cast<std::size_t>(c)]) : std::string(); };
    ImportRow row;
    row.line = rows[i].line;
    auto& p = row.person;
    std::vector<std::string> why;
    p.full_name = to_nfc(at(c_name));
    p.search_name = fold_for_search(p.full_name);
    if (p.full_name.empty()) why.push_back("thiếu họ tên");
    auto birth = parse_written_date(at(c_birth));
    if (!birth) why.push_back("ngày sinh \"" + at(c_birth) + "\" không đúng (dd/mm/yyyy hoặc yyyy-mm-dd)");
    else p.birth_date = format_date(*birth);
    auto id = check_national_id(at(c_id), ctx.national_id_prefixes, birth);
    if (id.refusal) why.push_back(id.refusal->message);
    else p.national_id = id.digits;
    auto phone = check_phone(at(c_phone));
    if (phone.refusal) why.push_back(phone.refusal->message);
    else p.phone = phone.normalized;
    auto group = parse_group(at(c_group));
    if (!group) why.push_back("nhóm \"" + at(c_group) + "\" không rõ (cán bộ, học sinh, người lao động, người dân)");
    else p.target_group = *group;
    std::string email = at(c_email);
    if (!email.empty()) p.email = email;
    p.unit_code = at(c_unit);
    auto unit = ctx.units.find(p.unit_code);
    if (unit == ctx.units.end()) why.push_back("không có đơn vị hành chính mã \"" + p.unit_code + "\"");
    else if (!may(ctx.importer, Action::list_people, unit->second, 0) || !may(ctx.importer, Action::view_personal_data, unit->second, 0))
      why.push_back("đơn vị " + p.unit_code + " nằm ngoài phạm vi quản lý của bạn");

    // Optional: a membership and a helper role, both inside what the importer manages.
    std::string org = at(c_org);
    if (!org.empty()) {
      auto place = ctx.organisations.find(org);
      if (place == ctx.organisations.end()) why.push_back("không có tổ chức mã \"" + org + "\"");
      else if (!may(ctx.importer, Action::grant_role, place->second.front(), 0)) why.push_back("tổ chức " + org + " nằm ngoài phạm vi quản lý của bạn");
      else row.organisation_id = org;
    }
    std::string role_text = fold_for_search(at(c_role));
    if (!role_text.empty()) {
      std::optional<Role> role;
      if (role_text == "instructor" || role_text == "giang vien" || role_text == "giang vien so") role = Role::instructor;
      if (role_text == "community helper" || role_text.starts_with("to cong nghe so") || role_text == "ho tro cong dong")
        role = Role::community_helper;
      if (!role) why.push_back("vai trò \"" + at(c_role) + "\" không nhập được từ tệp (chỉ giảng viên số hoặc tổ công nghệ số cộng đồng)");
      else if (unit != ctx.units.end()) {
        // At the organisation when one is given, else at the person's unit.
        Scope scope = row.organisation_id ? Scope{ScopeKind::organisation, *row.organisation_id} : Scope{ScopeKind::unit, p.unit_code};
        const Reach where = row.organisation_id ? ctx.organisations.find(*row.organisation_id)->second : Reach{unit->second};
        if (!may_grant(ctx.importer, *role, scope, where)) why.push_back("bạn không được cấp vai trò này ở phạm vi đó");
        else row.grant = Grant{*role, scope};
      }
    }

    if (why.empty() && !ids_in_file.insert(*p.national_id).second) why.push_back("số CCCD đã có ở một dòng trước trong tệp");
    if (why.empty() && !phones_in_file.insert(*p.phone).second) why.push_back("số điện thoại đã có ở một dòng trước trong tệp");
    if (why.empty()) {
      auto existing = seen(ctx, ctx.person_by_national_id(*p.national_id));
      auto phone_owner = seen(ctx, ctx.person_by_phone(*p.phone));
      if (phone_owner && (!existing || phone_owner->first.id != existing->first.id))
        why.push_back("số điện thoại đã thuộc về một người khác");
      else if (existing) {
        if (!may(ctx.importer, Action::manage_person, existing->second))
          why.push_back("bạn không được sửa thông tin của người này (họ giữ vai trò mà bạn không cấp được, hoặc đó là chính bạn)");
        else {
          row.existing_id = existing->first.id;
          row.action = same(existing->first, p) ? ImportRow::Action::unchanged : ImportRow::Action::update;
        }
      } else {
        row.action = ImportRow::Action::create;
      }
    }
    if (!why.empty()) {
      row.action = ImportRow::Action::reject;
      std::string joined;
      for (auto& w : why) joined += (joined.empty() ? "" : "; ") + w;
      row.reason = joined;
    }
    plan.rows.push_back(std::move(row));
  }
  recount(plan);
  return plan;
}

}  // namespace hocvu::accounts
