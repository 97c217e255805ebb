"""Export the wire records as JSON Schema files (``python -m workers.schemas --write``)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from workers.records import SCHEMA_VERSION, WIRE_RECORDS

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"


def schema_path(name: str, directory: Path = SCHEMA_DIR) -> Path:
    return directory / f"{name}.v{SCHEMA_VERSION}.json"


def render(name: str) -> str:
    schema = WIRE_RECORDS[name].model_json_schema(mode="serialization")
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://lagebild.example/schemas/{name}.v{SCHEMA_VERSION}.json",
        **schema,
    }
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite the files in schemas/")
    args = parser.parse_args()
    stale = []
    for name in WIRE_RECORDS:
        path, text = schema_path(name), render(name)
        if args.write:
            path.write_text(text, encoding="utf-8")
        elif not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(path.name)
    if stale:
        raise SystemExit(f"schemas out of date: {', '.join(stale)} (run with --write)")


if __name__ == "__main__":
    main()
