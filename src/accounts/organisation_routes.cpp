#include "accounts/organisation_routes.h"

#include "accounts/authorization.h"
#include "accounts/call.h"
#include "accounts/directory.h"
#include "accounts/route_support.h"
#include "core/log.h"
#include "core/text.h"
#include "core/time.h"
#include "web/app.h"
#include "web/form.h"
#include "web/request_target.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>
#include <functional>
#include <map>
#include <memory>
#include <variant>

namespace hocvu::accounts {
namespace {

using web::App;
using web::parse_id;
using web::Data;
using web::Request;
using web::Response;
namespace json = boost::json;

constexpr std::string_view kKinds[] = {"ministry", "department", "school", "enterprise", "committee", "other"};

json::object organisation_json(const Organisation& o) {
  return json::object{{"id", o.id}, {"name", o.name}, {"kind", o.kind},
                      {"parent_id", o.parent_id ? json::value(*o.parent_id) : json::value(nullptr)},
                      {"unit_code", o.unit_code}, {"members", o.members}};
}

struct NewOrganisation {
  std::string name, kind, unit_code;
  std::int64_t parent_id = 0;
};

// Creates an organisation after every check.
Outcome<Organisation> create(Directory& dir, const Principal& who, const NewOrganisation& n) {
  web::FieldErrors errors;
  std::string name = to_nfc(n.name);
  if (name.empty() || name.size() > 300) errors.emplace_back("name", "Hãy nhập tên tổ chức (tối đa 300 ký tự).");
  if (std::find(std::begin(kKinds), std::end(kKinds), n.kind) == std::end(kKinds))
    errors.emplace_back("kind", "Loại tổ chức phải là ministry, department, school, enterprise, committee hoặc other.");
  auto unit_place = dir.place_of_scope(Scope{ScopeKind::unit, n.unit_code});
  if (!unit_place) return unavailable_because("organisations", unit_place.status());
  if (!*unit_place) errors.emplace_back("unit_code", "Không có đơn vị hành chính mang mã này.");
  Reach parent_reach;
  if (n.parent_id) {
    auto pr = dir.reach_of_scope(Scope{ScopeKind::organisation, std::to_string(n.parent_id)});
    if (!pr) return unavailable_because("organisations", pr.status());
    if (pr->empty()) errors.emplace_back("parent_id", "Không có tổ chức cấp trên này.");
    parent_reach = std::move(*pr);
  }
  if (!errors.empty()) return invalid("Một số trường chưa hợp lệ.", errors);
  // The new organisation stands in its unit, under its parent's chain.
  Place place = **unit_place;
  if (!parent_reach.empty()) place.organisation_ids = parent_reach.front().organisation_ids;
  // The creator must manage where it stands and, when it hangs under a parent, the parent too:
  // nobody attaches an organisation under someone else's.
  if (!may(who, Action::grant_role, place, 0) || (!parent_reach.empty() && !may(who, Action::grant_role, parent_reach.front(), 0)))
    return forbidden("Đơn vị hoặc tổ chức cấp trên nằm ngoài phạm vi quản lý của bạn.");
  if (!parent_reach.empty() && !may_place(who, parent_reach, **unit_place))
    return forbidden("Tổ chức cấp trên chưa có mặt ở đơn vị hành chính này; chỉ người quản lý đơn vị này mới "
                     "thêm được tổ chức cấp dưới ở đây.");
  Organisation o;
  o.name = name;
  o.kind = n.kind;
  if (n.parent_id) o.parent_id = n.parent_id;
  o.unit_code = n.unit_code;
  auto created = dir.create_organisation(o, format_utc(std::chrono::system_clock::now()));
  if (!created) return unavailable_because("organisations", created.status());
  return std::move(*created);
}

// Makes person `person_id` a member of organisation `organisation_id`. Membership changes where
// the person stands (and so who manages them): the caller must manage the organisation and be
// allowed to change the person's account (accounts::may with the person's roles).
Outcome<Done> add_member(Directory& dir, const Request& req, const Principal& who, std::int64_t organisation_id,
                         std::int64_t person_id) {
  auto reach = dir.reach_of_scope(Scope{ScopeKind::organisation, std::to_string(organisation_id)});
  if (!reach) return unavailable_because("organisations", reach.status());
  auto person = load_subject(dir, person_id);
  if (!person) return unavailable_because("organisations", person.status());
  if (reach->empty() || !*person || !may(who, Action::list_people, **person)) return not_found();
  if (!may(who, Action::grant_role, reach->front(), 0) || !may(who, Action::manage_person, **person))
    return forbidden("Bạn không quản lý cả tổ chức này và người này.");
  // A member from a unit where the organisation does not stand would put them within reach of
  // every manager of the organisation, whoever appointed them.
  if (!may_place(who, *reach, (*person)->place))
    return forbidden("Người này ở đơn vị hành chính mà tổ chức chưa có mặt; chỉ người quản lý đơn vị đó mới "
                     "thêm được họ vào tổ chức.");
  auto st = dir.add_member(organisation_id, person_id,
                           audit_entry(req, "add_member", person_id, "organisation:" + std::to_string(organisation_id)));
  if (st.code() == ErrorCode::conflict) return conflict("Người này đã là thành viên của tổ chức.");
  if (!st.ok()) return unavailable_because("organisations", st);
  return Done{};
}

// The organisation routes' handlers, named and behind the one prologue (accounts/call.h).
class Organisations {
 public:
  Organisations(App& app, Directory& dir) : app_(app), dir_(dir) {}

