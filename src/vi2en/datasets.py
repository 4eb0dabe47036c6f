"""Datasets of articles: JSONL or Parquet files with an id and a text column, translated into
shards of one row per document, plus a manifest. Runs on any backend (`vi2en.raybackend` runs it
on Ray actors); nothing here imports Ray.

An output folder holds:

- `shards/part-<16 hex>.parquet|.jsonl`: one row per document: `id`, `source` (the row's text),
  `translation` (the English article, byte for byte what `vi2en translate --format txt` writes
  for the same text in a file), `segments` (spans into `source`, types, translations, flags,
  word links with `--align`), `signature` (the `TranslationSignature`) and `error` (null, or
  the one-line reason the row could not be translated; the row is kept, the job goes on). In
  Parquet, `segments` and `signature` are JSON text; in JSONL they are nested.
- `shards/.part-<16 hex>.<ext>.vi2en`: the shard's stamp (settings, ids, counts), written after
  the shard, so a shard without one was cut short and is redone.
- `manifest.json`: the inputs, fields, settings and every shard with its rows and errors,
  written when the run ends.

Resume is by shard: a rerun keeps the shards whose stamp matches its settings, skips the ids
they hold and writes the other rows into new shards; shards made with other settings, and cut
ones, are removed first. A shard's name is the hash of its ids, so a batch that Ray retries
after an actor died overwrites the same file instead of writing its rows twice. Ids name rows:
an edited row under a finished id is not translated again (`--force` redoes everything).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vi2en.doc import Document
from vi2en.errors import InputError, Vi2enError

if TYPE_CHECKING:
    from vi2en.translator import Translator

DATASET_KINDS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
SHARD_FORMATS = ("parquet", "jsonl")
SHARDS = "shards"
MANIFEST = "manifest.json"
MANIFEST_FORMAT = "vi2en-dataset"
MANIFEST_VERSION = 1
STAMP_SUFFIX = ".vi2en"
COLUMNS = ("id", "source", "translation", "segments", "signature", "error")


@dataclass(frozen=True)
class DatasetSpec:
    """What to read: the input files (all of one kind) and which fields hold the id and text."""

    inputs: tuple[str, ...]
    kind: str  # "jsonl" or "parquet"
    id_field: str = "id"
    text_field: str = "text"
    shard_format: str = "parquet"


@dataclass(frozen=True)
class RawRow:
    """One input row before translation: its id and text, or why it cannot be read."""

    id: str
    text: str | None
    error: str | None = None


@dataclass(frozen=True)
class ShardInfo:
    """A finished shard: its file name under `shards/`, rows and error rows."""

    file: str
    rows: int
    errors: int
    ids: tuple[str, ...] = ()


def dataset_kind(path: str | Path) -> str | None:
    """"jsonl" or "parquet" for a dataset file name, None for anything else."""
    return DATASET_KINDS.get(Path(path).suffix.lower())


def is_dataset(inputs: Sequence[str]) -> bool:
    """Whether `vi2en translate` was given dataset files (`.jsonl`, `.ndjson`, `.parquet`).

    Raises:
        InputError: datasets mixed with articles or folders.
    """
    kinds = [dataset_kind(name) for name in inputs]
    if not any(kinds):
        return False
    if not all(kinds):
        raise InputError("give either dataset files (.jsonl, .parquet) or articles, not both")
    return True


def check_dataset(
    inputs: Sequence[str], *, id_field: str, text_field: str, shard_format: str | None = None
) -> DatasetSpec:
    """Check dataset inputs before any work: they exist, are of one kind, and have the fields.

    Parquet files are checked by their schema, JSONL files by their first record.

    Raises:
        InputError: a missing file, mixed kinds, a missing field, a malformed first record.
    """
    kinds = {dataset_kind(name) for name in inputs}
    if len(kinds) != 1 or None in kinds:
        raise InputError("dataset inputs must all be .jsonl or all be .parquet files")
    kind = kinds.pop()
    assert kind is not None
    if id_field == text_field:
        raise InputError(f"--id-field and --text-field are both {id_field!r}")
    for name in inputs:
        path = Path(name)
        if not path.is_file():
            raise InputError(f"no such dataset file: {name}")
        fields = _parquet_fields(path) if kind == "parquet" else _jsonl_fields(path)
        for option, field in (("--id-field", id_field), ("--text-field", text_field)):
            if fields is not None and field not in fields:
                shown = ", ".join(sorted(fields)[:12]) or "none"
                raise InputError(f"{name} has no field {field!r} (fields: {shown}); set {option}")
    return DatasetSpec(tuple(inputs), kind, id_field, text_field, shard_format or kind)


def _parquet_fields(path: Path) -> set[str]:
    import pyarrow.parquet as pq

    try:
        return set(pq.read_schema(path).names)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError...: all mean "not Parquet"
        raise InputError(f"{path} is not a readable Parquet file: {one_line(exc)}") from None


def _jsonl_fields(path: Path) -> set[str] | None:
    """The fields of the first record (None: the file has no records at all)."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                raise InputError(f"{path}: line {number} is not JSON: {exc}") from None
            if not isinstance(record, dict):
                raise InputError(f"{path}: line {number} is not a JSON object")
            return set(record)
    return None


