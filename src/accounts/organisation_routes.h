// Organisations: the tree (public: names are not personal data), creating one (a manager whose
// scope covers its unit or its parent), and adding members (a manager who covers both the
// organisation and the person). Page /organisations and API /api/v1/organisations.
#pragma once

namespace hocvu::web { class App; }

namespace hocvu::accounts {

class Directory;
void add_organisation_routes(web::App& app, Directory& directory);

}  // namespace hocvu::accounts
