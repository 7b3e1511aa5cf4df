"""The package's PEP 517 build backend (and PEP 660, for `pip install -e`).

Standard library only, so that pip's build isolation has nothing to download
(pyproject.toml: `requires = []`, `backend-path`): installing works offline.
It builds a pure-Python wheel of the `mcpcred` directory, an editable wheel
(a .pth file pointing at this tree) and an sdist, with the metadata of
pyproject.toml's [project] table. Archives are reproducible: entries sorted,
timestamps from $SOURCE_DATE_EPOCH (else 1980-01-01), fixed permissions.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import os
import pathlib
import tarfile
import time
import tomllib
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGE = "mcpcred"
# What an sdist holds besides the package directory.
SDIST_EXTRA = ("pyproject.toml", "README.md", "build_backend/mcpcred_build.py")
_ZIP_EPOCH = 315532800  # 1980-01-01: the earliest time a zip entry can hold


def _project() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["project"]


def _epoch() -> int:
    return max(int(os.environ.get("SOURCE_DATE_EPOCH", _ZIP_EPOCH)), _ZIP_EPOCH)


def _metadata(project: dict) -> str:
    """The core metadata (METADATA / PKG-INFO), version 2.1."""
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {project['name']}",
        f"Version: {project['version']}",
        f"Summary: {project['description']}",
        f"Requires-Python: {project['requires-python']}",
    ]
    lines += [f"Requires-Dist: {requirement}" for requirement in project.get("dependencies", [])]
    for extra, requirements in project.get("optional-dependencies", {}).items():
        lines.append(f"Provides-Extra: {extra}")
        for requirement in requirements:
            if ";" in requirement:
                raise ValueError(f"markers are not supported here: {requirement!r}")
            lines.append(f'Requires-Dist: {requirement}; extra == "{extra}"')
    lines.append("Description-Content-Type: text/markdown")
    readme = (ROOT / project["readme"]).read_text(encoding="utf-8")
    return "\n".join(lines) + "\n\n" + readme


def _package_files() -> list[pathlib.Path]:
    """The package's files, relative to ROOT, without bytecode."""
    files = []
    for path in (ROOT / PACKAGE).rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            files.append(path.relative_to(ROOT))
    return sorted(files)


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def _write_wheel(wheel_directory: str, contents: list[tuple[str, bytes]]) -> str:
    """Writes a py3-none-any wheel of `contents` (archive name, bytes) plus
    its .dist-info; returns the wheel's file name."""
    project = _project()
    name, version = project["name"], project["version"]
    dist_info = f"{name}-{version}.dist-info"
    contents = contents + [
        (f"{dist_info}/METADATA", _metadata(project).encode()),
        (
            f"{dist_info}/WHEEL",
            b"Wheel-Version: 1.0\nGenerator: mcpcred_build\n"
            b"Root-Is-Purelib: true\nTag: py3-none-any\n",
        ),
    ]
    record = [_record_line(archive_name, data) for archive_name, data in contents]
    record.append(f"{dist_info}/RECORD,,")
    contents.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode()))
    wheel_name = f"{name}-{version}-py3-none-any.whl"
    date_time = time.gmtime(_epoch())[:6]
    with zipfile.ZipFile(pathlib.Path(wheel_directory) / wheel_name, "w") as wheel:
        for archive_name, data in contents:
            info = zipfile.ZipInfo(archive_name, date_time=date_time)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(info, data)
    return wheel_name


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None) -> str:
    files = [(path.as_posix(), (ROOT / path).read_bytes()) for path in _package_files()]
    return _write_wheel(wheel_directory, files)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None) -> str:
    """A wheel whose .pth file puts this tree on sys.path: edits to the
    sources take effect without reinstalling."""
    project = _project()
    pth = f"__editable__.{project['name']}-{project['version']}.pth"
    return _write_wheel(wheel_directory, [(pth, f"{ROOT}\n".encode())])


def build_sdist(sdist_directory, config_settings=None) -> str:
    project = _project()
    base = f"{project['name']}-{project['version']}"
    entries = [(f"{base}/PKG-INFO", _metadata(project).encode())]
    for path in sorted([pathlib.Path(extra) for extra in SDIST_EXTRA] + _package_files()):
        entries.append((f"{base}/{path.as_posix()}", (ROOT / path).read_bytes()))
    sdist_name = f"{base}.tar.gz"
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for archive_name, data in entries:
            info = tarfile.TarInfo(archive_name)
            info.size = len(data)
            info.mtime = _epoch()
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    with open(pathlib.Path(sdist_directory) / sdist_name, "wb") as file:
        with gzip.GzipFile(fileobj=file, mode="wb", mtime=_epoch(), filename="") as compressed:
            compressed.write(buffer.getvalue())
    return sdist_name
