#include "relay/session.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace mcpcred::exec::relay {
namespace {

constexpr char kCancelled[] = "notifications/cancelled";
constexpr char kInitialized[] = "notifications/initialized";

// params.requestId of a notifications/cancelled, or null.
Json* CancelledRequestId(Json& json) {
  auto params = json.find("params");
  if (params == json.end() || !params->is_object()) return nullptr;
  auto id = params->find("requestId");
  return id == params->end() ? nullptr : &*id;
}

std::string Seconds(absl::Duration duration) {
  return absl::StrCat(absl::ToDoubleSeconds(duration), " s");
}

}  // namespace

Session::Session(SessionOptions options, SessionIo* io, MessageMasker* masker)
    : options_(options), io_(io), masker_(masker) {}

void Session::AddFirstInstance(int instance) {
  instances_[instance].state = State::kCurrent;
  current_ = instance;
}

std::optional<int> Session::starting() const {
  for (const auto& [id, instance] : instances_) {
    if (instance.state == State::kStarting) return id;
  }
  return std::nullopt;
}

size_t Session::retiring() const {
  size_t count = 0;
  for (const auto& [id, instance] : instances_) {
    if (instance.state == State::kDraining ||
        instance.state == State::kStopping) {
      ++count;
    }
  }
  return count;
}

bool Session::CanReplace() const {
  return initialize_.has_value() && !initialized_line_.empty() &&
         !starting().has_value() && instances_.count(current_) > 0;
}

std::string Session::RelayId(std::string_view what, int instance) const {
  return absl::StrCat("mcpcred-exec:", std::string(what), ":", instance);
}

void Session::AddReplacement(int instance, absl::Time now) {
  Instance& added = instances_[instance];
  added.state = State::kStarting;
  added.deadline = now + options_.start_timeout;
  Json request = *initialize_;
  request["id"] = RelayId("initialize", instance);
  relay_requests_[IdKey(request["id"])] = instance;
  io_->WriteToInstance(instance, Serialize(request));
}

void Session::OnHostLine(std::string_view line, absl::Time now) {
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;
  Message message = ParseMessage(line);
  switch (message.kind) {
    case MessageKind::kRequest: {
      if (message.method == "initialize" && !initialize_.has_value()) {
        initialize_ = message.json;
      } else if (message.method == "logging/setLevel") {
        log_level_ = message.json.value("params", Json::object());
      }
      router_.AddHostRequest(
          message.id_key,
          HostRequest{current_, message.json["id"], message.method});
      io_->WriteToInstance(current_, std::string(line));
      return;
    }
    case MessageKind::kNotification: {
      if (message.method == kInitialized) {
        initialized_line_ = std::string(line);
      } else if (message.method == kCancelled) {
        Json* id = CancelledRequestId(message.json);
        const HostRequest* request =
            id == nullptr ? nullptr : router_.FindHostRequest(IdKey(*id));
        io_->WriteToInstance(request != nullptr ? request->instance : current_,
                             std::string(line));
        return;
      }
      // Everything else (roots/list_changed, progress, ...) concerns every
      // instance that is serving.
      for (const auto& [id, instance] : instances_) {
        if (instance.state == State::kCurrent ||
            instance.state == State::kDraining) {
          io_->WriteToInstance(id, std::string(line));
        }
      }
      return;
    }
    case MessageKind::kResponse: {
      std::optional<ServerRequest> asked =
          router_.TakeServerRequest(message.id_key);
      if (!asked.has_value()) return;  // its instance has ended
      auto it = instances_.find(asked->instance);
      if (it == instances_.end() || it->second.state == State::kStopping) {
        return;
      }
      message.json["id"] = asked->id;
      io_->WriteToInstance(asked->instance, Serialize(message.json));
      return;
    }
    case MessageKind::kInvalid:
      // The server answers it (a parse error), as it would without a relay.
      io_->WriteToInstance(current_, std::string(line));
      return;
  }
}

void Session::OnHostOverflow(uint64_t length) {
  io_->Log(absl::StrCat("mcpcred-exec: dropped a message from the host of ",
                        length, " bytes (longer than the line limit)"));
  io_->WriteToHost(ErrorResponse(
      nullptr, kInvalidRequest,
      absl::StrCat("mcpcred-exec: message of ", length,
                   " bytes dropped: longer than the line limit")));
}

void Session::ToHost(std::string_view raw, Json* json, bool modified) {
  io_->WriteToHost(masker_->Render(raw, json, modified));
}

void Session::OnInstanceLine(int instance, std::string_view line,
                             absl::Time now) {
  auto it = instances_.find(instance);
  if (it == instances_.end()) return;
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;
  Message message = ParseMessage(line);
  switch (message.kind) {
    case MessageKind::kResponse:
      FromServerResponse(instance, message, line, now);
      return;
    case MessageKind::kRequest: {
      message.json["id"] =
          router_.MapServerRequest(instance, message.json["id"]);
      ToHost(line, &message.json, /*modified=*/true);
      return;
    }
    case MessageKind::kNotification: {
      bool modified = false;
      if (message.method == kCancelled) {
        // The server gave up a request of its own: the host knows it by its
        // relay id.
        Json* id = CancelledRequestId(message.json);
        if (id != nullptr) {
          std::optional<Json> relay_id = router_.RelayIdOf(instance, *id);
          if (relay_id.has_value()) {
            *id = *relay_id;
            modified = true;
          }
        }
      }
      ToHost(line, &message.json, modified);
      return;
    }
    case MessageKind::kInvalid:
      ToHost(line, nullptr, false);
      return;
  }
}