def count_rows(spec: DatasetSpec) -> int:
    """Rows in the inputs (Parquet: from the file footers; JSONL: non-blank lines)."""
    if spec.kind == "parquet":
        import pyarrow.parquet as pq

        return sum(pq.ParquetFile(name).metadata.num_rows for name in spec.inputs)
    total = 0
    for name in spec.inputs:
        with open(name, "rb") as handle:
            total += sum(1 for line in handle if line.strip())
    return total


def rows_from_jsonl(lines: Iterable[str], *, id_field: str, text_field: str) -> list[RawRow]:
    """JSONL lines to rows; a malformed line is an error row (its id: `malformed:` + hash)."""
    rows = []
    for line in lines:
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            rows.append(RawRow(_malformed_id(line), None, f"not a JSON record: {exc}"))
            continue
        if not isinstance(record, dict):
            rows.append(RawRow(_malformed_id(line), None, "not a JSON object"))
            continue
        rows.append(_raw_row(record.get(id_field), record.get(text_field), id_field, text_field,
                             line))  # fmt: skip
    return rows


def rows_from_columns(
    ids: Sequence[Any], texts: Sequence[Any], *, id_field: str, text_field: str
) -> list[RawRow]:
    """Column values (Parquet) to rows."""
    return [
        _raw_row(row_id, text, id_field, text_field, f"{row_id!r}\0{text!r}")
        for row_id, text in zip(ids, texts, strict=True)
    ]


def _raw_row(row_id: Any, text: Any, id_field: str, text_field: str, raw: str) -> RawRow:
    if row_id is None or isinstance(row_id, (dict, list, bytes)):
        return RawRow(_malformed_id(raw), None, f"no usable {id_field!r} (ids are strings or "
                      "numbers)")  # fmt: skip
    key = str(row_id)
    if text is None:
        return RawRow(key, None, f"no {text_field!r}")
    if not isinstance(text, str):
        return RawRow(key, None, f"{text_field!r} is {type(text).__name__}, not text")
    return RawRow(key, text)


def _malformed_id(raw: str) -> str:
    return "malformed:" + hashlib.sha256(raw.encode("utf-8", "replace")).hexdigest()[:16]


def document_from_text(text: str, *, name: str) -> Document:
    """A dataset row's text as a `Document`, through the same ingest as a file's bytes
    (`vi2en.text.files.load_text`: decoding checks, cleaning, whitespace-only refused).

    Raises:
        InputError: the text is empty, only whitespace, binary-looking or not Vietnamese text.
    """
    from vi2en.text.clean import clean_text
    from vi2en.text.decode import decode_bytes

    decoded, changes = decode_bytes(text.encode("utf-8", "surrogatepass"), name=name)
    cleaned, cleaning = clean_text(decoded)
    if not cleaned.strip():
        raise InputError(f"{name} has no text (only whitespace)")
    return Document(text=cleaned, changes=changes + cleaning, source=name)


