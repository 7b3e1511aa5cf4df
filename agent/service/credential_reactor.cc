#include "agent/service/credential_reactor.h"

namespace mcpcred {

// Answers the call CANCELLED (through the request's own callback) if the
// request still waits; else the answer is on its way already.
void CredentialReactor::OnCancel() { broker_->Cancel(pending_); }

}  // namespace mcpcred