void Session::FromServerResponse(int instance, Message& message,
                                 std::string_view line, absl::Time now) {
  auto own = relay_requests_.find(message.id_key);
  if (own != relay_requests_.end() && own->second == instance) {
    relay_requests_.erase(own);
    if (instances_[instance].state != State::kStarting ||
        message.json["id"] != Json(RelayId("initialize", instance))) {
      return;  // the answer to a replayed setLevel
    }
    if (message.json.contains("error")) {
      Abandon(instance, "answered the replayed initialize with an error");
    } else {
      Promote(instance, now);
    }
    return;
  }
  std::optional<HostRequest> request =
      router_.TakeHostResponse(instance, message.id_key);
  if (!request.has_value()) {
    // A parse error answers id null; anything else answers a request that
    // already got an error from the relay (drain timeout): drop it.
    if (message.json["id"].is_null()) ToHost(line, &message.json, false);
    return;
  }
  ToHost(line, &message.json, false);
  MaybeStop(instance);
}

void Session::Promote(int instance, absl::Time now) {
  const int previous = current_;
  Instance& promoted = instances_[instance];
  promoted.state = State::kCurrent;
  promoted.deadline = absl::InfiniteFuture();
  current_ = instance;
  ++replacements_;
  io_->WriteToInstance(instance, initialized_line_);
  if (log_level_.has_value()) {
    Json request = {{"jsonrpc", "2.0"},
                    {"id", RelayId("setLevel", instance)},
                    {"method", "logging/setLevel"},
                    {"params", *log_level_}};
    relay_requests_[IdKey(request["id"])] = instance;
    io_->WriteToInstance(instance, Serialize(request));
  }
  auto old = instances_.find(previous);
  if (old != instances_.end() && old->second.state == State::kCurrent) {
    old->second.state = State::kDraining;
    old->second.deadline = now + options_.drain_timeout;
    MaybeStop(previous);
  }
  io_->ReplacementDone(instance, true);
}

void Session::Abandon(int instance, std::string_view why) {
  io_->Log(
      absl::StrCat("mcpcred-exec: the new server instance ", std::string(why),
                   "; staying on the current one, and trying again later"));
  instances_[instance].state = State::kStopping;
  instances_[instance].deadline = absl::InfiniteFuture();
  io_->StopInstance(instance);
  io_->ReplacementDone(instance, false);
}

void Session::MaybeStop(int instance) {
  Instance& draining = instances_[instance];
  if (draining.state != State::kDraining) return;
  if (router_.HostRequestsOf(instance) > 0) return;
  draining.state = State::kStopping;
  draining.deadline = absl::InfiniteFuture();
  io_->StopInstance(instance);
}

void Session::FailRequestsOf(int instance, std::string_view why) {
  for (const HostRequest& request : router_.TakeHostRequestsOf(instance)) {
    io_->WriteToHost(
        ErrorResponse(request.id, kInternalError,
                      absl::StrCat("mcpcred-exec: ", request.method,
                                   " was not answered: ", std::string(why))));
  }
}

void Session::OnInstanceExited(int instance, absl::Time now) {
  auto it = instances_.find(instance);
  if (it == instances_.end()) return;
  const State state = it->second.state;
  if (state == State::kStarting) {
    Abandon(instance, "exited before it answered the replayed initialize");
  } else if (state != State::kCurrent) {
    FailRequestsOf(instance,
                   "the server instance that held it (replaced after a "
                   "credential rotation) exited first");
  }
  router_.ForgetInstance(instance);
  for (auto own = relay_requests_.begin(); own != relay_requests_.end();) {
    own = own->second == instance ? relay_requests_.erase(own) : ++own;
  }
  if (instance != current_) instances_.erase(instance);
}

void Session::OnTimer(absl::Time now) {
  std::vector<int> due;
  for (const auto& [id, instance] : instances_) {
    if (instance.deadline <= now) due.push_back(id);
  }
  for (int id : due) {
    Instance& instance = instances_[id];
    if (instance.state == State::kStarting) {
      Abandon(id, absl::StrCat("did not answer the replayed initialize within ",
                               Seconds(options_.start_timeout)));
    } else if (instance.state == State::kDraining) {
      FailRequestsOf(
          id, absl::StrCat("the server was replaced after a credential "
                           "rotation, and the old instance did not finish "
                           "this request within the drain timeout (",
                           Seconds(options_.drain_timeout), ")"));
      MaybeStop(id);
    }
  }
}

absl::Time Session::NextDeadline() const {
  absl::Time next = absl::InfiniteFuture();
  for (const auto& [id, instance] : instances_) {
    next = std::min(next, instance.deadline);
  }
  return next;
}

}  // namespace mcpcred::exec::relay
