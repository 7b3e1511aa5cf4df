#include "tests/plugins/github_app/standin_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

namespace mcpcred {
namespace {

bool WritePem(const std::string& path, EVP_PKEY* key, bool is_private) {
  FILE* f = fopen(path.c_str(), "w");
  if (f == nullptr) return false;
  int ok = is_private ? PEM_write_PrivateKey(f, key, nullptr, nullptr, 0,
                                             nullptr, nullptr)
                      : PEM_write_PUBKEY(f, key);
  fclose(f);
  chmod(path.c_str(), is_private ? 0600 : 0644);
  return ok == 1;
}

// A minimal HTTP GET over loopback, enough for the stand-in's /_stats.
std::string HttpGet(int port, const std::string& path) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return "";
  }
  std::string request = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
  if (write(fd, request.data(), request.size()) < 0) {
    close(fd);
    return "";
  }
  std::string response;
  char buffer[4096];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof(buffer))) > 0) response.append(buffer, n);
  close(fd);
  size_t body = response.find("\r\n\r\n");
  return body == std::string::npos ? "" : response.substr(body + 4);
}

}  // namespace

bool WriteRsaKeyPair(const std::string& private_path,
                     const std::string& public_path) {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  bool ok = key != nullptr && WritePem(private_path, key, true) &&
            WritePem(public_path, key, false);
  EVP_PKEY_free(key);
  return ok;
}

bool WriteEcKey(const std::string& path) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  bool ok = key != nullptr && WritePem(path, key, true);
  EVP_PKEY_free(key);
  return ok;
}

StandinProcess::StandinProcess(const std::string& public_key_path,
                               int ttl_seconds) {
  int out[2];
  if (pipe(out) != 0) return;
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    std::string ttl = std::to_string(ttl_seconds);
    execl(NODE_EXECUTABLE, "node", STANDIN_SCRIPT, "--app-id", "12345",
          "--installation-id", "678", "--public-key", public_key_path.c_str(),
          "--ttl-seconds", ttl.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  std::string line;
  char c;
  while (read(out[0], &c, 1) == 1 && c != '\n') line.push_back(c);
  close(out[0]);
  if (line.rfind("listening ", 0) == 0) port_ = std::stoi(line.substr(10));
}

StandinProcess::~StandinProcess() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status;
  waitpid(pid_, &status, 0);
}

std::string StandinProcess::api_url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

nlohmann::json StandinProcess::Stats() const {
  return nlohmann::json::parse(HttpGet(port_, "/_stats"), nullptr, false);
}

}  // namespace mcpcred
