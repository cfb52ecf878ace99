"""Data templates: list the keys of an artifact location in the local repository and transform the list with
expr-lang expressions; `result` is the final JSON list."""

from __future__ import annotations

import json
import os
from typing import Any

from hera.engine.artifacts import ArtifactError, repo_path
from hera.engine.core.execute import TemplateCtl
from hera.engine.core.render import ExpressionError, Scope, eval_expr


class DataCtl(TemplateCtl):
    """Runs a data template as node `node`."""

    def start(self) -> None:
        data = self.tmpl.get("data") or {}
        source = ((data.get("source") or {}).get("artifactPaths")) or {}
        try:
            keys = self._keys(source)
        except ArtifactError as e:
            self.finisher.finish("Error", str(e))
            return
        value: Any = keys
        for step in data.get("transformation") or []:
            expr = step.get("expression")
            if not expr:
                continue
            try:
                value = eval_expr(str(expr), Scope({"data": value}))
            except ExpressionError as e:
                self.finisher.finish("Error", f"transformation failed: {e}")
                return
        self.finisher.finish("Succeeded", "", {"result": json.dumps(value, separators=(",", ":"))})

    def _keys(self, source: dict[str, Any]) -> list[str]:
        if source.get("s3") is None:
            raise ArtifactError("data templates read s3 (local repository) artifact paths only")
        root = self.run.sched.artifact_root
        base = repo_path(root, {"name": source.get("name", "data"), "s3": source["s3"]})
        if not base.exists():
            return []
        if base.is_file():
            return [source["s3"].get("key", "")]
        prefix = (source["s3"].get("key") or "").strip("/")
        out = []
        for dirpath, _dirs, files in os.walk(base):
            for f in sorted(files):
                rel = os.path.relpath(os.path.join(dirpath, f), base)
                out.append(f"{prefix}/{rel}" if prefix else rel)
        return sorted(out)
