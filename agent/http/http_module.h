// The interface of the agent's http module (modules/http.so, built from
// curl_http_client.cc): the libcurl half of PerformHttp, loaded at the first
// request so that an agent whose plugins never make one never maps libcurl
// and its TLS, Kerberos, LDAP and SSH libraries. See
// agent/util/internal_module.h.
#ifndef MCPCRED_AGENT_HTTP_HTTP_MODULE_H_
#define MCPCRED_AGENT_HTTP_HTTP_MODULE_H_

#include "absl/status/statusor.h"
#include "agent/http/http_client.h"

namespace mcpcred {

struct HttpModule {
  static constexpr char kName[] = "http";
  // PerformHttp, as http_client.h states it.
  absl::StatusOr<HttpResponse> (*perform)(const HttpRequest& request);
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_HTTP_HTTP_MODULE_H_
