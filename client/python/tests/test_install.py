"""`pip install ./client/python` works offline, with Debian's pip, into a venv
that takes grpcio, protobuf and httpx from Debian's packages.

pip is pointed at an index that refuses connections (and told not to retry):
an install that needed anything from an index (setuptools for the build, a
dependency) fails instead of passing on a machine that happens to be online.
"""

import os
import subprocess
import sys
import tarfile
import tempfile
import unittest
import zipfile

import harness

# Debian's interpreter: the venv must see Debian's python3-grpcio & co.
PYTHON = os.environ.get("MCPCRED_PYTHON", "/usr/bin/python3")
LIMIT = 300


def offline_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PIP_INDEX_URL="http://127.0.0.1:9/simple",
        PIP_RETRIES="0",
        PIP_TIMEOUT="2",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_NO_CACHE_DIR="1",
        PIP_NO_INPUT="1",
    )
    env.pop("PYTHONPATH", None)
    return env


class InstallTest(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.TemporaryDirectory(prefix="mcpy-install-")
        self.root = self.directory.name
        self.addCleanup(self.directory.cleanup)

    def run_ok(self, argv, **kwargs) -> subprocess.CompletedProcess:
        result = subprocess.run(
            argv, capture_output=True, text=True, timeout=LIMIT, env=offline_env(), **kwargs
        )
        self.assertEqual(
            result.returncode,
            0,
            f"{' '.join(argv)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}",
        )
        return result

    def make_venv(self, name: str) -> str:
        venv = os.path.join(self.root, name)
        self.run_ok([PYTHON, "-m", "venv", "--system-site-packages", venv])
        return os.path.join(venv, "bin", "python")

    def import_from(self, python: str) -> str:
        """Imports the package (and its httpx part) in `python`, from a
        directory that does not hold it; returns where it came from."""
        result = self.run_ok(
            [
                python,
                "-c",
                "import mcpcred, mcpcred.httpx_auth, mcpcred._proto.agent_pb2_grpc;"
                "print(mcpcred.__file__)",
            ],
            cwd=self.root,
        )
        return result.stdout.strip()

    def test_pip_install_into_a_venv(self):
        python = self.make_venv("venv")
        self.run_ok([python, "-m", "pip", "install", str(harness.PACKAGE_ROOT)], cwd=self.root)
        location = self.import_from(python)
        self.assertTrue(
            location.startswith(os.path.join(self.root, "venv", "lib")),
            f"imported from {location}, not from the venv",
        )
        shown = self.run_ok([python, "-m", "pip", "show", "-f", "mcpcred"]).stdout
        for expected in ("Requires: grpcio, protobuf", "mcpcred/_proto/agent_pb2.py", "py.typed"):
            self.assertIn(expected, shown)
        self.run_ok([python, "-m", "pip", "uninstall", "-y", "mcpcred"])
        self.assertFalse(os.path.exists(location), "uninstall left the package behind")

    def test_editable_install(self):
        python = self.make_venv("venv-e")
        self.run_ok(
            [python, "-m", "pip", "install", "-e", str(harness.PACKAGE_ROOT)], cwd=self.root
        )
        location = self.import_from(python)
        self.assertEqual(location, str(harness.PACKAGE_ROOT / "mcpcred" / "__init__.py"))

    def test_sdist_and_wheel_contents(self):
        sys.path.insert(0, str(harness.PACKAGE_ROOT / "build_backend"))
        try:
            import mcpcred_build
        finally:
            sys.path.pop(0)
        sdist = mcpcred_build.build_sdist(self.root)
        wheel = mcpcred_build.build_wheel(self.root)
        with tarfile.open(os.path.join(self.root, sdist)) as tar:
            names = set(tar.getnames())
        for expected in ("PKG-INFO", "pyproject.toml", "build_backend/mcpcred_build.py",
                         "mcpcred/_proto/agent_pb2.py"):
            self.assertIn(f"mcpcred-0.1.0/{expected}", names)
        with zipfile.ZipFile(os.path.join(self.root, wheel)) as archive:
            names = set(archive.namelist())
            metadata = archive.read("mcpcred-0.1.0.dist-info/METADATA").decode()
        self.assertFalse([name for name in names if "__pycache__" in name or "tests/" in name])
        self.assertIn('Requires-Dist: httpx>=0.23; extra == "httpx"', metadata)
        # The wheel builds from the sdist too (what pip does with an sdist).
        unpacked = os.path.join(self.root, "unpacked")
        with tarfile.open(os.path.join(self.root, sdist)) as tar:
            tar.extractall(unpacked)  # our own archive
        self.run_ok(
            [
                PYTHON,
                "-c",
                "import sys; sys.path.insert(0, 'build_backend'); import mcpcred_build;"
                f"print(mcpcred_build.build_wheel({self.root!r}))",
            ],
            cwd=os.path.join(unpacked, "mcpcred-0.1.0"),
        )


if __name__ == "__main__":
    unittest.main()
