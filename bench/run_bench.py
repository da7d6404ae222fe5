"""Throughput, memory and determinism of the pipeline on a batch built from samples/.

    python bench/run_bench.py                 # >= 1,000 pages, workers 1 and 2, 1,000-page document, scale 1,10
    python bench/run_bench.py --copies 1 --long-pages 0 --scale "" --quick                # a quick look
    python bench/run_bench.py [--copies N] [--workers N] [--long-pages 1000] [--scan] [--scale 1,10,100] [--repeat 3]

What it measures (all figures are printed as tables, nothing is asserted):

- batch: the text PDFs and HTML pages of samples/ copied N times into a temp folder (default: enough copies
  for >= 1,000 PDF pages); the scanned PDF (`*-scan.pdf`) only with --scan, and then reported on its own;
- the floor: plain PyMuPDF `page.get_text()` over the same PDF files;
- the pipeline end-to-end (`extract.run`, result cache off) on the PDFs alone (for the ratio to the floor) and
  on the whole batch with workers 1 and workers N: wall seconds, pages/s, peak RSS per worker, speed-up, and
  whether the CSVs written by workers 1 and N are byte-identical; then workers 1 with the result cache on, a
  first run and a re-run;
- per stage: read / hash / meta / appendix (find tables) / allocation / refs / normalize / validate / rows /
  write, timed by calling the stages directly, one document at a time, in this process (--profile N adds a
  cProfile listing of a second pass);
- a long document: the sample PDFs concatenated (PyMuPDF insert_pdf) to ~--long-pages pages, run alone;
- scaling: the batch at --scale copies, to show whether time stays linear and memory flat.

Every pipeline configuration runs in its own child process (this script with --child): its peak RSS is the
child's VmHWM (workers 1) or the largest pool worker's ru_maxrss (workers N; the coordinating process is shown
as "parent MB"). The timed part of a child excludes the interpreter start, the imports and a warm-up (one PDF and
one HTML page processed and written: lazy imports, data tables), which are shown apart. An HTML page counts as
1 page. The load average is printed: on a busy machine use --repeat 3 (the fastest of 3 runs counts).
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import io
import json
import math
import os
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import format_table, use_repo_code  # noqa: E402  (bench/ is a folder of scripts)

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
LONG_DOC_RSS_TARGET_MB = 400
STAGE_LABELS = {
    "extract_meta": "meta",
    "find_appendices": "appendix (find tables)",
    "extract_targets": "allocation",
    "extract_references": "refs",
    "normalize_targets": "normalize",
    "check_body_against_tables": "validate",
}


# --------------------------------------------------------------------------------------------- inputs


@dataclasses.dataclass
class Batch:
    folder: Path
    pdfs: list[Path] = dataclasses.field(default_factory=list)
    htmls: list[Path] = dataclasses.field(default_factory=list)
    scans: list[Path] = dataclasses.field(default_factory=list)
    pdf_pages: int = 0
    scan_pages: int = 0

    @property
    def files(self) -> list[Path]:
        """The batch proper: text PDFs and HTML pages (the scans are run apart)."""
        return sorted(self.pdfs + self.htmls)

    @property
    def pages(self) -> int:
        return self.pdf_pages + len(self.htmls)


def sample_files(samples: Path = SAMPLES) -> tuple[list[Path], list[Path], list[Path]]:
    """(text PDFs, HTML pages, scanned PDFs) of the samples folder."""
    pdfs = sorted(p for p in samples.glob("*.pdf") if not p.stem.endswith("-scan"))
    htmls = sorted(samples.glob("*.htm*"))
    scans = sorted(samples.glob("*-scan.pdf"))
    return pdfs, htmls, scans


def pdf_page_count(path: Path) -> int:
    import pymupdf

    with pymupdf.open(path) as pdf:
        return pdf.page_count


def copies_for_pages(target_pages: int, samples: Path = SAMPLES) -> int:
    pdfs, _, _ = sample_files(samples)
    per_copy = sum(pdf_page_count(p) for p in pdfs)
    return max(1, math.ceil(target_pages / per_copy)) if per_copy else 1


def _place(src: Path, dst: Path, copy_number: int | None = None) -> None:
    """The file at `dst`; a numbered copy gets a comment appended (after %%EOF, or an HTML comment), so
    its bytes differ: the pipeline reads byte-identical inputs once, which would leave nothing to time."""
    if copy_number is None:
        try:
            os.link(src, dst)  # same bytes, no copy; falls back to a copy across file systems
        except OSError:
            shutil.copy(src, dst)
        return
    trailer = f"\n% bench copy {copy_number}\n" if src.suffix == ".pdf" else f"\n<!-- bench copy {copy_number} -->\n"
    dst.write_bytes(src.read_bytes() + trailer.encode())


def build_batch(folder: Path, copies: int, scan: bool = False, samples: Path = SAMPLES) -> Batch:
    """`copies` copies of each text PDF and HTML page (and of the scans when asked) in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    pdfs, htmls, scans = sample_files(samples)
    batch = Batch(folder)
    pages = {p: pdf_page_count(p) for p in pdfs + (scans if scan else [])}
    for i in range(copies):
        for src in pdfs + htmls:
            dst = folder / f"{src.stem}__{i:04d}{src.suffix}"
            _place(src, dst, copy_number=i)
            if src in pages:
                batch.pdfs.append(dst)
                batch.pdf_pages += pages[src]
            else:
                batch.htmls.append(dst)
    if scan:  # one copy: a scan is slow (OCR) and reported on its own
        scan_dir = folder.parent / (folder.name + "-scan")
        scan_dir.mkdir(exist_ok=True)
        for src in scans:
            dst = scan_dir / src.name
            _place(src, dst)
            batch.scans.append(dst)
            batch.scan_pages += pages[src]
    return batch