def translate_rows(
    translator: Translator, rows: Sequence[RawRow], *, chunk_segments: int = 2000
) -> list[dict[str, Any]]:
    """Translate rows into output records (`COLUMNS`), in row order.

    The same per-document path as a folder run (`vi2en.filejobs.translate_files`): ingest,
    `segment_document`, `Translator.translate_documents` on chunks of about `chunk_segments`
    segments, the txt renderer. A row that cannot be read or translated becomes an error record
    with the one-line reason; the others are unaffected.
    """
    from vi2en.formats import get_renderer
    from vi2en.segment import segment_document

    render = get_renderer("txt")
    records: list[dict[str, Any]] = []
    pending: list[tuple[int, Document]] = []

    def flush() -> None:
        docs = [doc for _, doc in pending]
        try:
            translator.translate_documents(docs)
            done = [(i, doc, None) for i, doc in pending]
        except Exception as exc:  # a bad document must not fail its batch: find it
            if len(pending) > 1:  # each alone: only the failing ones become error rows
                done = [(i, doc, _translate_alone(translator, doc)) for i, doc in pending]
            else:
                done = [(pending[0][0], pending[0][1], one_line(exc))]
        for i, doc, error in done:
            records[i] = _error_record(records[i]["id"], records[i]["source"], error) if error \
                else _record(records[i]["id"], records[i]["source"], doc, render(doc))
        pending.clear()

    for row in rows:
        records.append(_error_record(row.id, row.text, row.error))
        if row.error is not None:
            continue
        try:
            doc = document_from_text(row.text or "", name=f"row {row.id}")
            segment_document(doc)
        except Exception as exc:
            records[-1] = _error_record(row.id, row.text, one_line(exc))
            continue
        pending.append((len(records) - 1, doc))
        if sum(len(d.segments) for _, d in pending) >= chunk_segments:
            flush()
    if pending:
        flush()
    return records


def _translate_alone(translator: Translator, doc: Document) -> str | None:
    try:
        translator.translate_documents([doc])
    except Exception as exc:
        return one_line(exc)
    return None


def _record(row_id: str, source: str | None, doc: Document, translation: str) -> dict[str, Any]:
    data = doc.to_dict()
    return {
        "id": row_id,
        "source": source,
        "translation": translation,
        "segments": data["segments"],
        "signature": data["signature"],
        "error": None,
    }


def _error_record(row_id: str, source: str | None, error: str | None) -> dict[str, Any]:
    return dict(id=row_id, source=source, translation=None, segments=None, signature=None,
                error=error)  # fmt: skip


def one_line(exc: BaseException) -> str:
    """An exception as one line: the message of a `Vi2enError`, else its type and message."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if isinstance(exc, Vi2enError) else f"{type(exc).__name__}: {text}"


# --- shards on disk ---


def shard_name(ids: Sequence[str], shard_format: str) -> str:
    """`part-<16 hex>.<ext>`: the hash of the shard's ids, so the same rows give the same file."""
    digest = hashlib.sha256("\0".join(ids).encode("utf-8", "surrogatepass")).hexdigest()
    return f"part-{digest[:16]}.{shard_format}"


def stamp_path(shard: Path) -> Path:
    return shard.with_name(f".{shard.name}{STAMP_SUFFIX}")


def encode_shard(records: Sequence[dict[str, Any]], shard_format: str) -> bytes:
    """Records as a Parquet file (segments and signature as JSON text) or JSONL."""
    if shard_format == "jsonl":
        lines = (json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        return "".join(lines).encode("utf-8", "surrogatepass")
    import pyarrow as pa
    import pyarrow.parquet as pq

    def as_json(value: Any) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False)

    nested = ("segments", "signature")
    columns = {
        column: [as_json(r[column]) if column in nested else r[column] for r in records]
        for column in COLUMNS
    }
    table = pa.table({name: pa.array(values, type=pa.string()) for name, values in columns.items()})
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def read_shard(path: Path) -> list[dict[str, Any]]:
    """A shard's records, with `segments` and `signature` decoded in both formats."""
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
    import pyarrow.parquet as pq

    records = pq.read_table(path).to_pylist()
    for record in records:
        for column in ("segments", "signature"):
            if record[column] is not None:
                record[column] = json.loads(record[column])
    return records


