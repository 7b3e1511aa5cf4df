#include "agent/service/watch_hub.h"

#include "agent/service/watch_reactor.h"

namespace mcpcred {

WatchHub::WatchHub(Broker* broker) : broker_(broker) {
  broker_->AddObserver(this);
}

WatchHub::~WatchHub() { Close(); }

bool WatchHub::Add(WatchReactor* watch) {
  absl::MutexLock lock(&mu_);
  if (closed_) return false;
  watches_.insert(watch);
  return true;
}

void WatchHub::Remove(WatchReactor* watch) {
  absl::MutexLock lock(&mu_);
  watches_.erase(watch);
}

void WatchHub::Close() {
  {
    absl::MutexLock lock(&mu_);
    if (closed_) return;
    closed_ = true;
    for (WatchReactor* watch : watches_) watch->End();
  }
  // Not under mu_: the broker holds its observer lock while it calls us.
  broker_->RemoveObserver(this);
}

void WatchHub::OnCredentialChanged(const std::string& name,
                                   CredentialChange change) {
  absl::MutexLock lock(&mu_);
  for (WatchReactor* watch : watches_) watch->OnChange(name, change);
}

}  // namespace mcpcred
