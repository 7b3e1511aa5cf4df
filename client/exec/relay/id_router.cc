#include "relay/id_router.h"

#include <utility>

namespace mcpcred::exec::relay {

void IdRouter::AddHostRequest(const std::string& key, HostRequest request) {
  host_[key] = std::move(request);
}

std::optional<HostRequest> IdRouter::TakeHostResponse(int instance,
                                                      const std::string& key) {
  auto it = host_.find(key);
  if (it == host_.end() || it->second.instance != instance) return std::nullopt;
  HostRequest request = std::move(it->second);
  host_.erase(it);
  return request;
}

const HostRequest* IdRouter::FindHostRequest(const std::string& key) const {
  auto it = host_.find(key);
  return it == host_.end() ? nullptr : &it->second;
}

std::vector<HostRequest> IdRouter::TakeHostRequestsOf(int instance) {
  std::vector<HostRequest> taken;
  for (auto it = host_.begin(); it != host_.end();) {
    if (it->second.instance == instance) {
      taken.push_back(std::move(it->second));
      it = host_.erase(it);
    } else {
      ++it;
    }
  }
  return taken;
}

size_t IdRouter::HostRequestsOf(int instance) const {
  size_t count = 0;
  for (const auto& [key, request] : host_) {
    if (request.instance == instance) ++count;
  }
  return count;
}

Json IdRouter::MapServerRequest(int instance, const Json& id) {
  const int64_t relay_id = next_relay_id_++;
  Json relay = relay_id;
  server_[IdKey(relay)] = ServerRequest{instance, id};
  relay_ids_[{instance, IdKey(id)}] = relay_id;
  return relay;
}

std::optional<ServerRequest> IdRouter::TakeServerRequest(
    const std::string& key) {
  auto it = server_.find(key);
  if (it == server_.end()) return std::nullopt;
  ServerRequest request = std::move(it->second);
  server_.erase(it);
  relay_ids_.erase({request.instance, IdKey(request.id)});
  return request;
}

std::optional<Json> IdRouter::RelayIdOf(int instance, const Json& id) const {
  auto it = relay_ids_.find({instance, IdKey(id)});
  if (it == relay_ids_.end()) return std::nullopt;
  return Json(it->second);
}

void IdRouter::ForgetInstance(int instance) {
  for (auto it = server_.begin(); it != server_.end();) {
    if (it->second.instance == instance) {
      relay_ids_.erase({instance, IdKey(it->second.id)});
      it = server_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace mcpcred::exec::relay