def write_shard(
    out_dir: Path, records: Sequence[dict[str, Any]], *, shard_format: str, stamp: str
) -> ShardInfo:
    """Write one shard, then its stamp (both atomically); the stamp marks it finished."""
    from vi2en.text.files import atomic_write

    ids = [r["id"] for r in records]
    path = out_dir / SHARDS / shard_name(ids, shard_format)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, encode_shard(records, shard_format))
    errors = sum(r["error"] is not None for r in records)
    info = {"stamp": stamp, "rows": len(records), "errors": errors, "ids": ids}
    atomic_write(stamp_path(path), json.dumps(info, ensure_ascii=False))
    return ShardInfo(path.name, len(records), errors, tuple(ids))


def finished_shards(out_dir: Path, stamp: str, *, force: bool = False) -> list[ShardInfo]:
    """The shards a rerun keeps (made with `stamp`), after removing the others.

    Removed: shards made with other settings (or all, with `force`), shards without a stamp
    (cut short by a kill), stamps without a shard, and temp files a killed writer left.
    """
    from vi2en.text.files import remove_stale_temps

    folder = out_dir / SHARDS
    if not folder.is_dir():
        return []
    # `.NAME.XXXXXXXX.tmp` -> NAME: the targets whose abandoned temp files may be removed
    temps = [p.name for p in folder.glob(".*.tmp")]
    remove_stale_temps(folder / name[1:-13] for name in temps if len(name) > 14)
    kept = []
    for path in sorted(folder.glob("part-*")):
        if path.suffix.lstrip(".") not in SHARD_FORMATS:
            continue
        info = _read_stamp(stamp_path(path))
        if force or info is None or info.get("stamp") != stamp:
            stamp_path(path).unlink(missing_ok=True)
            path.unlink()
            continue
        ids = tuple(str(i) for i in info.get("ids", ()))
        kept.append(ShardInfo(path.name, int(info.get("rows", len(ids))),
                              int(info.get("errors", 0)), ids))  # fmt: skip
    for orphan in folder.glob(f".part-*{STAMP_SUFFIX}"):
        if not orphan.with_name(orphan.name[1 : -len(STAMP_SUFFIX)]).exists():
            orphan.unlink()
    return kept


def _read_stamp(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def dataset_stamp(run_stamp: str, spec: DatasetSpec) -> str:
    """What a shard depends on: the translator's run stamp, the fields and the shard format."""
    settings = {"run": json.loads(run_stamp), "id_field": spec.id_field,
                "text_field": spec.text_field, "shard_format": spec.shard_format}  # fmt: skip
    return json.dumps(settings, sort_keys=True, ensure_ascii=False)


def write_manifest(
    out_dir: Path, spec: DatasetSpec, stamp: str, shards: Sequence[ShardInfo]
) -> Path:
    """`manifest.json`: inputs, fields, settings, shards (sorted by name) and totals."""
    from vi2en.text.files import atomic_write

    ordered = sorted(shards, key=lambda s: s.file)
    manifest = {
        "format": MANIFEST_FORMAT,
        "version": MANIFEST_VERSION,
        "inputs": list(spec.inputs),
        "id_field": spec.id_field,
        "text_field": spec.text_field,
        "shard_format": spec.shard_format,
        "settings": json.loads(stamp),
        "rows": sum(s.rows for s in ordered),
        "errors": sum(s.errors for s in ordered),
        "shards": [
            {"file": f"{SHARDS}/{s.file}", "rows": s.rows, "errors": s.errors} for s in ordered
        ],
    }
    path = out_dir / MANIFEST
    out_dir.mkdir(parents=True, exist_ok=True)
    atomic_write(path, json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    return path


__all__ = [
    "COLUMNS",
    "DatasetSpec",
    "RawRow",
    "ShardInfo",
    "check_dataset",
    "count_rows",
    "dataset_kind",
    "dataset_stamp",
    "document_from_text",
    "encode_shard",
    "finished_shards",
    "is_dataset",
    "one_line",
    "read_shard",
    "rows_from_columns",
    "rows_from_jsonl",
    "translate_rows",
    "write_manifest",
    "write_shard",
]
