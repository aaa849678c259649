"""One JSON file collects every benchmark's figures; each benchmark replaces only its keys."""

import json
import os
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def results_path() -> Path:
    return Path(os.environ.get("BENCH_OUT", ROOT / "bench" / "results.json"))


def merge_results(**sections: Any) -> Path:
    out = results_path()
    merged = json.loads(out.read_text()) if out.exists() else {}
    merged.update(sections)
    out.write_text(json.dumps(merged, indent=2) + "\n")
    return out
