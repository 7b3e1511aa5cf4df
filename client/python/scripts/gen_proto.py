#!/usr/bin/python3
"""Regenerates mcpcred/_proto/ from proto/mcpcred/v1/agent.proto.

The generated modules are committed so that installing the package needs no
protoc; tests/test_proto_drift.py runs generate() into a temporary directory
and fails when the committed copy differs. Run this after changing the proto:

    /usr/bin/python3 client/python/scripts/gen_proto.py

protoc and grpc_python_plugin come from Debian's protobuf-compiler and
protobuf-compiler-grpc; their output differs between versions, so regenerate
with the versions the drift test runs with (Debian 12: protoc 3.21.12, gRPC
1.51.1).
"""

import pathlib
import shutil
import subprocess
import sys
import tempfile

PACKAGE_ROOT = pathlib.Path(__file__).resolve().parent.parent
REPO_ROOT = PACKAGE_ROOT.parent.parent
PROTO_ROOT = REPO_ROOT / "proto"
PROTO_FILE = "mcpcred/v1/agent.proto"
PROTO_DIR = PACKAGE_ROOT / "mcpcred" / "_proto"
# The generated files, as they are named inside PROTO_DIR.
GENERATED = ("agent_pb2.py", "agent_pb2.pyi", "agent_pb2_grpc.py")

HEADER = (
    "# Generated from proto/mcpcred/v1/agent.proto by "
    "client/python/scripts/gen_proto.py: do not edit.\n"
)

# protoc names modules after the proto's path (mcpcred.v1.agent_pb2); inside
# the package they live in mcpcred._proto, so these imports and module names
# are rewritten.
REWRITES = (
    (
        "from mcpcred.v1 import agent_pb2 as",
        "from . import agent_pb2 as",
    ),
    (
        "'mcpcred.v1.agent_pb2'",
        "'mcpcred._proto.agent_pb2'",
    ),
)


def tool(name: str) -> str:
    """The path of `name`; raises FileNotFoundError saying what to install."""
    path = shutil.which(name)
    if path is None:
        raise FileNotFoundError(
            f"{name} not found: install Debian's protobuf-compiler and "
            "protobuf-compiler-grpc"
        )
    return path


def generate(out_dir: pathlib.Path) -> None:
    """Writes the files named in GENERATED into `out_dir`, ready to commit.

    Raises FileNotFoundError when a tool is missing and
    subprocess.CalledProcessError when protoc fails.
    """
    protoc = tool("protoc")
    plugin = tool("grpc_python_plugin")
    with tempfile.TemporaryDirectory() as raw:
        subprocess.run(
            [
                protoc,
                f"-I{PROTO_ROOT}",
                f"--python_out={raw}",
                f"--pyi_out={raw}",
                f"--grpc_python_out={raw}",
                f"--plugin=protoc-gen-grpc_python={plugin}",
                str(PROTO_ROOT / PROTO_FILE),
            ],
            check=True,
        )
        generated_dir = pathlib.Path(raw) / pathlib.Path(PROTO_FILE).parent
        for name in GENERATED:
            text = (generated_dir / name).read_text(encoding="utf-8")
            for old, new in REWRITES:
                text = text.replace(old, new)
            (out_dir / name).write_text(HEADER + text, encoding="utf-8")


def main() -> int:
    generate(PROTO_DIR)
    for name in GENERATED:
        print(PROTO_DIR / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
