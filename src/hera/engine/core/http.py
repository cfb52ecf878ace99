"""HTTP templates: one request from the engine (no pod), Argo's success rules, the body as `result`."""

from __future__ import annotations

import ssl
import urllib.error
import urllib.request
from typing import Any

from hera.engine.core.execute import TemplateCtl
from hera.engine.core.render import ExpressionError, Scope, eval_expr


class HttpCtl(TemplateCtl):
    """Runs an http template as node `node` (the request runs on a worker thread)."""

    def start(self) -> None:
        self.run.mark(self.node, "Running")
        self.run.sched.work(self._request, self._done)

    def _headers(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        sched = self.run.sched
        for h in (self.tmpl.get("http") or {}).get("headers") or []:
            if h.get("value") is not None:
                headers[h["name"]] = str(h["value"])
            elif ((h.get("valueFrom") or {}).get("secretKeyRef")) is not None:
                ref = h["valueFrom"]["secretKeyRef"]
                data = sched.secret_data(sched.get_secret(self.run.namespace, ref.get("name", "")) or {})
                if ref.get("key") not in data:
                    raise ValueError(f'secret "{ref.get("name")}" key "{ref.get("key")}" not found')
                headers[h["name"]] = data[ref["key"]]
        return headers

    def _request(self) -> tuple[int, str, dict[str, list[str]], dict[str, Any]]:
        http = self.tmpl.get("http") or {}
        url = str(http.get("url", ""))
        method = str(http.get("method") or "GET").upper()
        body = http.get("body")
        data = str(body).encode() if body is not None else None
        headers = self._headers()
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        context = None
        if http.get("insecureSkipVerify"):
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        timeout = float(http.get("timeoutSeconds") or 30)
        req_info = {"method": method, "url": url, "body": body or "", "headers": {k: [v] for k, v in headers.items()}}
        try:
            with urllib.request.urlopen(request, timeout=timeout, context=context) as resp:
                status = resp.status
                text = resp.read().decode(errors="replace")
                rheaders = {k: resp.headers.get_all(k) or [] for k in resp.headers}
        except urllib.error.HTTPError as e:
            status = e.code
            text = e.read().decode(errors="replace") if e.fp else ""
            rheaders = {k: e.headers.get_all(k) or [] for k in (e.headers or {})}
        return status, text, rheaders, req_info

    def _done(self, res: Any) -> None:
        if isinstance(res, BaseException):
            self.finisher.finish("Failed", f"http request failed: {res}")
            return
        status, text, rheaders, req_info = res
        outputs = {"result": text}
        cond = (self.tmpl.get("http") or {}).get("successCondition")
        if cond:
            env = Scope({"request": req_info, "response": {"statusCode": status, "body": text, "headers": rheaders}})
            try:
                ok = bool(eval_expr(str(cond), env))
            except ExpressionError as e:
                self.finisher.finish("Error", f"successCondition failed: {e}", outputs)
                return
            if not ok:
                self.finisher.finish("Failed", f"successCondition '{cond}' evaluated false", outputs)
                return
        elif not 200 <= status < 300:
            self.finisher.finish("Failed", f"received non-2xx response code: {status}", outputs)
            return
        self.finisher.finish("Succeeded", "", outputs)
