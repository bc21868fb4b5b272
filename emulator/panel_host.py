"""The demo's seller view: the shipped web resources served against the emulator, as a form would host them.

``PanelHost`` is a small loopback WSGI app that serves

- ``/WebResources/<name>``: the files of ``solution_assets/WebResources/`` unchanged (the same names and
  relative URLs as in Dynamics);
- ``/record/<table>/<id>``: a record page hosting the seller panel in an iframe, as a form hosts a web
  resource, with ``xrm-shim.js`` as the form's ``Xrm`` (``?lang=fr`` shows it as a French user);
- ``/``: the list views sellers sort by (open leads by score, open opportunities by relationship health,
  contacts by last activity), each row opening the record page;
- ``/admin``: the admin web resource (settings and the scoring-model registry) hosted the same way;
- ``/api/data/v9.2/...``: a proxy to the emulator that adds the bearer token server-side, so the browser
  never holds it. It answers only requests carrying ``OData-MaxVersion`` (which a cross-site form post
  cannot send without a CORS preflight this host never grants) and addressed to a loopback host name.

Usage::

    with PanelHost(em.url, em.token) as host:
        print(host.url + "/")
"""

from __future__ import annotations

import argparse
import html
import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.utils import safe_join
from werkzeug.wrappers import Request, Response

ROOT = Path(__file__).resolve().parents[1]
WEB_RESOURCES = ROOT / "solution_assets" / "WebResources"
STATIC = Path(__file__).resolve().parent / "panel_static"
PANEL = "osi_/sellerpanel/panel.html"
ADMIN = "osi_/admin/admin.html"
API = "/api/data/v9.2/"
FORMATTED = "@OData.Community.Display.V1.FormattedValue"
TABLES = {"contact": ("contacts", "fullname"), "account": ("accounts", "name"), "lead": ("leads", "fullname"),
          "opportunity": ("opportunities", "name")}
_CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                  ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png",
                  ".json": "application/json"}
_FORWARDED_REQUEST = ("Accept", "Content-Type", "Prefer", "If-Match", "If-None-Match", "OData-MaxVersion",
                      "OData-Version", "MSCRMCallerID")
"""Request headers passed on; ``MSCRMCallerID`` is Dataverse's impersonation header: the shim sends the demo
user's id, so the emulator answers as that user (their privileges, their language)."""
_FORWARDED_RESPONSE = ("Content-Type", "OData-EntityId", "Preference-Applied", "ETag", "OData-Version",
                       "Location", "Retry-After")
_LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

VIEWS: tuple[dict[str, Any], ...] = (
    {"title": "Open leads by score", "table": "lead",
     "select": ["fullname", "companyname", "osi_score", "osi_grade", "osi_scoretrend", "osi_healthscore"],
     "filter": "statecode eq 0 and osi_score ne null", "orderby": "osi_score desc"},
    {"title": "Open opportunities by relationship health", "table": "opportunity",
     "select": ["name", "osi_healthscore", "osi_healthstate", "osi_healthtrend", "osi_score", "osi_grade",
                "osi_nextactivityon"],
     "filter": "statecode eq 0 and osi_healthscore ne null", "orderby": "osi_healthscore desc"},
    {"title": "Contacts by last activity", "table": "contact",
     "select": ["fullname", "osi_lastactivityon", "osi_lastactivitytype", "osi_healthscore", "osi_healthstate",
                "osi_healthtrend"],
     "filter": "osi_lastactivityon ne null", "orderby": "osi_lastactivityon desc"},
)
"""The list views of the demo's home page (the same views the solution ships)."""

_HEADERS = {"fullname": "Name", "name": "Name", "companyname": "Company", "osi_score": "Score",
            "osi_grade": "Grade", "osi_scoretrend": "Score trend", "osi_healthscore": "Health",
            "osi_healthstate": "Health state", "osi_healthtrend": "Health trend",
            "osi_nextactivityon": "Next activity", "osi_lastactivityon": "Last activity",
            "osi_lastactivitytype": "Type"}


