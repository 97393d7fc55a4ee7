// The people managers look after: the list (search without diacritics, filters, pagination,
// personal data masked), a person's page (personal data shown to managers whose scope covers
// them, and audited), granting and revoking roles, and the audit log. Pages and JSON API.
// Every route asks accounts::may() / may_grant(); a person outside the caller's scope is
// answered 404, the same as one that does not exist.
#pragma once

namespace hocvu::reference { class Store; }
namespace hocvu::web { class App; }

namespace hocvu::accounts {

class Directory;
class Store;
void add_people_routes(web::App& app, Directory& directory, Store& store, reference::Store& reference);

}  // namespace hocvu::accounts
