"""Decoding on a Ray cluster: the `Decoder` of ``l10n run --executor ray``.

`RayDecoder` keeps the run's driver where it is (planning, the translation
memory, the output folder) and sends only decoding away: a pool of plain Ray
actors, one per worker slot, each opening the engine once from the picklable
`EngineSpec` and running the same decode policy (`workflow.decoder.isolating`)
next to the model, so that the wider-beam retries and the unmasked fallback
find it loaded. Workers never touch SQLite or the output folder.

The unit of work is a batch of distinct masked segments of one language,
sorted by length (so that CTranslate2 pads little), up to `BATCH_SEGMENTS`
of them; the driver dispatches batches and collects them with ``ray.wait``,
advancing the progress callbacks per batch returned. A segment the engine
raises on is isolated by the worker, as a local run does, and reported as
failed (`Decoded.failed`) so that only the articles needing it fail. A
worker process that dies is restarted by
Ray and its batches retried (`MAX_RESTARTS`); a batch on which the worker
dies every time is split in two and each half sent again, down to the
single segment, which is reported as failed the same way.

Ray is imported only when a `RayDecoder` decodes. On a cluster it joined,
the models go to the workers through Ray's object store: each model's
files, packed by the driver (`pack`) and named by their SHA-256, are
checked and unpacked once per node into a cache folder (`unpack`), which
a worker finding the same SHA-256 there uses as it is. On an instance it
started, the workers read the model paths of the spec, as a local run does.

When the spec decodes on "cuda", every worker asks Ray for one GPU and
takes several batches at once, its settings decided on the driver
(`actor_options`, `worker_spec`).
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import shutil
import tarfile
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workflow.decoder import (
    Decoded,
    DecodeProgress,
    DecodeRequest,
    Hypotheses,
    combine,
    isolating,
)
from workflow.errors import ModelError, UsageError, WorkflowError
from workflow.masking import MaskedText

if TYPE_CHECKING:
    from workflow.engines import Engine
    from workflow.engines.spec import EngineSpec, ModelFiles

#: Distinct segments per batch sent to a worker: enough to keep its engine
#: busy between round trips, few enough to show progress and spread the work.
BATCH_SEGMENTS = 2000
#: Fewest segments a batch is cut to so that every worker has some.
MIN_BATCH = 32
#: How often Ray starts a worker again after its process died, and sends a
#: batch again after its worker died (not after the engine raised).
MAX_RESTARTS = 2
#: Workers replaced after dying for good, beyond two per worker slot, before the run stops.
MAX_DEATHS = 16

INSTALL_HINT = (
    "--executor ray needs Ray, which is not installed; "
    'install it with `pip install "l10n-workflow[ray]"`'
)

#: Opens the engine in a worker; `workflow.engines.open_engine` unless a test gives another.
Opener = Callable[["EngineSpec"], "Engine"]


def import_ray(address: str | None = None) -> Any:
    """The ``ray`` module, or a `UsageError` saying how to install it.

    For a Ray instance this process will start (no `address`), or one
    reached on the loopback address, Ray is told to keep to the loopback
    address (it would put the machine's own address in place of 127.0.0.1)
    and to report nothing to its usage statistics, unless the environment
    says otherwise. Ray reads both when first imported.

    >>> is_loopback("127.0.0.1:6379"), is_loopback("localhost:6379"), is_loopback("auto")
    (True, True, False)
    """
    if address is None or is_loopback(address):
        os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    try:
        import ray
    except ImportError:
        raise UsageError(INSTALL_HINT) from None
    return ray


def is_loopback(address: str) -> bool:
    """Whether the Ray address ``HOST:PORT`` is on this machine's loopback interface."""
    host = address.rpartition(":")[0].strip("[]")
    return host in {"localhost", "::1"} or host.startswith("127.")


@dataclass(frozen=True)
class _Batch:
    """Distinct segments of one language, and what the translation memory knows of them."""

    lang: str
    segments: tuple[MaskedText, ...]
    known: Hypotheses


@dataclass(frozen=True)
class Shipped:
    """A model's files packed into one archive in Ray's object store, by its SHA-256."""

    sha256: str
    #: The ``ObjectRef`` of the archive's bytes (`pack`).
    archive: Any
    #: The model as installed on the driver: its prefix and label hold; its paths do not.
    files: ModelFiles
    #: Where workers unpack it, one folder per SHA-256; None: ``l10n-models``
    #: in the temporary folder of the worker's node, not the driver's.
    cache: str | None


def pack(files: ModelFiles) -> bytes:
    """The model folder and tokenizer of `files` as an uncompressed tar archive.

    File times and owners are left out, so the same files always give the
    same bytes, and the same SHA-256.
    """
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        members = [
            (path, f"model/{path.relative_to(files.model_dir).as_posix()}")
            for path in sorted(files.model_dir.rglob("*"))
            if path.is_file()
        ]
        members.append((files.tokenizer_path, f"tokenizer/{files.tokenizer_path.name}"))
        for path, name in members:
            info = tarfile.TarInfo(name)
            info.size = path.stat().st_size
            info.mode = 0o644
            with path.open("rb") as file:
                tar.addfile(info, file)
    return buffer.getvalue()


def unpack(shipped: Shipped) -> ModelFiles:
    """`shipped`'s files in this node's cache, unpacked unless a worker already did.

    The archive is checked against its SHA-256 first, and unpacked into a
    temporary folder renamed into place, so a worker never sees half a model.
    """
    import ray

    cache = shipped.cache or str(Path(tempfile.gettempdir()) / "l10n-models")
    target = Path(cache) / shipped.sha256
    if not target.is_dir():
        data: bytes = ray.get(shipped.archive)
        if hashlib.sha256(data).hexdigest() != shipped.sha256:
            raise ModelError("the model package arrived damaged", path=shipped.files.model_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(prefix=".unpacking-", dir=target.parent))
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(temporary, filter="data")
        try:
            temporary.rename(target)
        except OSError:
            # Another worker of this node unpacked it meanwhile.
            shutil.rmtree(temporary, ignore_errors=True)
    return replace(
        shipped.files,
        model_dir=target / "model",
        tokenizer_path=target / "tokenizer" / shipped.files.tokenizer_path.name,
    )


def worker_spec(spec: EngineSpec) -> EngineSpec:
    """`spec` as every worker opens it, decided on the driver.

    A worker on a GPU sees only the one Ray gave it, as CUDA device 0, and
    its languages' translators keep `gpu_batches` batches in flight on it;
    a worker on CPUs decodes one batch at a time (its threads are set from
    the CPUs Ray assigned it, in the worker).

    >>> from workflow.engines.spec import DecodeSettings, EngineSpec
    >>> gpu = EngineSpec("argos", ("ko", "ja"), settings=DecodeSettings(
    ...     device="cuda", compute_type="float16", device_index=(0, 1, 2, 3)))
    >>> worker_spec(gpu).settings.device_index, worker_spec(gpu).settings.inter_threads
    ((0,), 1)
    >>> worker_spec(replace(gpu, languages=("ko",))).settings.inter_threads
    2
    """
    from workflow.engines.spec import gpu_batches

    if spec.settings.device == "cuda":
        settings = replace(
            spec.settings, device_index=(0,), inter_threads=gpu_batches(len(spec.languages))
        )
    else:
        settings = replace(spec.settings, inter_threads=1)
    return replace(spec, settings=settings)


def actor_options(spec: EngineSpec, threads: int, max_restarts: int) -> dict[str, Any]:
    """The Ray options of each worker actor: `threads` CPUs, and a GPU when decoding on one.

    A worker on a GPU takes `GPU_BATCHES` batches at once (Ray runs them in
    threads of the actor), so that its GPU has work while one batch's CPU
    side runs.

    >>> from workflow.engines.spec import DecodeSettings, EngineSpec
    >>> cuda = DecodeSettings(device="cuda", compute_type="float16")
    >>> actor_options(EngineSpec("argos", ("ko",), settings=cuda), 1, 2)["num_gpus"]
    1
    >>> "num_gpus" in actor_options(EngineSpec("argos", ("ko",)), 1, 2)
    False
    """
    from workflow.engines.spec import GPU_BATCHES

    options: dict[str, Any] = {
        "num_cpus": threads,
        "max_restarts": max_restarts,
        "max_task_retries": max_restarts,
    }
    if spec.settings.device == "cuda":
        options.update(num_gpus=1, max_concurrency=GPU_BATCHES)
    return options


class _Worker:
    """One worker slot: the engine opened once, the decode policy run next to it."""

    def __init__(self, spec: EngineSpec, opener: Opener | None) -> None:
        import threading

        import ray

        # Threads follow the CPUs Ray gave this actor, not the node's cores,
        # which other actors share.
        context: Any = ray.get_runtime_context()
        cpus = context.get_assigned_resources().get("CPU", 1.0)
        threads = max(1, int(cpus))
        self.spec = replace(spec, settings=replace(spec.settings, intra_threads=threads))
        self.opener = opener
        self._engine: Engine | None = None
        # A worker on a GPU decodes several batches at once, in threads.
        self._opening = threading.Lock()

    def pid(self) -> int:
        """The worker's process id (tests kill it)."""
        return os.getpid()

    def threads(self) -> int:
        """CTranslate2 threads per batch this worker decodes with."""
        return self.spec.settings.intra_threads

    def settings(self) -> tuple[Any, dict[str, float]]:
        """The decoding settings this worker opens its engine with, and what Ray assigned it."""
        import ray

        context: Any = ray.get_runtime_context()
        return self.spec.settings, dict(context.get_assigned_resources())

    def decode(self, batch: _Batch, shipped: Mapping[str, Shipped]) -> Decoded:
        """`batch` decoded by the policy every executor runs.

        The models `shipped` are unpacked before the engine is opened; they
        come with every batch rather than to the constructor, since Ray
        cannot restart an actor whose constructor's arguments were lost.
        """
        with self._opening:
            if self._engine is None:
                from workflow.engines import open_engine

                if shipped:
                    models = {lang: unpack(model) for lang, model in shipped.items()}
                    self.spec = replace(self.spec, models={**self.spec.models, **models})
                self._engine = (self.opener or open_engine)(self.spec)
        return isolating(self._engine, batch.segments, batch.lang, known=batch.known)


class RayDecoder:
    """Decodes on a Ray cluster: joins the one at `address`, or starts one on this machine.

    `workers` is the number of actors, of `threads` CPUs each; by default as
    many as the cluster's CPUs allow. When the spec decodes on "cuda" each
    actor also takes one GPU, and by default there are as many as the
    cluster has GPUs (`actor_options`, `worker_spec`). Without `address` a
    Ray instance is started on 127.0.0.1 only, with just the CPUs of
    `workers` if given, and shut down by `close`; a joined cluster is only
    disconnected from. `opener` opens the engine in the workers instead of
    `workflow.engines.open_engine` (it must be importable there).
    `ship_models` (by default: when joining a cluster) sends the models
    through the object store into `model_cache` on each node (by default
    ``l10n-models`` in the node's temporary folder).
    `max_restarts` is how often Ray restarts a worker and retries its batch.
    """

    def __init__(
        self,
        spec: EngineSpec,
        *,
        address: str | None = None,
        workers: int | None = None,
        batch_segments: int = BATCH_SEGMENTS,
        opener: Opener | None = None,
        threads: int = 1,
        max_restarts: int = MAX_RESTARTS,
        ship_models: bool | None = None,
        model_cache: str | None = None,
    ) -> None:
        if workers is not None and workers < 1:
            raise UsageError(f"--workers must be at least 1, not {workers}")
        self.spec = worker_spec(spec)
        self.address = address
        self.workers = workers
        self.batch_segments = batch_segments
        self.opener = opener
        self.threads = max(1, threads)
        self.max_restarts = max_restarts
        self.ship_models = address is not None if ship_models is None else ship_models
        self.model_cache = model_cache
        self._shipped: dict[str, Shipped] = {}
        self._ray: Any = None
        self._started = False
        self._actors: list[Any] = []
        self._actor: Any = None
        #: Batches each worker is given at once.
        self._slots = 1
        self._deaths = 0

    def open(self) -> None:
        """Connect to Ray and start the workers, on the run's main thread.

        Ray installs its handler of SIGTERM (which shuts down an instance the
        run started) only when connected from the main thread.
        """
        self._connect()

    def _connect(self) -> Any:
        """Ray, connected, with the worker actors created."""
        if self._ray is not None:
            return self._ray
        ray = import_ray(self.address)
        if not ray.is_initialized():
            import logging

            quiet = {"logging_level": logging.ERROR, "log_to_driver": False}
            if self.address is None:
                ray.init(
                    # A new instance even where one runs already (RAY_ADDRESS,
                    # or one `ray start` or another run started): Ray would
                    # join that by default.
                    address="local",
                    num_cpus=None if self.workers is None else self.workers * self.threads,
                    include_dashboard=False,
                    _node_ip_address="127.0.0.1",
                    **quiet,
                )
            else:
                try:
                    ray.init(address=self.address, **quiet)
                except (ConnectionError, ValueError, RuntimeError) as error:
                    raise UsageError(
                        f"cannot join the Ray cluster at {self.address}: {error} "
                        "(a cluster with token authentication, Ray's default, needs "
                        "RAY_AUTH_MODE=token with an explicit address)"
                    ) from None
            self._started = True
        self._ray = ray
        resources = ray.cluster_resources()
        cpus = int(resources.get("CPU", 0))
        count = self.workers or max(1, cpus // self.threads)
        if self.spec.settings.device == "cuda":
            # One worker per GPU by default; each also needs its CPUs.
            gpus = int(resources.get("GPU", 0))
            if self.workers is None:
                count = min(count, max(1, gpus))
            if count > gpus:
                self.close()
                raise UsageError(
                    f"--device cuda with {count} worker(s) of one GPU each, "
                    f"but the Ray cluster has {gpus} GPUs"
                )
        if count * self.threads > cpus:
            # Actors wait for free CPUs: the run would wait for ever.
            self.close()
            raise UsageError(
                f"--workers {count} of {self.threads} CPUs each, "
                f"but the Ray cluster has {cpus} CPUs"
            )
        options = actor_options(self.spec, self.threads, self.max_restarts)
        self._slots = options.get("max_concurrency", 1)
        self._actor = ray.remote(_Worker).options(**options)
        if self.ship_models:
            # Kept referenced for the whole run, so that restarted workers find them.
            self._shipped = {lang: self._ship(files) for lang, files in self.spec.models.items()}
        self._actors = [self._new_actor() for _ in range(count)]
        return ray

    def _new_actor(self) -> Any:
        return self._actor.remote(self.spec, self.opener)

    def _ship(self, files: ModelFiles) -> Shipped:
        """`files` packed into Ray's object store."""
        data = pack(files)
        sha256 = hashlib.sha256(data).hexdigest()
        return Shipped(sha256, self._ray.put(data), files, self.model_cache)

    def _replace(self, dead: Any, error: Exception) -> Any:
        """A new worker in place of `dead`, unless workers died too often to go on."""
        self._deaths += 1
        if self._deaths > MAX_DEATHS + 2 * len(self._actors):
            raise ModelError(
                f"decoding workers died {self._deaths} times, the last with: {error}"
            ) from None
        self._actors.remove(dead)
        self._actors.append(self._new_actor())
        return self._actors[-1]

    def close(self) -> None:
        """Let the workers go, and shut down the Ray instance this decoder started."""
        ray, self._ray = self._ray, None
        if ray is None:
            return
        for actor in self._actors:
            ray.kill(actor, no_restart=True)
        self._actors = []
        self._shipped = {}
        if self._started:
            ray.shutdown()
            self._started = False

    def decode(
        self, requests: Sequence[DecodeRequest], progress: DecodeProgress | None = None
    ) -> dict[str, Decoded]:
        """Every request decoded on the cluster's workers, batches of all languages at once."""
        if not requests:
            return {}
        progress = progress or DecodeProgress()
        ray = self._connect()
        parts: dict[str, list[Decoded]] = {request.lang: [] for request in requests}
        queue: list[_Batch] = []
        for request in requests:
            # Enough batches to keep every worker busy, none larger than asked.
            distinct = len({m.source for m in request.segments})
            share = max(MIN_BATCH, math.ceil(distinct / (len(self._actors) * self._slots)))
            batches = _batches(request, min(self.batch_segments, share))
            progress.on_start(request.lang, sum(len(b.segments) for b in batches))
            queue.extend(batches)
        idle = [actor for actor in self._actors for _ in range(self._slots)]
        running: dict[Any, tuple[_Batch, Any]] = {}
        while queue or running:
            while queue and idle:
                batch, actor = queue.pop(0), idle.pop(0)
                running[actor.decode.remote(batch, self._shipped)] = batch, actor
            [ready], _ = ray.wait(list(running), num_returns=1)
            batch, actor = running.pop(ready)
            try:
                decoded: Decoded = ray.get(ready)
            except ray.exceptions.RayActorError as error:
                # The worker died on this batch more often than Ray restarts
                # it: as likely the batch's doing as a machine's, so the batch
                # is split, and sent again to a new worker.
                if actor in self._actors:
                    idle = [other for other in idle if other is not actor]
                    idle.extend([self._replace(actor, error)] * self._slots)
                reason = f"the decoding worker died ({type(error).__name__})"
            except ray.exceptions.RayTaskError as error:
                # The worker isolates the segments the engine raises on; what
                # reaches here concerns every batch (a missing or broken
                # model, workers running other code than the driver): the run
                # stops, as it does when decoding here.
                if isinstance(error.cause, WorkflowError):
                    raise error.cause from None
                raise
            else:
                idle.append(actor)
                parts[batch.lang].append(decoded)
                progress.on_advance(batch.lang, len(batch.segments))
                continue
            if len(batch.segments) > 1:
                # Split to isolate the segment the worker dies on.
                half = len(batch.segments) // 2
                queue[:0] = [
                    replace(batch, segments=batch.segments[:half]),
                    replace(batch, segments=batch.segments[half:]),
                ]
                continue
            [segment] = batch.segments
            parts[batch.lang].append(Decoded(batch.lang, {}, {}, failed={segment.source: reason}))
            progress.on_advance(batch.lang, 1)
        return {
            request.lang: combine(request.lang, request.segments, parts[request.lang])
            for request in requests
        }


def _batches(request: DecodeRequest, size: int) -> list[_Batch]:
    """`request`'s distinct segments in batches of at most `size`, sorted by length.

    Segments whose masked text is the same go to one batch, so each masked
    text is decoded once, as it is locally.
    """
    distinct = list({m.source: m for m in request.segments}.values())
    distinct.sort(key=lambda m: (len(m.text), m.text))
    batches: list[list[MaskedText]] = [[]]
    for masked in distinct:
        current = batches[-1]
        if len(current) >= size and current[-1].text != masked.text:
            batches.append(current := [])
        current.append(masked)
    return [
        _Batch(request.lang, tuple(segments), _known(request.known, segments))
        for segments in batches
        if segments
    ]


def _known(known: Hypotheses, segments: Sequence[MaskedText]) -> Hypotheses:
    """What `known` holds for the engine inputs `segments` may need."""
    texts = {m.text for m in segments} | {m.source for m in segments}
    return {
        search: {text: hyps for text, hyps in by_text.items() if text in texts}
        for search, by_text in known.items()
    }
