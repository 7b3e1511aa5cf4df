"""The committed stubs in mcpcred/_proto/ are what the proto generates today.

Fails when proto/mcpcred/v1/agent.proto changed without a regeneration (run
/usr/bin/python3 client/python/scripts/gen_proto.py), or when this machine's
protoc / grpc_python_plugin produce other code than the ones the stubs were
made with (Debian 12: protoc 3.21.12, gRPC 1.51.1).
"""

import importlib.util
import pathlib
import subprocess
import tempfile
import unittest

import harness

_spec = importlib.util.spec_from_file_location(
    "gen_proto", harness.PACKAGE_ROOT / "scripts" / "gen_proto.py"
)
gen_proto = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen_proto)


class ProtoDriftTest(unittest.TestCase):
    def test_committed_stubs_match_the_proto(self):
        versions = subprocess.run(
            [gen_proto.tool("protoc"), "--version"], capture_output=True, text=True
        ).stdout.strip()
        with tempfile.TemporaryDirectory() as directory:
            fresh_dir = pathlib.Path(directory)
            gen_proto.generate(fresh_dir)
            for name in gen_proto.GENERATED:
                committed = (gen_proto.PROTO_DIR / name).read_text(encoding="utf-8")
                fresh = (fresh_dir / name).read_text(encoding="utf-8")
                self.assertTrue(
                    committed == fresh,
                    f"mcpcred/_proto/{name} differs from what {versions} generates from "
                    f"{gen_proto.PROTO_FILE}: run /usr/bin/python3 "
                    "client/python/scripts/gen_proto.py",
                )


if __name__ == "__main__":
    unittest.main()