def build_long_pdf(path: Path, target_pages: int, samples: Path = SAMPLES) -> int:
    """Concatenate the text PDFs of the samples (round robin) into one PDF of >= target_pages pages."""
    import pymupdf

    pdfs, _, _ = sample_files(samples)
    out = pymupdf.open()
    sources = [pymupdf.open(p) for p in pdfs]
    try:
        i = 0
        while out.page_count < target_pages:
            out.insert_pdf(sources[i % len(sources)])
            i += 1
        out.save(path, garbage=1)
        return out.page_count
    finally:
        for src in sources:
            src.close()
        out.close()


# ---------------------------------------------------------------------------------------- measurements


def _proc_status_mb(key: str) -> float | None:
    """VmHWM (peak) or VmRSS (now) of this process in MB, from /proc (Linux); None elsewhere."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _peak_rss_mb() -> float:
    """This process's peak RSS. VmHWM is per address space, so unlike ru_maxrss (which Linux carries
    over an exec) it does not include the benchmark parent that launched this child."""
    hwm = _proc_status_mb("VmHWM")
    return hwm if hwm is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _children_peak_rss_mb() -> float:
    """The largest peak RSS among this process's finished children (the pool's workers; they are forked,
    not exec'd, so their ru_maxrss is their own, inherited pages included)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux


def floor_seconds(pdfs: list[Path]) -> tuple[float, int]:
    """Seconds for plain `page.get_text()` over every page of `pdfs`, and the pages read."""
    import pymupdf

    pages = 0
    start = time.perf_counter()
    for path in pdfs:
        with pymupdf.open(path) as pdf:
            for page in pdf:
                page.get_text()
                pages += 1
    return time.perf_counter() - start, pages


def _child(config_path: str) -> int:
    """Run one configuration (see run_in_child) and print its figures as JSON on the last line."""
    started = time.perf_counter()
    config = json.loads(Path(config_path).read_text(encoding="utf-8"))
    use_repo_code()
    result: dict[str, object] = {}
    if config["task"] == "floor":
        import pymupdf  # noqa: F401  (imported before the clock starts, like the pipeline's modules)

        result["startup_s"] = time.perf_counter() - started
        runs = [floor_seconds([Path(p) for p in config["inputs"]]) for _ in range(max(1, config["repeat"]))]
        result["seconds"], result["pages"] = min(runs)
    else:
        from extract import RunSettings, run

        imported = time.perf_counter()
        result["startup_s"] = imported - started
        _warm_up([Path(p) for p in config.get("warmup", [])])
        result["warmup_s"] = time.perf_counter() - imported
        result["rss_base_mb"] = _proc_status_mb("VmRSS")
        seconds = []
        for i in range(max(1, config["repeat"])):  # the first run's output is kept, for comparisons
            out = Path(config["out"]) if i == 0 else Path(config["out"] + f"-repeat{i}")
            start = time.perf_counter()
            res = run(config["inputs"], out, _settings(RunSettings, config))
            seconds.append(time.perf_counter() - start)
            if i:
                shutil.rmtree(out, ignore_errors=True)
        result["seconds"] = min(seconds)
        result["all_seconds"] = seconds
        result["documents"] = len(res.documents)
        result["status"] = {s: res.count(s) for s in ("ok", "partial", "failed")}
        result["targets"] = res.n_targets
        result["warnings"] = sorted({w.kind for d in res.documents for w in d.warnings})
        result["from_cache"] = getattr(res, "from_cache", 0)
    result["rss_self_mb"] = _peak_rss_mb()
    result["rss_children_mb"] = _children_peak_rss_mb()
    print(json.dumps(result))
    return 0