class _Quiet(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return


class PanelHost:
    """The seller panel, list views and admin page of the demo, on loopback.

    Args:
        emulator_url: the emulator's base URL (``Emulator.url``), loopback only.
        token: the bearer token the emulator accepts; added by the proxy, never sent to the browser.
        port: TCP port; 0 picks a free one.
        rows_per_view: rows shown in each list view.

    Raises:
        ValueError: ``emulator_url`` is not an http URL on a loopback host.
    """

    def __init__(self, emulator_url: str, token: str, *, port: int = 0, rows_per_view: int = 15) -> None:
        parts = urllib.parse.urlsplit(emulator_url)
        if parts.scheme != "http" or parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the panel host forwards only to an emulator on loopback (http://127.0.0.1:…)")
        self._upstream = emulator_url.rstrip("/")
        self._token = token
        self._port = port
        self._rows = rows_per_view
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self.url = ""
        self._map = Map([
            Rule("/", endpoint="home"),
            Rule("/record/<table>/<record_id>", endpoint="record"),
            Rule("/admin", endpoint="admin"),
            Rule("/WebResources/<path:name>", endpoint="web_resource"),
            Rule("/host/<name>", endpoint="static"),
            Rule(API + "<path:rest>", endpoint="api", methods=["GET", "POST", "PATCH", "PUT", "DELETE"]),
        ])

    # --- lifecycle -------------------------------------------------------------------------------------

    def start(self) -> PanelHost:
        """Bind the port and serve in a background thread."""
        self._server = make_server("127.0.0.1", self._port, self._wsgi, threaded=True, request_handler=_Quiet)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="osi-panel-host",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> PanelHost:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- WSGI ------------------------------------------------------------------------------------------

    def _wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        try:
            endpoint, values = self._map.bind_to_environ(environ).match()
            response = getattr(self, f"_{endpoint}")(request, **values)
        except HTTPException as exc:
            response = exc.get_response(environ)
        return response(environ, start_response)

    def _web_resource(self, request: Request, name: str) -> Response:
        return _file(WEB_RESOURCES, name)

    def _static(self, request: Request, name: str) -> Response:
        return _file(STATIC, name)

    def _api(self, request: Request, rest: str) -> Response:
        if request.host.rsplit(":", 1)[0] not in _LOOPBACK or "OData-MaxVersion" not in request.headers:
            return Response(json.dumps({"error": {"code": "", "message": "not an OData client request"}}),
                            status=403, content_type="application/json")
        url = self._upstream + API + urllib.parse.quote(rest, safe="/(),'=$@.-_~:")
        if request.query_string:
            url += "?" + request.query_string.decode("latin-1")
        headers = {k: request.headers[k] for k in _FORWARDED_REQUEST if k in request.headers}
        headers["Authorization"] = f"Bearer {self._token}"
        body = request.get_data() or None
        upstream = urllib.request.Request(url, data=body, method=request.method, headers=headers)
        try:
            with urllib.request.urlopen(upstream, timeout=60) as answer:  # noqa: S310 - loopback URL checked
                return _relay(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as failed:
            return _relay(failed.code, failed.headers, failed.read())

    def _record(self, request: Request, table: str, record_id: str) -> Response:
        if table not in TABLES:
            raise NotFound()
        set_name, name_column = TABLES[table]
        record = self._get(f"{set_name}({urllib.parse.quote(record_id)})", {"$select": f"{name_column},_ownerid_value"})
        name = str(record.get(name_column) or record_id)
        # The page is seen as a user: ?user=<systemuserid>, else the record's owner (a seller on their record).
        user = self._user(request.args.get("user") or str(record.get("_ownerid_value") or ""))
        if request.args.get("lang") in ("en", "fr"):
            user["languageId"] = 1036 if request.args.get("lang") == "fr" else 1033
        french = user["languageId"] == 1036
        query = urllib.parse.urlencode({"typename": table, "id": "{" + record_id.upper() + "}",
                                        "userlcid": user["languageId"], "orglcid": 1033})
        other = f"/record/{table}/{record_id}?" + urllib.parse.urlencode(
            {**({"user": request.args["user"]} if request.args.get("user") else {}), "lang": "en" if french else "fr"})
        who = f'{html.escape(user["userName"])} · {html.escape(user["timeZone"])}' if user["userId"] else ""
        body = (f'<nav class="crumbs"><a href="/">Views</a> › {html.escape(table.title())}</nav>'
                f'<header class="record-head"><h1>{html.escape(name)}</h1><span class="who">{who}</span>'
                f'<a class="lang" href="{html.escape(other)}">{"English" if french else "Français"}</a></header>'
                f'<div class="form-section"><iframe id="osi-panel-frame" data-fit title="Sales insights" '
                f'src="/WebResources/{PANEL}?{html.escape(query)}"></iframe></div>')
        return _page(name, body, user)

    def _user(self, user_id: str) -> dict[str, Any]:
        """What ``Xrm.Utility.getGlobalContext().userSettings`` says for a demo user: id, name, language, and
        the UTC offset now in their Dynamics zone (usersettings.timezonecode → the definition's Windows id)."""
        from datetime import UTC, datetime
        from zoneinfo import ZoneInfo

        from tzlocal.windows_tz import win_tz

        out: dict[str, Any] = {"userId": "", "userName": "Demo user", "languageId": 1033, "timeZone": "UTC",
                               "offset": 0}
        if not _GUID.match(user_id or ""):
            return out
        try:
            person = self._get(f"systemusers({user_id})", {"$select": "fullname"})
            settings = self._get(f"usersettingscollection({user_id})", {"$select": "uilanguageid,timezonecode"})
        except NotFound:
            return out
        out.update(userId=user_id, userName=str(person.get("fullname") or user_id),
                   languageId=int(settings.get("uilanguageid") or 1033))
        code = settings.get("timezonecode")
        if code is not None:
            found = self._get("timezonedefinitions", {"$select": "standardname",
                                                      "$filter": f"timezonecode eq {int(code)}"}).get("value", [])
            zone = win_tz.get(str(found[0].get("standardname"))) if found else None
            if zone:
                offset = datetime.now(UTC).astimezone(ZoneInfo(zone)).utcoffset()
                out.update(timeZone=zone, offset=int(offset.total_seconds() // 60) if offset else 0)
        return out

    def _admin(self, request: Request) -> Response:
        french = request.args.get("lang") == "fr"
        body = ('<nav class="crumbs"><a href="/">Views</a> › Administration</nav>'
                f'<div class="form-section wide"><iframe id="osi-admin-frame" data-fit title="Administration" '
                f'src="/WebResources/{ADMIN}"></iframe></div>')
        user = self._user(request.args.get("user") or "")
        user["languageId"] = 1036 if french else user["languageId"]
        return _page("Administration", body, user)

    def _home(self, request: Request) -> Response:
        sections = []
        for view in VIEWS:
            set_name, name_column = TABLES[view["table"]]
            rows = self._get(set_name, {"$select": ",".join(view["select"]), "$filter": view["filter"],
                                        "$orderby": view["orderby"], "$top": str(self._rows)}).get("value", [])
            sections.append(_view_table(view, rows, name_column))
        body = ('<header class="record-head"><h1>Open Sales Insights demo</h1>'
                '<a class="lang" href="/admin">Administration</a></header>' + "".join(sections))
        return _page("Open Sales Insights demo", body, self._user(""))

    def _get(self, path: str, query: dict[str, str]) -> dict[str, Any]:
        url = f"{self._upstream}{API}{path}?{urllib.parse.urlencode(query, quote_via=urllib.parse.quote)}"
        upstream = urllib.request.Request(url, headers={
            "Authorization": f"Bearer {self._token}", "Accept": "application/json",
            "Prefer": 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"'})
        try:
            with urllib.request.urlopen(upstream, timeout=60) as answer:  # noqa: S310 - loopback URL checked
                return json.loads(answer.read())
        except urllib.error.HTTPError as failed:
            if failed.code == 404:
                raise NotFound() from None
            raise


def _relay(status: int, headers: Any, body: bytes) -> Response:
    response = Response(body, status=status)
    for name in _FORWARDED_RESPONSE:
        if headers.get(name):
            response.headers[name] = headers[name]
    return response


def _file(folder: Path, name: str) -> Response:
    path = safe_join(str(folder), name)
    if path is None or not Path(path).is_file():
        raise NotFound()
    content_type = _CONTENT_TYPES.get(Path(path).suffix.lower(), "application/octet-stream")
    response = Response(Path(path).read_bytes(), content_type=content_type)
    response.headers["Cache-Control"] = "no-store"
    # The same policy a Dynamics form imposes on web resources: no inline script, no eval, no other origin.
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'")
    return response


def _page(title: str, body: str, user: dict[str, Any]) -> Response:
    language_id = int(user["languageId"])
    config = json.dumps({"apiBase": API, "languageId": language_id, "userId": user["userId"],
                         "userName": user["userName"], "timeZoneOffsetMinutes": user["offset"]})
    page = (f'<!DOCTYPE html><html lang="{"fr" if language_id == 1036 else "en"}"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title>"
            '<link rel="stylesheet" href="/host/host.css">'
            f'<script id="osi-host-config" type="application/json">{html.escape(config, quote=False)}</script>'
            '<script src="/host/xrm-shim.js"></script></head><body>'
            f'<div class="banner">Local demo on the emulator — the panel below is the shipped web resource</div>'
            f'<main class="host">{body}</main>'
            '<div id="osi-openform" class="dialog" role="dialog" aria-modal="true" aria-labelledby="osi-openform-t" '
            'hidden><div class="dialog-box"><h2 id="osi-openform-t">Dynamics would open this form</h2><pre></pre>'
            '<button type="button">Close</button></div></div></body></html>')
    return Response(page, content_type="text/html; charset=utf-8")


def _cell(row: dict[str, Any], column: str, zone: str = "UTC") -> str:
    raw = row.get(column)
    value = row.get(column + FORMATTED, raw)
    if value is None:
        return '<span class="muted">–</span>'
    if column.endswith("on") and isinstance(raw, str) and "T" in raw:
        # The panel's and the timeline's format ("Aug 4, 2026"), in the viewer's zone.
        from connector.messages import date_text

        value = date_text("en", raw, zone)
    return html.escape(str(value))


def _view_table(view: dict[str, Any], rows: list[dict[str, Any]], name_column: str) -> str:
    table = view["table"]
    primary = f"{table}id"
    head = "".join(f"<th scope=\"col\">{html.escape(_HEADERS.get(c, c))}</th>" for c in view["select"])
    lines = []
    for row in rows:
        cells = []
        for column in view["select"]:
            if column == name_column:
                link = f"/record/{table}/{urllib.parse.quote(str(row[primary]))}"
                cells.append(f'<th scope="row"><a href="{html.escape(link)}">{_cell(row, column)}</a></th>')
            else:
                cells.append(f"<td>{_cell(row, column)}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    body = "".join(lines) or f'<tr><td colspan="{len(view["select"])}">No records yet: run a sync.</td></tr>'
    slug = view["title"].lower().replace(" ", "-")
    return (f'<section class="view" id="view-{html.escape(slug)}"><h2>{html.escape(view["title"])}</h2>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></section>")


def main(argv: list[str] | None = None) -> int:
    """``python -m emulator.panel_host --emulator URL --token T [--port N]``: serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m emulator.panel_host", description=__doc__.splitlines()[0])
    parser.add_argument("--emulator", required=True, help="the emulator's base URL (loopback)")
    parser.add_argument("--token", required=True, help="the token the emulator accepts")
    parser.add_argument("--port", type=int, default=0, help="loopback port (default: a free one)")
    args = parser.parse_args(argv)
    with PanelHost(args.emulator, args.token, port=args.port) as host:
        print(f"Seller view: {host.url}/", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
