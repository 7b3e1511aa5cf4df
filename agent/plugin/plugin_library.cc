#include "agent/plugin/plugin_library.h"

#include <dlfcn.h>
#include <unistd.h>

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "agent/plugin/host_services.h"
#include "agent/util/fs.h"

namespace mcpcred {
namespace {

config::FieldType ToFieldType(int32_t type, bool* ok) {
  *ok = true;
  switch (type) {
    case MCPCRED_FIELD_STRING:
      return config::FieldType::kString;
    case MCPCRED_FIELD_SECRET_REF:
      return config::FieldType::kSecretRef;
    case MCPCRED_FIELD_INTEGER:
      return config::FieldType::kInteger;
    case MCPCRED_FIELD_BOOLEAN:
      return config::FieldType::kBoolean;
    case MCPCRED_FIELD_STRING_ARRAY:
      return config::FieldType::kStringArray;
    case MCPCRED_FIELD_STRING_TABLE:
      return config::FieldType::kStringTable;
  }
  *ok = false;
  return config::FieldType::kString;
}

// Copies the plugin's C description into the config layer's schema.
absl::StatusOr<config::ProviderSchema> ReadSchema(
    const mcpcred_provider_info* info, const std::string& path) {
  auto bad = [&](const std::string& what) {
    return absl::InvalidArgumentError(
        absl::StrCat("plugin ", path, " has a malformed description: ", what));
  };
  if (info == nullptr) return bad("none given");
  // Fields up to `flags` exist since ABI 1; read nothing past struct_size.
  if (info->struct_size <
      offsetof(mcpcred_provider_info, flags) + sizeof(info->flags)) {
    return bad("struct_size too small");
  }
  if (info->name == nullptr || info->name[0] == '\0') return bad("no name");
  config::ProviderSchema schema;
  schema.name = info->name;
  for (size_t i = 0; i < info->field_count; ++i) {
    const mcpcred_field& field = info->fields[i];
    if (field.name == nullptr) return bad("a field has no name");
    bool ok = false;
    config::FieldType type = ToFieldType(field.type, &ok);
    if (!ok)
      return bad(absl::StrCat("field ", field.name, " has unknown type"));
    schema.fields.push_back({field.name, type, field.required != 0,
                             field.help != nullptr ? field.help : ""});
  }
  for (size_t i = 0; i < info->variable_count; ++i) {
    if (info->variables[i] == nullptr) return bad("a variable has no name");
    schema.variables.push_back(info->variables[i]);
  }
  return schema;
}

// The plugin's table in ABI 2 ids: an ABI 1 table's provider ids are
// renumbered, unknown ids are kept (and never looked up). Refuses a table that
// holds a host service id, which only a table passed the wrong way does.
absl::StatusOr<std::vector<mcpcred_dispatch>> ReadTable(
    const mcpcred_dispatch* table, uint32_t abi, const std::string& path) {
  if (table == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("plugin ", path, " returned no function table"));
  }
  std::vector<mcpcred_dispatch> out;
  for (; table->id != 0; ++table) {
    mcpcred_dispatch entry = *table;
    if (abi == MCPCRED_ABI_VERSION_1 && entry.id >= 1 &&
        entry.id <= MCPCRED_PROV_ID_LAST - MCPCRED_PROV_ID_V1_OFFSET) {
      entry.id += MCPCRED_PROV_ID_V1_OFFSET;
    } else if (abi >= MCPCRED_ABI_VERSION_2 &&
               entry.id >= MCPCRED_HOST_ID_FIRST &&
               entry.id <= MCPCRED_HOST_ID_LAST) {
      return absl::InvalidArgumentError(absl::StrCat(
          "plugin ", path, " lists host service id ", entry.id,
          " among its own functions (provider ids are ", MCPCRED_PROV_ID_FIRST,
          "..", MCPCRED_PROV_ID_LAST,
          " since ABI 2): rebuild it against this agent's provider.h"));
    }
    out.push_back(entry);
  }
  out.push_back({0, nullptr});
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PluginLibrary>> PluginLibrary::Load(
    const std::string& path) {
  absl::StatusOr<int> fd = OpenTrustedFile(path, "plugin");
  if (!fd.ok()) return fd.status();

  std::unique_ptr<PluginLibrary> lib(new PluginLibrary());
  lib->path_ = path;
  // Kept open while the plugin is loaded: dlopen() takes a name it has loaded
  // already for that object, so "/proc/self/fd/N" must not name another
  // plugin while this one is loaded.
  lib->fd_ = *fd;
  const std::string fd_path = absl::StrCat("/proc/self/fd/", *fd);
  // RTLD_LOCAL keeps one plugin's symbols from resolving another's.
  int mode = RTLD_NOW | RTLD_LOCAL;
#if defined(MCPCRED_SANITIZE_ADDRESS) || defined(MCPCRED_SANITIZE_LEAK)
  // LeakSanitizer checks at exit, after dlclose() unmapped the plugin: what
  // its immortal singletons (`static T* t = new T`) point at then looks
  // leaked, from an unknown module. Kept mapped, they are roots as in any
  // program, and the stacks of real leaks name the plugin's functions.
  mode |= RTLD_NODELETE;
#endif
  lib->handle_ = dlopen(fd_path.c_str(), mode);
  if (lib->handle_ == nullptr) {
    const char* why = dlerror();
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot load plugin ", path, ": ",
        why != nullptr ? absl::StrReplaceAll(why, {{fd_path, path}})
                       : "dlopen"));
  }
  auto entry = reinterpret_cast<mcpcred_provider_entry_fn>(
      dlsym(lib->handle_, MCPCRED_PROVIDER_ENTRY_SYMBOL));
  if (entry == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is not an mcpcred plugin: it does not export ",
                     MCPCRED_PROVIDER_ENTRY_SYMBOL));
  }
  uint32_t plugin_abi = 0;
  const mcpcred_dispatch* plugin_table = nullptr;
  int32_t rc =
      entry(MCPCRED_ABI_VERSION, HostDispatch(), &plugin_abi, &plugin_table);
  if (rc != MCPCRED_OK && plugin_abi > MCPCRED_ABI_VERSION) {
    return absl::FailedPreconditionError(
        absl::StrCat("plugin ", path, " needs ABI version ", plugin_abi,
                     " but this agent implements ABI versions 1 to ",
                     MCPCRED_ABI_VERSION, ": upgrade mcpcred-agent"));
  }
  if (rc != MCPCRED_OK || plugin_abi == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("plugin ", path, " supports none of ABI versions 1 to ",
                     MCPCRED_ABI_VERSION,
                     " that this agent implements: rebuild it against "
                     "this agent"));
  }
  if (plugin_abi > MCPCRED_ABI_VERSION) {
    return absl::FailedPreconditionError(absl::StrCat(
        "plugin ", path, " answered ABI version ", plugin_abi,
        " to an offer of at most ", MCPCRED_ABI_VERSION,
        ": it must negotiate down or refuse; rebuild it against this agent"));
  }
  lib->abi_version_ = plugin_abi;
  absl::StatusOr<std::vector<mcpcred_dispatch>> read =
      ReadTable(plugin_table, plugin_abi, path);
  if (!read.ok()) return read.status();
  const mcpcred_dispatch* table = read->data();
  auto find = [table](int32_t id) { return mcpcred_dispatch_find(table, id); };

  auto info_fn = mcpcred_get_prov_info(find(MCPCRED_PROV_INFO));
  lib->create_ = mcpcred_get_prov_create(find(MCPCRED_PROV_CREATE));
  lib->destroy_ = mcpcred_get_prov_destroy(find(MCPCRED_PROV_DESTROY));
  lib->fetch_ = mcpcred_get_prov_fetch(find(MCPCRED_PROV_FETCH));
  lib->teardown_ = mcpcred_get_prov_teardown(find(MCPCRED_PROV_TEARDOWN));
  lib->stop_ = mcpcred_get_prov_stop(find(MCPCRED_PROV_STOP));
  if (info_fn == nullptr || lib->create_ == nullptr ||
      lib->destroy_ == nullptr || lib->fetch_ == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("plugin ", path,
                     " lacks a required function (info, create, destroy, "
                     "fetch)"));
  }
  const mcpcred_provider_info* info = info_fn();
  absl::StatusOr<config::ProviderSchema> schema = ReadSchema(info, path);
  if (!schema.ok()) return schema.status();
  lib->schema_ = *std::move(schema);
  lib->flags_ = info->flags;
  lib->login_ = mcpcred_get_prov_login(find(MCPCRED_PROV_LOGIN));
  lib->logout_ = mcpcred_get_prov_logout(find(MCPCRED_PROV_LOGOUT));
  if (lib->has_login() && (lib->login_ == nullptr || lib->logout_ == nullptr)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "plugin ", path, " says it has a login but lacks login or logout"));
  }
  return lib;
}

PluginLibrary::~PluginLibrary() {
  if (handle_ != nullptr) {
    if (teardown_ != nullptr) teardown_();
    dlclose(handle_);
  }
  if (fd_ >= 0) close(fd_);
}

}  // namespace mcpcred