def _settings(settings_class, config: dict):
    """RunSettings for a child: the worker count, and the result cache off unless asked for."""
    names = {f.name for f in dataclasses.fields(settings_class)}
    kwargs = {"workers": config["workers"]}
    if "use_cache" in names:
        kwargs["use_cache"] = bool(config.get("cache_dir"))
        if config.get("cache_dir") and "cache_dir" in names:
            kwargs["cache_dir"] = Path(config["cache_dir"])
    return settings_class(**kwargs)


def run_in_child(
    task: str,
    inputs: list[Path],
    workdir: Path,
    workers: int = 1,
    cache_dir: Path | None = None,
    warmup: list[Path] | None = None,
    repeat: int = 1,
) -> dict:
    """One configuration in a fresh interpreter; its figures (seconds, peak RSS, counts) as a dict.

    task "floor" (get_text over PDFs) or "pipeline" (extract.run over `inputs`, after processing the `warmup`
    files untimed). The pipeline's result cache is off unless `cache_dir` is given (then it is used).
    With `repeat` > 1 the timed part runs that many times in the same process and the fastest run counts.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    config = {
        "task": task,
        "inputs": [str(p) for p in inputs],
        "out": str(workdir / "out"),
        "workers": workers,
        "cache_dir": str(cache_dir) if cache_dir else "",
        "warmup": [str(p) for p in warmup or []],
        "repeat": repeat,
    }
    fd, config_path = tempfile.mkstemp(suffix=".json", dir=workdir)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(config, fh)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", config_path],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child failed ({task}, workers={workers}):\n{proc.stderr[-4000:]}")
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    figures["process_s"] = time.perf_counter() - started
    timed = sum(figures.get("all_seconds", [figures["seconds"]]))
    figures["overhead_s"] = figures["process_s"] - timed - figures.get("warmup_s", 0.0)
    # A worker's peak is its own process (workers 1) or the largest pool worker (workers > 1).
    figures["rss_worker_mb"] = figures["rss_self_mb"] if workers <= 1 else figures["rss_children_mb"]
    figures["workers"] = workers
    return figures


def _warm_up(files: list[Path]) -> None:
    """Process and write a document or two, untimed: lazy imports (stages, pyarrow) and data tables load."""
    from extract.pipeline import assign_doc_ids, process_document
    from output.tables import document_tables
    from output.writers import write_tables

    docs = [process_document(p, p.name) for p in files]
    assign_doc_ids(docs)
    with tempfile.TemporaryDirectory(prefix="bench-warmup-") as out:
        write_tables(Path(out), document_tables(docs))


def _warmup_files(samples: Path = SAMPLES) -> list[Path]:
    """The smallest text PDF and the first HTML page of the samples."""
    pdfs, htmls, _ = sample_files(samples)
    small = sorted(pdfs, key=lambda p: p.stat().st_size)[:1]
    return small + htmls[:1]


def csv_digests(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.csv"))}


def stage_times(
    files: list[Path], samples: Path = SAMPLES, profile: cProfile.Profile | None = None
) -> tuple[dict[str, float], int]:
    """Seconds per stage over `files` (read, hash, each stage, write), called directly in this process.

    One warm-up document runs first, untimed. Returns the per-stage seconds (in pipeline order) and the pages.
    """
    use_repo_code()
    from extract.cache import file_sha256
    from extract.pipeline import _stages, assign_doc_ids
    from extract.readers import read_document
    from output.tables import document_tables
    from output.writers import write_tables

    _warm_up(_warmup_files(samples))
    times: dict[str, float] = {"read (pdf)": 0.0, "read (html)": 0.0, "hash (sha256)": 0.0}
    for name in STAGE_LABELS.values():
        times[name] = 0.0
    docs = []
    pages = 0
    if profile:
        profile.enable()
    for path in files:
        t0 = time.perf_counter()
        file_sha256(path)  # as process_document does, for doc ids and the cache
        t1 = time.perf_counter()
        doc = read_document(str(path), path.name)
        t2 = time.perf_counter()
        times["hash (sha256)"] += t1 - t0
        key = f"read ({doc.format or '?'})"
        times[key] = times.get(key, 0.0) + t2 - t1
        pages += doc.n_pages if doc.format == "pdf" else 1
        for _, stage in _stages():
            label = STAGE_LABELS.get(stage.__name__, stage.__name__)
            t = time.perf_counter()
            doc = stage(doc)
            times[label] = times.get(label, 0.0) + time.perf_counter() - t
        docs.append(doc)
    with tempfile.TemporaryDirectory(prefix="bench-write-") as out:
        t = time.perf_counter()
        assign_doc_ids(docs)
        rows = document_tables(docs)
        t_rows = time.perf_counter()
        write_tables(Path(out), rows)
        t_end = time.perf_counter()
    if profile:
        profile.disable()
    times["rows (document_tables)"] = t_rows - t
    times["write (csv, parquet)"] = t_end - t_rows
    return times, pages


# ------------------------------------------------------------------------------------------------ print


THROUGHPUT_COLUMNS = [
    "configuration",
    "files",
    "pages",
    "wall s",
    "pages/s",
    "x floor",
    "peak RSS/worker MB",
    "parent MB",
    "speed-up",
    "identical CSV",
]


STAGE_COLUMNS = ["stage", "seconds", "%", "ms/page"]
LONG_COLUMNS = ["document", "pages", "wall s", "pages/s", "x floor", "RSS after warm-up MB", "peak RSS MB",
                "target", "status", "targets"]
SCALE_COLUMNS = ["copies", "files", "pages", "wall s", "pages/s", "ms/page", "RSS after warm-up MB", "peak RSS MB",
                 "growth MB"]


def _throughput_row(name: str, files: int, pages: int, fig: dict, floor_pps: float | None, **extra) -> list:
    pps = pages / fig["seconds"] if fig["seconds"] else None
    ratio = floor_pps / pps if floor_pps and pps else None
    parent = fig["rss_self_mb"] if fig["workers"] > 1 else None
    return [name, files, pages, fig["seconds"], pps, ratio, fig["rss_worker_mb"], parent,
            extra.get("speedup"), extra.get("identical")]


def _load_note() -> str:
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return ""
    busy = "  <- the machine is busy: figures are noisy" if one > 0.5 else ""
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min){busy}"


def throughput(
    batch: Batch,
    work: Path,
    workers: int,
    samples: Path,
    pdf_row: bool = True,
    cache_rows: bool = True,
    repeat: int = 1,
) -> tuple[str, dict]:
    """The floor and the pipeline at workers 1 and N (plus PDFs alone, the cache, the scans); the printed table."""
    warm = _warmup_files(samples)
    floor = run_in_child("floor", batch.pdfs, work / "floor", repeat=repeat)
    floor_pps = floor["pages"] / floor["seconds"] if floor["seconds"] else None
    one = run_in_child("pipeline", [batch.folder], work / "w1", warmup=warm, repeat=repeat)
    many = run_in_child("pipeline", [batch.folder], work / f"w{workers}", workers=workers, warmup=warm, repeat=repeat)
    a, b = csv_digests(work / "w1" / "out"), csv_digests(work / f"w{workers}" / "out")
    differing = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    identical = "yes" if a and not differing else "no: " + ",".join(differing)
    rows = [
        ["floor: PyMuPDF get_text (PDFs)", len(batch.pdfs), floor["pages"], floor["seconds"], floor_pps, 1.0,
         floor["rss_self_mb"], None, None, None],
        _throughput_row("pipeline w1 (PDF + HTML)", len(batch.files), batch.pages, one, None),
        _throughput_row(f"pipeline w{workers} (PDF + HTML)", len(batch.files), batch.pages, many, None,
                        speedup=one["seconds"] / many["seconds"], identical=identical),
    ]
    if pdf_row:
        pdf_only = run_in_child("pipeline", batch.pdfs, work / "pdf-w1", warmup=warm, repeat=repeat)
        rows.insert(1, _throughput_row("pipeline w1 (PDFs only)", len(batch.pdfs), batch.pdf_pages, pdf_only,
                                       floor_pps))
    if cache_rows:
        cache = work / "cache"
        cold = run_in_child("pipeline", [batch.folder], work / "cache-cold", cache_dir=cache, warmup=warm)
        hot = run_in_child("pipeline", [batch.folder], work / "cache-warm", cache_dir=cache, warmup=warm)
        rows.append(_throughput_row("pipeline w1, cache on: first run", len(batch.files), batch.pages, cold,
                                    None, speedup=one["seconds"] / cold["seconds"]))
        rows.append(_throughput_row(f"pipeline w1, cache on: re-run ({hot['from_cache']} cached)",
                                    len(batch.files), batch.pages, hot, None, speedup=one["seconds"] / hot["seconds"]))
    notes = [f"documents: w1 {one['status']}, w{workers} {many['status']}; targets w1 {one['targets']}, "
             f"w{workers} {many['targets']}"]
    if cache_rows and hot["from_cache"] < len(batch.files):
        notes.append(f"cache re-run: only {hot['from_cache']} of {len(batch.files)} documents came from the cache "
                     "(its key hashes the project's source: was the code edited during the benchmark?)")
    if batch.scans:
        scan = run_in_child("pipeline", batch.scans, work / "scan", warmup=warm)
        rows.append(_throughput_row("pipeline w1 (scanned PDF, apart)", len(batch.scans), batch.scan_pages,
                                    scan, None))
        notes.append(f"scan: {scan['status']}, targets {scan['targets']}, warnings {', '.join(scan['warnings'])}")
    notes.append(f"not timed, per process: start + imports + exit {one['overhead_s']:.2f} s, warm-up (a PDF and an "
                 f"HTML page: lazy imports, data tables, pyarrow) {one['warmup_s']:.2f} s; RSS after warm-up "
                 f"{one['rss_base_mb']:.0f} MB (the floor's process: {floor['rss_self_mb']:.0f} MB peak)")
    text = "\n".join(["Throughput (x floor = pipeline seconds per page / get_text seconds per page; "
                      "speed-up = w1 seconds / this row's seconds):",
                      format_table(THROUGHPUT_COLUMNS, rows)] + notes)
    return text, {"one": one, "many": many, "identical": identical, "rows": rows}


def stages_report(files: list[Path], samples: Path, profile_top: int = 0) -> tuple[str, dict[str, float]]:
    times, pages = stage_times(files, samples)
    total = sum(times.values())
    rows = [[name, s, 100 * s / total if total else 0.0, 1000 * s / pages if pages else None]
            for name, s in times.items()]
    rows.append(["total", total, 100.0, 1000 * total / pages if pages else None])
    text = (f"Where the time goes (stages called directly, one process, {len(files)} files, {pages} pages):\n"
            + format_table(STAGE_COLUMNS, rows))
    if profile_top:
        profile = cProfile.Profile()
        stage_times(files, samples, profile)
        buf = io.StringIO()
        pstats.Stats(profile, stream=buf).sort_stats("cumulative").print_stats(profile_top)
        buf.write("\n")
        pstats.Stats(profile, stream=buf).sort_stats("tottime").print_stats(profile_top)
        text += "\n\ncProfile of a second stage pass (cumulative, then own time):\n" + buf.getvalue().rstrip()
    return text, times


def long_document(work: Path, pages: int, samples: Path, repeat: int = 1) -> str:
    long_pdf = work / "long" / "long-document.pdf"
    long_pdf.parent.mkdir(parents=True, exist_ok=True)
    n = build_long_pdf(long_pdf, pages, samples)
    fl = run_in_child("floor", [long_pdf], work / "long-floor", repeat=repeat)
    fig = run_in_child("pipeline", [long_pdf], work / "long-run", warmup=_warmup_files(samples), repeat=repeat)
    verdict = "ok" if fig["rss_worker_mb"] < LONG_DOC_RSS_TARGET_MB else "OVER"
    row = [long_pdf.name, n, fig["seconds"], n / fig["seconds"], fig["seconds"] / fl["seconds"],
           fig["rss_base_mb"], fig["rss_worker_mb"], verdict, ",".join(k for k, v in fig["status"].items() if v),
           fig["targets"]]
    return (f"Long document (the sample PDFs concatenated with insert_pdf, run alone, workers 1; peak RSS target "
            f"< {LONG_DOC_RSS_TARGET_MB} MB):\n" + format_table(LONG_COLUMNS, [row]))


def scaling(work: Path, multiples: list[int], samples: Path) -> str:
    rows = []
    for m in multiples:
        b = build_batch(work / f"scale-{m}", m, samples=samples)
        fig = run_in_child("pipeline", [b.folder], work / f"scale-{m}-run", warmup=_warmup_files(samples))
        rows.append([m, len(b.files), b.pages, fig["seconds"], b.pages / fig["seconds"],
                     1000 * fig["seconds"] / b.pages, fig["rss_base_mb"], fig["rss_worker_mb"],
                     fig["rss_worker_mb"] - fig["rss_base_mb"]])
        shutil.rmtree(work / f"scale-{m}", ignore_errors=True)
        shutil.rmtree(work / f"scale-{m}-run", ignore_errors=True)
    return "Scaling (PDF + HTML batch, workers 1, cache off):\n" + format_table(SCALE_COLUMNS, rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bench/run_bench.py", description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog="\n".join(__doc__.splitlines()[2:5]),
    )
    parser.add_argument("--copies", type=int, default=0, help="copies of each sample (default: enough for "
                        "--pages PDF pages)")
    parser.add_argument("--pages", type=int, default=1000, help="PDF pages the default batch reaches (1,000)")
    parser.add_argument("--workers", type=int, default=2, help="the N of workers 1 vs N, at least 2 (default 2)")
    parser.add_argument("--long-pages", type=int, default=1000, help="pages of the long document (0: skip it)")
    parser.add_argument("--scan", action="store_true", help="also run the scanned PDF(s), reported apart")
    parser.add_argument("--scale", default="1,10", help="copies for the scaling table, e.g. 1,10,100 ('' to skip)")
    parser.add_argument("--no-cache-rows", action="store_true", help="skip the result-cache rows")
    parser.add_argument("--repeat", type=int, default=1, metavar="R",
                        help="time the floor, workers 1/N and the long document R times each; the fastest counts")
    parser.add_argument("--quick", action="store_true", help="skip the PDFs-only and the cache rows")
    parser.add_argument("--no-stages", action="store_true", help="skip the per-stage timing")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="also cProfile a stage pass and print the top N functions")
    parser.add_argument("--samples", type=Path, default=SAMPLES, help="folder of sample documents (samples/)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(args.child)
    use_repo_code()
    samples = args.samples.resolve()
    pdfs, htmls, _ = sample_files(samples)
    if not pdfs and not htmls:
        print(f"error: no text PDF or HTML page in {samples}", file=sys.stderr)
        return 2
    copies = args.copies or copies_for_pages(args.pages, samples)
    workers = max(2, args.workers)
    with tempfile.TemporaryDirectory(prefix="p8-bench-") as tmp:
        work = Path(tmp)
        batch = build_batch(work / "batch", copies, scan=args.scan, samples=samples)
        print(f"batch: {copies} copies of {len(pdfs)} text PDFs and {len(htmls)} HTML pages = {len(batch.files)} "
              f"files, {batch.pdf_pages} PDF pages (+{len(batch.htmls)} HTML pages, 1 page each); "
              f"{os.cpu_count()} cores; python {sys.version.split()[0]}; {_load_note()}")
        sections = [throughput(batch, work, workers, samples, pdf_row=not args.quick,
                               cache_rows=not (args.quick or args.no_cache_rows), repeat=args.repeat)[0]]
        if not args.no_stages:
            sections.append(stages_report(batch.files, samples, args.profile)[0])
        if args.long_pages > 0 and pdfs:
            sections.append(long_document(work, args.long_pages, samples, args.repeat))
        multiples = [int(m) for m in args.scale.split(",") if m.strip()]
        if multiples:
            sections.append(scaling(work, multiples, samples))
        for section in sections:
            print("\n" + section)
        print(f"\nat the end: {_load_note()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