  Response list_api(Request&) {
    auto all = dir_.organisations();
    if (!all) return unavailable("organisations", all.status());
    json::array items;
    for (const auto& o : *all) items.push_back(organisation_json(o));
    return Response::json(200, json::serialize(json::object{{"items", std::move(items)}}));
  }

  Response create_api(Call& c) {
    std::int64_t parent = 0;
    if (auto* x = c.json.if_contains("parent_id"); x && x->is_int64()) parent = x->as_int64();
    auto made = create(dir_, c.who, NewOrganisation{c.text("name"), c.text("kind"), c.text("unit_code"), parent});
    if (auto* r = std::get_if<Refused>(&made)) return api_refusal(*r);
    return Response::json(201, json::serialize(organisation_json(std::get<Organisation>(made))));
  }

  Response add_member_api(Call& c) {
    std::int64_t person = 0;
    if (auto* x = c.json.if_contains("person_id"); x && x->is_int64()) person = x->as_int64();
    if (person <= 0) return App::api_error(422, "invalid_field", "Thiếu person_id.", {{"person_id", "Hãy cho biết người cần thêm."}});
    auto done = add_member(dir_, c.req, c.who, c.id(), person);
    if (auto* r = std::get_if<Refused>(&done)) return api_refusal(*r);
    return Response::json(201, json::serialize(json::object{{"organisation_id", c.id()}, {"person_id", person}}));
  }

  Response list_page(Request& req) {
    auto all = dir_.organisations();
    if (!all) return unavailable("organisations", all.status());
    // Depth, for indenting: a child is one deeper than its parent, which comes before it.
    std::map<std::int64_t, int> depth;
    Data list{Data::type::list};
    for (const auto& o : *all) {
      int d = o.parent_id && depth.contains(*o.parent_id) ? depth[*o.parent_id] + 1 : 0;
      depth[o.id] = d;
      Data item{Data::type::object};
      item.set("id", std::to_string(o.id));
      item.set("name", o.name);
      item.set("kind", app_.text(req, "org.kind." + o.kind));
      item.set("unit_code", o.unit_code);
      item.set("members", std::to_string(o.members));
      item.set("depth", std::to_string(std::min(d, 6)));
      list.push_back(item);
    }
    Data d{Data::type::object};
    d.set("organisations", list);
    if (req.user_id) {
      auto p = load_principal(dir_, req.user_id);
      if (p && may_somewhere(*p, Action::grant_role)) d.set("can_create", true);
    }
    std::string_view error = req.query_param("error");
    if (error == "forbidden" || error == "invalid") d.set("error", app_.text(req, "org.error_" + std::string(error)));
    return app_.page(req, "organisations", app_.text(req, "org.title"), d);
  }

  Response create_form(Call& c) {
    auto made = create(dir_, c.who, NewOrganisation{c.field("name"), c.field("kind"), c.field("unit_code"), parse_id(c.field("parent_id"))});
    Response back;
    back.status = 303;
    if (auto* r = std::get_if<Refused>(&made)) {
      if (r->kind == Refused::Kind::unavailable) return Response::text(503, "");
      back.set_header("Location", r->kind == Refused::Kind::forbidden ? "/organisations?error=forbidden" : "/organisations?error=invalid");
    } else {
      back.set_header("Location", "/organisations");
    }
    return back;
  }

 private:
  App& app_;
  Directory& dir_;
};

}  // namespace

void add_organisation_routes(App& app, Directory& dir) {
  auto& r = app.router();
  auto o = std::make_shared<Organisations>(app, dir);
  auto on = [&dir, o](Body body, Response (Organisations::*handler)(Call&)) { return signed_in(dir, body, std::bind_front(handler, o)); };
  r.add("GET", "/api/v1/organisations", std::bind_front(&Organisations::list_api, o));  // public: the tree, no people
  r.add("POST", "/api/v1/organisations", on(Body::json, &Organisations::create_api));
  r.add("POST", "/api/v1/organisations/{id}/members", on(Body::json, &Organisations::add_member_api));
  r.add("GET", "/organisations", std::bind_front(&Organisations::list_page, o));
  r.add("POST", "/organisations", on(Body::form, &Organisations::create_form));
}

}  // namespace hocvu::accounts
