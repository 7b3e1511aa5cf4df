// Conversions between the agent's types and the wire types.
#ifndef MCPCRED_AGENT_SERVICE_PROTO_CONVERT_H_
#define MCPCRED_AGENT_SERVICE_PROTO_CONVERT_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"
#include "agent/broker/broker.h"
#include "mcpcred/v1/agent.pb.h"

namespace mcpcred {

// Same code, same message: the edge is the only place statuses change type.
grpc::Status ToGrpcStatus(const absl::Status& status);

void ToProto(const RenderedCredential& credential, v1::Credential* out);
void ToProto(const CredentialSnapshot& snapshot, v1::CredentialInfo* out);

// Wipes the values ToProto copied into `credential` (env, headers, token);
// names stay.
void WipeSecretFields(v1::Credential* credential);
// Wipes the secrets of the unary RPCs that carry them, for
// WipingMessageAllocator.
void WipeGetCredential(v1::GetCredentialRequest*, v1::Credential* response);
void WipeAddSecret(v1::AddSecretRequest* request, v1::AddSecretResponse*);
void WipeRedactionValues(v1::GetRedactionValuesRequest*,
                         v1::GetRedactionValuesResponse* response);

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_SERVICE_PROTO_CONVERT_H_
