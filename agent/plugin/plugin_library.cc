#include "agent/plugin/plugin_library.h"

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/mutex.h"
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

// How a plugin file becomes loaded code.
//
// Load() opens the file once, checks the open file and dlopen()s it as
// /proc/self/fd/N, so that the file checked is the file loaded: loading by
// path after the checks (as internal modules do, from the agent's own
// directory) would look the path up again, and another user who controls a
// symlink on the way could point it elsewhere in between.
//
// But glibc's dlopen() does not always load. It returns an object it has
// loaded already if the name asked for is one of the object's names, or else
// if the file is the object's file (same device and inode), and then adds the
// name to that object's names. A /proc/self/fd/N name left on an object once
// fd N is closed would make the next plugin opened as fd N the old plugin. So
// such a name is only ever on an object while fd N is open and held for it:
//   - a file already loaded (found by device and inode before dlopen()) is
//     not dlopen()ed again under its new descriptor's name: its load is
//     shared, with one entry call and one teardown;
//   - when the last library of a load goes, dlclose() may still leave the
//     object loaded (RTLD_NODELETE, unique symbols of a C++ plugin, another
//     handle on the file): its fd is then kept open for good and the file is
//     loaded again, if ever, by that same name (the descriptor is of the
//     same inode, so that is still the file just checked).
class PluginLibrary::Files {
 public:
  // Process-wide, never destroyed (libraries may outlive static destructors).
  static Files& Get() {
    static Files* const files = new Files();
    return *files;
  }

  // The load, counted for one more library, of the file open at `fd` (checked,
  // with status `st`, and taken over): the file's current load or a new one.
  absl::StatusOr<const Loaded*> Acquire(int fd, const struct stat& st,
                                        const std::string& path) {
    const FileId id(st.st_dev, st.st_ino);
    absl::MutexLock lock(&mu_);
    if (auto it = loaded_.find(id); it != loaded_.end()) {
      close(fd);
      ++it->second->users;
      return it->second.get();
    }
    if (auto it = resident_.find(id); it != resident_.end()) {
      close(fd);
      fd = it->second;
      resident_.erase(it);
    }
    auto loaded = std::make_unique<Loaded>();
    loaded->fd = fd;
    absl::Status opened = Open(path, loaded.get());
    if (!opened.ok()) {
      Unload(id, *loaded);
      return opened;
    }
    loaded->users = 1;
    return loaded_.emplace(id, std::move(loaded)).first->second.get();
  }

  // One library fewer for `loaded`; the last one unloads it.
  void Release(const Loaded* loaded) {
    absl::MutexLock lock(&mu_);
    auto it = loaded_.begin();
    while (it->second.get() != loaded) ++it;
    if (--it->second->users > 0) return;
    const FileId id = it->first;
    std::unique_ptr<Loaded> last = std::move(it->second);
    loaded_.erase(it);
    // Under the lock: a concurrent Acquire() of the file must not dlopen() it
    // while it is torn down (glibc would answer with this very object).
    Unload(id, *last);
  }

 private:
  using FileId = std::pair<dev_t, ino_t>;

  static std::string FdName(int fd) {
    return absl::StrCat("/proc/self/fd/", fd);
  }

  // dlopen()s loaded->fd, negotiates the ABI and reads the plugin's table and
  // description into *loaded.
  static absl::Status Open(const std::string& path, Loaded* loaded);

  // Tears down and dlclose()s `loaded` (if it was dlopen()ed), then closes its
  // fd, or keeps it if the object stays loaded under its name.
  void Unload(FileId id, const Loaded& loaded)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (loaded.handle != nullptr) {
      if (loaded.teardown != nullptr) loaded.teardown();
      dlclose(loaded.handle);
    }
    // Asks for the name without loading: an answer is an object that still
    // bears it (this one, or another of the same file it was just added to).
    void* still = dlopen(FdName(loaded.fd).c_str(), RTLD_LAZY | RTLD_NOLOAD);
    if (still == nullptr) {
      dlerror();
      close(loaded.fd);
      return;
    }
    dlclose(still);
    resident_.emplace(id, loaded.fd);
  }

  absl::Mutex mu_;
  // The files loaded now, each shared by its libraries.
  std::map<FileId, std::unique_ptr<Loaded>> loaded_ ABSL_GUARDED_BY(mu_);
  // The fds of objects that dlclose() left loaded: they name them.
  std::map<FileId, int> resident_ ABSL_GUARDED_BY(mu_);
};

