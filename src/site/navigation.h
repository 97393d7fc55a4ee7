// The header's menu: a person sees what they use and nothing they cannot use. Which links a
// person sees is decided here, from the one authority on who may do what
// (accounts::may_somewhere), never from role names in templates or handlers.
// docs/decisions/0016-compact-header-and-menu-by-role.md
#pragma once

#include "accounts/authorization.h"
#include "web/app.h"

#include <vector>

namespace hocvu::accounts { class Directory; }

namespace hocvu::site {

// The menu for `who` (nullptr: nobody is signed in), in the order shown. Everyone: the catalogue.
// Signed in: their own learning. Then one link for each kind of work their grants allow somewhere:
// authoring courses (and the competency frameworks courses are tagged with), classes they teach,
// people, organisations (for those who may grant roles, the only ones who may create or change
// them), the audit log. Pure.
std::vector<web::MenuLink> menu_for(const accounts::Principal* who);

// Gives every page its menu: the signed-in person's grants are read (Directory::load_principal)
// when a page is rendered for them. A person whose grants cannot be read gets the learner's menu.
void add_navigation(web::App& app, accounts::Directory& directory);

}  // namespace hocvu::site
