#include "site/navigation.h"

#include "accounts/directory.h"

namespace hocvu::site {

using accounts::Action;

std::vector<web::MenuLink> menu_for(const accounts::Principal* who) {
  std::vector<web::MenuLink> menu{{"/courses", "nav.courses"}};
  if (!who) return menu;
  menu.push_back({"/learn", "nav.learn"});
  auto may = [who](Action a) { return accounts::may_somewhere(*who, a); };
  if (may(Action::author_course)) menu.push_back({"/author", "nav.author"});
  if (may(Action::teach)) menu.push_back({"/classes", "nav.classes"});
  if (may(Action::list_people)) menu.push_back({"/people", "nav.people"});
  if (may(Action::grant_role)) menu.push_back({"/organisations", "nav.organisations"});
  if (may(Action::read_audit_log)) menu.push_back({"/audit", "nav.audit"});
  if (may(Action::author_course) || may(Action::manage_reference_data)) menu.push_back({"/frameworks", "nav.frameworks"});
  return menu;
}

void add_navigation(web::App& app, accounts::Directory& directory) {
  app.set_menu([&directory](const web::Request& req) {
    if (!req.user_id) return menu_for(nullptr);
    auto who = accounts::load_principal(directory, req.user_id);
    accounts::Principal learner{req.user_id, {}};
    return menu_for(who ? &*who : &learner);
  });
}

}  // namespace hocvu::site
