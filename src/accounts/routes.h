// Accounts over HTTP: registration, sign-in, sign-out and the signed-in person, as pages
// (/register, /sign-in, /sign-out, /me) and as the JSON API (/api/v1/accounts, /api/v1/sessions,
// /api/v1/me), both over accounts::Service. Also installs the App's authenticator.
#pragma once

namespace hocvu::reference { class Store; }
namespace hocvu::web { class App; }

namespace hocvu::accounts {

class Directory;
class Service;
void add_routes(web::App& app, Service& service, Directory& directory, reference::Store& reference);

}  // namespace hocvu::accounts