absl::Status PluginLibrary::Files::Open(const std::string& path,
                                        Loaded* loaded) {
  const std::string fd_path = FdName(loaded->fd);
  // RTLD_LOCAL keeps one plugin's symbols from resolving another's.
  int mode = RTLD_NOW | RTLD_LOCAL;
#if defined(MCPCRED_SANITIZE_ADDRESS) || defined(MCPCRED_SANITIZE_LEAK)
  // LeakSanitizer checks at exit, after dlclose() unmapped the plugin: what
  // its immortal singletons (`static T* t = new T`) point at then looks
  // leaked, from an unknown module. Kept mapped, they are roots as in any
  // program, and the stacks of real leaks name the plugin's functions.
  mode |= RTLD_NODELETE;
#endif
  loaded->handle = dlopen(fd_path.c_str(), mode);
  if (loaded->handle == nullptr) {
    const char* why = dlerror();
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot load plugin ", path, ": ",
        why != nullptr ? absl::StrReplaceAll(why, {{fd_path, path}})
                       : "dlopen"));
  }
  auto entry = reinterpret_cast<mcpcred_provider_entry_fn>(
      dlsym(loaded->handle, MCPCRED_PROVIDER_ENTRY_SYMBOL));
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
  loaded->abi_version = plugin_abi;
  absl::StatusOr<std::vector<mcpcred_dispatch>> read =
      ReadTable(plugin_table, plugin_abi, path);
  if (!read.ok()) return read.status();
  const mcpcred_dispatch* table = read->data();
  auto find = [table](int32_t id) { return mcpcred_dispatch_find(table, id); };

  auto info_fn = mcpcred_get_prov_info(find(MCPCRED_PROV_INFO));
  loaded->create = mcpcred_get_prov_create(find(MCPCRED_PROV_CREATE));
  loaded->destroy = mcpcred_get_prov_destroy(find(MCPCRED_PROV_DESTROY));
  loaded->fetch = mcpcred_get_prov_fetch(find(MCPCRED_PROV_FETCH));
  loaded->teardown = mcpcred_get_prov_teardown(find(MCPCRED_PROV_TEARDOWN));
  loaded->stop = mcpcred_get_prov_stop(find(MCPCRED_PROV_STOP));
  if (info_fn == nullptr || loaded->create == nullptr ||
      loaded->destroy == nullptr || loaded->fetch == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("plugin ", path,
                     " lacks a required function (info, create, destroy, "
                     "fetch)"));
  }
  const mcpcred_provider_info* info = info_fn();
  absl::StatusOr<config::ProviderSchema> schema = ReadSchema(info, path);
  if (!schema.ok()) return schema.status();
  loaded->schema = *std::move(schema);
  loaded->flags = info->flags;
  loaded->login = mcpcred_get_prov_login(find(MCPCRED_PROV_LOGIN));
  loaded->logout = mcpcred_get_prov_logout(find(MCPCRED_PROV_LOGOUT));
  if ((loaded->flags & MCPCRED_PROVIDER_HAS_LOGIN) != 0 &&
      (loaded->login == nullptr || loaded->logout == nullptr)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "plugin ", path, " says it has a login but lacks login or logout"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<PluginLibrary>> PluginLibrary::Load(
    const std::string& path) {
  struct stat st;
  absl::StatusOr<int> fd = OpenTrustedFile(path, "plugin", &st);
  if (!fd.ok()) return fd.status();
  absl::StatusOr<const Loaded*> loaded = Files::Get().Acquire(*fd, st, path);
  if (!loaded.ok()) return loaded.status();
  return std::unique_ptr<PluginLibrary>(new PluginLibrary(path, *loaded));
}

PluginLibrary::~PluginLibrary() { Files::Get().Release(loaded_); }

}  // namespace mcpcred
